"""The valid inputs hostile cases start from, and helpers that put one raw value in them.

The base is the works sample (``samples/groupe-scolaire-jaures``): its operation, its
participants, its commitments and its ledger. A case changes one value, written raw into
the file's text (``raw_yaml``: ``0x1F`` unquoted, ``"A\\x00B"`` double-quoted…), so that
the reader sees exactly what a hostile file holds.
"""

from __future__ import annotations

import copy
import csv
import functools
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from tests.hostile.runner import Case

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "groupe-scolaire-jaures"
OPERATION = SAMPLE / "operation.yaml"
PARTICIPANTS = SAMPLE / "participants.yaml"
COMMITMENTS = SAMPLE / "engagements"
LEDGER = SAMPLE / "heures.csv"
COMMITMENT = "lot-01-bati-sud.yaml"
"""The commitment file cases change (the others stay as they are)."""

PLACEHOLDER = "HOSTILE-VALUE-PLACEHOLDER"


@functools.cache
def _data(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def data(path: Path) -> Any:
    """The sample file's content, a copy to change."""
    return copy.deepcopy(_data(path))


def _set(data: Any, path: str, value: Any) -> Any:
    """Set ``a.b[0].c`` in nested data."""
    parts: list[str | int] = []
    for part in path.replace("]", "").split("."):
        name, *indexes = part.split("[")
        parts.append(name)
        parts.extend(int(index) for index in indexes)
    target = data
    for part in parts[:-1]:
        target = target[part]
    target[parts[-1]] = value
    return data


def _plain(value: Any) -> Any:
    """Dates and decimals as text, for JSON."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, bool | int | str) or value is None:
        return value
    return str(value)


def raw_yaml(base: Path, field: str, raw: str) -> str:
    """The YAML text of ``base`` with ``field`` set to ``raw``, written as is."""
    text = yaml.safe_dump(_set(data(base), field, PLACEHOLDER), allow_unicode=True)
    assert text.count(PLACEHOLDER) == 1
    return text.replace(PLACEHOLDER, raw)


def raw_json(base: Path, field: str, raw: str) -> str:
    """The JSON text of ``base`` with ``field`` set to ``raw``, written as is."""
    text = json.dumps(_plain(_set(data(base), field, PLACEHOLDER)), ensure_ascii=False)
    return text.replace(f'"{PLACEHOLDER}"', raw)


def operation_args(operation: Path, out: str = "{out}") -> list[str]:
    return ["tender", str(operation), "-o", out]


def compliance_args(
    folder: Path,
    *,
    operation: Path = OPERATION,
    participants: Path = PARTICIPANTS,
    commitments: Path = COMMITMENTS,
    ledger: Path = LEDGER,
) -> list[str]:
    return [
        "compliance",
        str(operation),
        f"--commitments={commitments}",
        f"--ledger={ledger}",
        f"--participants={participants}",
        "-o",
        "{out}",
    ]


def operation_case(
    name: str,
    field: str,
    raw: str,
    *,
    json_text: bool = False,
    names: tuple[str, ...] | None = None,
) -> Case:
    """``tender`` on the sample operation whose ``field`` holds ``raw``."""
    suffix = "json" if json_text else "yaml"

    def build(folder: Path) -> list[str]:
        path = folder / f"operation.{suffix}"
        text = raw_json(OPERATION, field, raw) if json_text else raw_yaml(OPERATION, field, raw)
        path.write_text(text, encoding="utf-8")
        return operation_args(path)

    return Case(name, build, names=(field,) if names is None else names, file=f"operation.{suffix}")


def participants_case(
    name: str,
    field: str,
    raw: str,
    *,
    json_text: bool = False,
    names: tuple[str, ...] | None = None,
) -> Case:
    """``compliance`` with participants whose ``field`` (under ``participants[i]``) holds
    ``raw``; the error names ``participants[i] (ID).field``."""
    suffix = "json" if json_text else "yaml"

    def build(folder: Path) -> list[str]:
        path = folder / f"participants.{suffix}"
        text = (
            raw_json(PARTICIPANTS, field, raw) if json_text else raw_yaml(PARTICIPANTS, field, raw)
        )
        path.write_text(text, encoding="utf-8")
        return compliance_args(folder, participants=path)

    shown = (field.split("]", 1)[-1].lstrip("."),) if names is None else names
    return Case(name, build, names=shown, file=f"participants.{suffix}")


def commitment_case(
    name: str, field: str, raw: str, *, names: tuple[str, ...] | None = None
) -> Case:
    """``compliance`` with the commitments folder, whose lot 1 file's ``field`` holds ``raw``."""

    def build(folder: Path) -> list[str]:
        commitments = folder / "engagements"
        shutil.copytree(COMMITMENTS, commitments)
        path = commitments / COMMITMENT
        path.write_text(raw_yaml(COMMITMENTS / COMMITMENT, field, raw), encoding="utf-8")
        return compliance_args(folder, commitments=commitments)

    shown = (field,) if names is None else names
    return Case(name, build, names=shown, file=f"engagements/{COMMITMENT}")


@functools.cache
def ledger_rows() -> tuple[tuple[str, ...], ...]:
    """The sample ledger's rows, header first."""
    text = LEDGER.read_text(encoding="utf-8")
    return tuple(tuple(row) for row in csv.reader(io.StringIO(text), delimiter=";"))


def ledger_text(rows: list[list[str]] | tuple[tuple[str, ...], ...]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write_xlsx(path: Path, rows: list[list[Any]]) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def ledger_case(
    name: str,
    column: str,
    value: Any,
    *,
    xlsx: bool = False,
    names: tuple[str, ...] | None = None,
    row: int = 2,
) -> Case:
    """``compliance`` with the sample ledger whose ``row`` has ``value`` in ``column``;
    as CSV (``value`` is the cell's text) or XLSX (``value`` is the cell's value)."""
    suffix = "xlsx" if xlsx else "csv"

    def build(folder: Path) -> list[str]:
        rows: list[list[Any]] = [list(r) for r in ledger_rows()]
        rows[row - 1][rows[0].index(column)] = value
        path = folder / f"heures.{suffix}"
        if xlsx:
            write_xlsx(path, rows)
        else:
            path.write_text(ledger_text(rows), encoding="utf-8")
        return compliance_args(folder, ledger=path)

    shown = (f"row {row}, column {column}",) if names is None else names
    return Case(name, build, names=shown, file=f"heures.{suffix}")


def file_case(
    name: str,
    role: str,
    file: str,
    make: Callable[[Path], None],
    *,
    names: tuple[str, ...] = (),
    timeout: float | None = None,
) -> Case:
    """A case where ``make(path)`` writes (or makes) the whole input ``file`` for ``role``:
    operation, participants, commitment (``file`` in the copied commitments folder
    ``engagements/``) or ledger; the error names that file."""

    def build(folder: Path) -> list[str]:
        if role == "commitment":
            commitments = folder / "engagements"
            shutil.copytree(COMMITMENTS, commitments)
            path = commitments / file
            if path.exists():
                path.unlink()
            make(path)
            return compliance_args(folder, commitments=commitments)
        path = folder / file
        make(path)
        if role == "operation":
            return operation_args(path)
        if role == "participants":
            return compliance_args(folder, participants=path)
        if role == "ledger":
            return compliance_args(folder, ledger=path)
        raise ValueError(role)

    shown = f"engagements/{file}" if role == "commitment" else file
    options: dict[str, Any] = {"timeout": timeout} if timeout is not None else {}
    return Case(name, build, names=names, file=shown, **options)
