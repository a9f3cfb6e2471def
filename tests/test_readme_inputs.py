"""Issue 14: the README documents every field of the execution inputs and every allowed
value, so a newcomer does not have to guess them from the samples."""

from __future__ import annotations

import enum
import re
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from clausegen.execution.commitments import Commitment
from clausegen.execution.ledger import COLUMNS
from clausegen.execution.participants import Participant
from clausegen.execution.reporting import COLUMNS as REPORTING_COLUMNS

SECTION = "## Input files of the execution follow-up"


def _section() -> str:
    text = Path("README.md").read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.index("\n## ", start + len(SECTION))
    return text[start:end]


def _walk(annotation: object) -> typing.Iterator[type]:
    """The models and enums inside an annotation (``list[Formation] | None`` …)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel | enum.Enum):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _walk(argument)


def _vocabulary(root: type[BaseModel]) -> tuple[set[str], set[str]]:
    """Every key of ``root`` and of the blocks inside it, and every enum value they allow."""
    keys: set[str] = set()
    values: set[str] = set()
    pending: list[type] = [root]
    seen: set[type] = set()
    while pending:
        kind = pending.pop()
        if kind in seen:
            continue
        seen.add(kind)
        if issubclass(kind, enum.Enum):
            values.update(str(member.value) for member in kind)
            continue
        for name, field in kind.model_fields.items():
            keys.add(name)
            pending.extend(_walk(field.annotation))
    return keys, values


def _documented() -> set[str]:
    return set(re.findall(r"`([^`]+)`", _section()))


@pytest.mark.parametrize("root", [Participant, Commitment], ids=lambda m: m.__name__)
def test_every_key_and_allowed_value_is_documented(root):
    keys, values = _vocabulary(root)
    documented = _documented()
    assert sorted(keys - documented) == []
    assert sorted(values - documented) == []


def test_every_column_of_the_ledger_and_of_the_statements_received_is_documented():
    assert sorted({*COLUMNS, *REPORTING_COLUMNS} - _documented()) == []
