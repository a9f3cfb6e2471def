"""The ``operation.yaml`` skeleton written from a notice: every field read from it, every
other one left empty with a ``# À COMPLÉTER`` comment saying what to write, and the list of
those fields (``lots[0].metier``, as input errors name fields).

The skeleton does not load until the fields are filled (an empty field is an error), so a
value the notice does not give is never guessed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from clausegen.inputs.eforms_notice import NBSP, NoticeReading, ToFill, Value

TO_FILL = f"À COMPLÉTER{NBSP}:"


@dataclass(frozen=True)
class FieldToFill:
    """A field of the skeleton left to the buyer: its path and what to write there."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}{NBSP}: {self.reason}"


@dataclass(frozen=True)
class Skeleton:
    text: str
    to_fill: tuple[FieldToFill, ...]


def operation_skeleton(reading: NoticeReading) -> Skeleton:
    """The YAML text of the operation read from a notice, and the fields left to fill."""
    lines = [
        f"# Opération lue dans l’{reading.kind.label} eForms {reading.notice.name} "
        "(clausegen import eforms).",
        f"# Complétez chaque champ marqué «{NBSP}{TO_FILL} …{NBSP}», puis lancez clausegen "
        "calibrate.",
    ]
    to_fill: list[FieldToFill] = []
    _mapping(reading.fields, "", 0, lines, to_fill)
    return Skeleton("\n".join(lines) + "\n", tuple(to_fill))


def _mapping(
    fields: dict[str, Value], prefix: str, depth: int, lines: list[str], to_fill: list[FieldToFill]
) -> None:
    for index, (key, value) in enumerate(fields.items()):
        indent = "  " * depth
        if prefix.endswith("]") and index == 0:
            indent = "  " * (depth - 1) + "- "
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            lines.append(f"{indent}{key}:")
            _mapping(value, path, depth + 1, lines, to_fill)
        elif isinstance(value, list):
            lines.append(f"{indent}{key}:")
            for position, item in enumerate(value):
                _mapping(item, f"{path}[{position}]", depth + 2, lines, to_fill)
        elif isinstance(value, ToFill):
            lines.append(f"{indent}{key}:  # {TO_FILL} {value.reason}")
            to_fill.append(FieldToFill(path, value.reason))
        else:
            lines.append(f"{indent}{key}: {_scalar(value)}")


def _scalar(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return json.dumps(str(value), ensure_ascii=False)
