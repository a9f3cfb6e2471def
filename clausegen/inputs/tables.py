"""Reading a spreadsheet table (CSV or XLSX) into rows of text, as a facilitator keeps it.

The first row holds the column names. Every cell comes out as stripped text or None, and
each row keeps its number as the spreadsheet shows it (the header is row 1), so errors
can point at the cell. CSV: UTF-8 (with or without the BOM Excel writes), comma or
semicolon separated (decimal commas are fine with semicolons). XLSX: the first sheet;
numbers are read exactly, and dates become ``YYYY-MM-DD``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from clausegen.errors import InputError, Problem

TABLE_SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class Row:
    number: int
    cells: dict[str, str | None]


@dataclass(frozen=True)
class Table:
    path: Path
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


def read_table(path: Path) -> Table:
    """The table in ``path``; blank rows are skipped."""
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise _error(path, "unsupported file type; give a .csv or .xlsx file.")
    if not path.is_file():
        raise _error(path, "file not found; check the path.")
    raw = _read_xlsx(path) if suffix == ".xlsx" else _read_csv(path)
    if not raw:
        raise _error(path, "the file is empty; the first row must name the columns.")
    header = [(cell or "").strip().lower() for cell in raw[0]]
    rows = []
    for number, values in enumerate(raw[1:], start=2):
        cells = {name: _text(value) for name, value in zip(header, values, strict=False) if name}
        if any(cells.values()):
            rows.append(Row(number, cells))
    return Table(path, tuple(name for name in header if name), tuple(rows))


def _read_csv(path: Path) -> list[list[str | None]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise _error(
            path, "not UTF-8 text; in Excel, save as « CSV UTF-8 (délimité par des virgules) »."
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _read_xlsx(path: Path) -> list[list[str | None]]:
    from openpyxl import load_workbook  # only the XLSX path pays for importing openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as error:
        raise _error(path, f"cannot be read as an Excel workbook ({error}).") from None
    try:
        sheet = workbook.worksheets[0]
        return [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(Decimal(repr(value)))  # the shortest text that reads back as this float
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    stripped = value.strip()
    return stripped or None


def _error(path: Path, message: str) -> InputError:
    return InputError(path=path, problems=[Problem("", message)])
