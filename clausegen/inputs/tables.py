"""Reading a spreadsheet table (CSV or XLSX) into rows of text, as a facilitator keeps it.

The first row holds the column names. Every cell comes out as stripped text or None, and
each row keeps its number as the spreadsheet shows it (the header is row 1), so errors
can point at the cell. CSV: UTF-8 (with or without the BOM Excel writes), comma or
semicolon separated (decimal commas are fine with semicolons). XLSX: the first visible sheet;
numbers are read exactly, and dates become ``YYYY-MM-DD``.

Limits (stated in the README): the file is a regular file of at most ``MAX_TABLE_BYTES``;
an XLSX's parts hold at most ``MAX_XLSX_UNCOMPRESSED`` bytes once uncompressed (its shared
strings ``MAX_XLSX_SHARED_STRINGS``), none compressed more than ``MAX_XLSX_RATIO`` to one;
at most ``MAX_ROWS`` rows (blank ones included) and ``MAX_COLUMNS`` columns are read; a
cell holds at most ``MAX_CELL_LENGTH`` characters (Excel's own limit) and no control
character. Whatever goes wrong in reading is an ``InputError`` naming the file.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from xml.etree.ElementTree import ParseError, iterparse

from clausegen.errors import InputError, Problem
from clausegen.inputs.files import MAX_TABLE_BYTES, MIB, read_input
from clausegen.inputs.values import control_character_message, forbidden_character

TABLE_SUFFIXES = (".csv", ".xlsx")

MAX_ROWS = 200_000
"""Rows read from a table, blank ones included (about 1 000 people followed for 18 months
in three modalities hold 54 000)."""

MAX_COLUMNS = 64
"""Columns read from a table; the ledger has nine."""

MAX_COLUMN_NAME = 100
"""Characters in a column name (the first row)."""

MAX_CELL_LENGTH = 32_767
"""Characters in a cell: Excel's own limit."""

MAX_XLSX_UNCOMPRESSED = 128 * MIB
"""Bytes of an XLSX's parts once uncompressed, all together."""

MAX_XLSX_SHARED_STRINGS = 16 * MIB
"""Bytes of an XLSX's shared strings (the texts of its cells), uncompressed."""

MAX_XLSX_RATIO = 100
"""How much an XLSX part larger than a mebibyte may be compressed (a zip bomb is 1 000:1)."""

_XLSX_READER_FAILURES: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    ParseError,
    OSError,
)
"""What openpyxl raises on a damaged or mislabelled workbook (found by fuzzing: truncated,
byte-flipped, another zip file renamed, parts missing or malformed)."""


@dataclass(frozen=True, slots=True)
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
    stream = TableRows(path)
    rows = tuple(stream)
    stream.check()
    return Table(path, stream.columns, rows)


class TableRows:
    """The rows of the table in ``path`` one at a time, blank ones skipped, so that a large
    table is never held whole: ``columns`` as soon as it is made, then each row as it is
    read. The cells' problems (too long, a control character) are gathered as the rows go
    and raised, all at once, by ``check`` once every row is read (as ``read_table`` does);
    an unreadable file or one with too many rows is an ``InputError`` at once."""

    def __init__(self, path: Path) -> None:
        suffix = path.suffix.lower()
        if suffix not in TABLE_SUFFIXES:
            raise _error(path, "unsupported file type; give a .csv or .xlsx file.", "table_type")
        content = read_input(path, limit=MAX_TABLE_BYTES)
        self.path = path
        self._raw = _read_xlsx(path, content) if suffix == ".xlsx" else _read_csv(path, content)
        self.problems: list[Problem] = []
        values = next(self._raw, None)
        if values is None:
            raise _error(
                path, "the file is empty; the first row must name the columns.", "empty_table"
            )
        self._header = self._names(values)
        self.columns = tuple(name for name in self._header if name)

    def _names(self, values: list[str | None]) -> list[str]:
        """The first row's column names; one too long to be a name is left out."""
        header = [(cell or "").strip().lower() for cell in values[:MAX_COLUMNS]]
        _check_cells(1, [""] * len(header), header, self.problems)
        for position, name in enumerate(header, start=1):
            if MAX_COLUMN_NAME < len(name) <= MAX_CELL_LENGTH:
                self.problems.append(
                    Problem(
                        f"row 1, column {position}",
                        f"a column name of {_thousands(len(name))} characters; the first "
                        "row names the columns, each in a word or two.",
                        "column_name_too_long",
                        {"row": 1, "position": position},
                    )
                )
            if len(name) > MAX_COLUMN_NAME:
                header[position - 1] = ""
        return header

    def __iter__(self) -> Iterator[Row]:
        header = self._header
        for number, values in enumerate(self._raw, start=2):
            if number > MAX_ROWS + 1:
                raise _error(
                    self.path,
                    f"has more than {_thousands(MAX_ROWS)} rows (blank rows included), the "
                    "most a table may hold; split it by year or by lot.",
                    "too_many_rows",
                )
            cells = {
                name: (value.strip() or None) if value else None  # stripped; empty is None
                for name, value in zip(header, values, strict=False)
                if name
            }
            _check_cells(number, list(cells), list(cells.values()), self.problems)
            if any(cells.values()):
                yield Row(number, cells)

    def check(self) -> None:
        """The cells' problems, all at once, once every row is read."""
        if self.problems:
            raise InputError(path=self.path, problems=self.problems)


def _check_cells(
    number: int, names: list[str], values: list[str | None], problems: list[Problem]
) -> None:
    """A cell too long for a spreadsheet, or holding a control character."""
    row = "".join(filter(None, values))
    if len(row) <= MAX_CELL_LENGTH and forbidden_character(row) is None:
        return  # the usual row, checked at once
    for position, (name, value) in enumerate(zip(names, values, strict=True), start=1):
        if not value:
            continue
        where = f"row {number}, column {name or position}"
        values = {"row": number, "column": name or str(position)}
        if len(value) > MAX_CELL_LENGTH:
            problems.append(Problem(where, _too_long(len(value)), "cell_too_long", values))
            continue
        index = forbidden_character(value)
        if index is not None:
            message = control_character_message(value, index)
            problems.append(Problem(where, message, "control_character", values))


def _thousands(number: int) -> str:
    """12 345 with a narrow no-break space, as the messages write numbers."""
    return f"{number:,}".replace(",", "\u202f")


def _too_long(length: int | None) -> str:
    if length is None:  # the CSV reader stops at its own, larger, limit
        return (
            f"a cell starting on this line holds more than the {_thousands(MAX_CELL_LENGTH)} "
            "characters a spreadsheet cell can hold (a quote left open?); check the cell."
        )
    return (
        f"the cell holds {_thousands(length)} characters, more than the "
        f"{_thousands(MAX_CELL_LENGTH)} a spreadsheet cell can hold; check the cell."
    )


def _read_csv(path: Path, content: bytes) -> Iterator[list[str | None]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _error(
            path,
            "not UTF-8 text; in Excel, save as « CSV UTF-8 (délimité par des virgules) ».",
            "not_utf8",
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            where = f"line {reader.line_num}"
            message = (
                _too_long(None)
                if "field limit" in str(error)
                else f"cannot be read as CSV ({error}); check the quotes on this line."
            )
            kind = "cell_too_long" if "field limit" in str(error) else "csv_syntax"
            problem = Problem(where, message, kind, {"line": reader.line_num})
            raise InputError(path=path, problems=[problem]) from None
        yield list(row[:MAX_COLUMNS])


def _not_a_workbook(path: Path, why: str) -> InputError:
    return _error(
        path,
        f"cannot be read as an Excel workbook ({why}); save it again from Excel or "
        "LibreOffice as .xlsx, or give the ledger as CSV.",
        "not_a_workbook",
    )


def _check_xlsx_parts(path: Path, content: bytes) -> None:
    """A zip file whose parts, uncompressed, stay within the limits."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise _not_a_workbook(path, f"not a zip archive: {error}") from None
    total = sum(part.file_size for part in parts)
    if total > MAX_XLSX_UNCOMPRESSED:
        raise _error(
            path,
            f"uncompresses to more than {MAX_XLSX_UNCOMPRESSED // MIB} MiB, the most a "
            "workbook may hold; keep only the ledger's sheet, or give the ledger as CSV.",
            "workbook_too_large",
        )
    for part in parts:
        if part.filename == "xl/sharedStrings.xml" and part.file_size > MAX_XLSX_SHARED_STRINGS:
            raise _error(
                path,
                f"its texts take more than {MAX_XLSX_SHARED_STRINGS // MIB} MiB "
                "(xl/sharedStrings.xml), the most a workbook may hold; check its cells.",
                "workbook_too_large",
            )
        if part.file_size > MIB and part.file_size > MAX_XLSX_RATIO * max(part.compress_size, 1):
            raise _error(
                path,
                f"its part {part.filename} is compressed more than {MAX_XLSX_RATIO} to 1, as "
                "no spreadsheet writes it; save it again from Excel or LibreOffice.",
                "not_a_workbook",
            )


def _read_xlsx(path: Path, content: bytes) -> Iterator[list[str | None]]:
    from openpyxl import load_workbook  # only the XLSX path pays for importing openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    _check_xlsx_parts(path, content)
    failures = (*_XLSX_READER_FAILURES, InvalidFileException, *_lxml_failures())
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except failures as error:
        raise _not_a_workbook(path, _why(error)) from None
    try:
        if not workbook.worksheets:
            raise _not_a_workbook(path, "it has no sheet")
        visible = [sheet for sheet in workbook.worksheets if sheet.sheet_state == "visible"]
        sheet = (visible or workbook.worksheets)[0]
        rows: Iterable[tuple[object, ...]] = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        for row in rows:
            yield [_cell(value) for value in row]
        part = getattr(sheet, "_worksheet_path", "")
        _check_merged_cells(path, content, part)
        _check_formula_results(path, content, part)
    except failures as error:
        raise _not_a_workbook(path, _why(error)) from None
    finally:
        workbook.close()


_MERGE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref=\"([A-Za-z0-9:$]{1,40})\"")
"""A merged range (``<mergeCell ref="B4:B7"/>``) in a sheet's XML."""

MAX_MERGED_REPORTED = 20
"""Merged ranges named one by one; more are counted in one last problem."""
MAX_MERGED_KEPT = 1000
"""Merged ranges kept to name the first ones down the sheet; past them, only counted (a
sheet may list millions within ``MAX_XLSX_UNCOMPRESSED``)."""


def _check_merged_cells(path: Path, content: bytes, part: str) -> None:
    """Merged cells: a spreadsheet keeps the value in the range's first cell only, so the
    rows under it would read as missing values. Name each range (the read-only reader does
    not give them: the sheet's XML is searched in chunks, as for formulas), before the row
    problems they would cause, and instead of them."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        if part not in archive.namelist():
            return
        found: list[str] = []
        uncounted = 0
        with archive.open(part) as stream:
            tail = b""
            while chunk := stream.read(MIB):
                text = tail + chunk
                end = 0
                for match in _MERGE.finditer(text):
                    if len(found) < MAX_MERGED_KEPT:
                        found.append(match.group(1).decode("ascii").replace("$", "").upper())
                    else:
                        uncounted += 1
                    end = match.end()
                tail = text[max(end, len(text) - 256) :]
    if not found:
        return
    found.sort(key=_top_left)
    problems = [
        Problem(
            "",
            f"cells {cells} are merged: a spreadsheet keeps the value in the first cell only; "
            "unmerge them and fill each row.",
            "merged_cells",
            {"cells": cells},
        )
        for cells in found[:MAX_MERGED_REPORTED]
    ]
    if len(found) + uncounted > MAX_MERGED_REPORTED:
        more = len(found) + uncounted - MAX_MERGED_REPORTED
        problems.append(
            Problem(
                "",
                f"{more} more merged range{'s' if more > 1 else ''}: unmerge every cell of "
                "the sheet (select it all, then Unmerge cells) and fill each row.",
                "merged_cells_more",
                {"count": more},
            )
        )
    raise InputError(path=path, problems=problems)


def _top_left(cells: str) -> tuple[int, int]:
    """A range's first row and column, to name the ranges down the sheet."""
    from openpyxl.utils.cell import range_boundaries

    try:
        column, row, _, _ = range_boundaries(cells)
    except (ValueError, TypeError):  # a malformed reference: named last
        return (MAX_ROWS + 1, 0)
    return (row or 0, column or 0)


_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
"""A formula element (``<f>``, ``<x:f …>``) in a sheet's XML."""


def _check_formula_results(path: Path, content: bytes, part: str) -> None:
    """A formula cell whose result the file does not store (a workbook written by a program
    and never opened in a spreadsheet) reads as empty: say so, with the first such cell,
    rather than report a missing value. The sheet's XML is searched in chunks for a
    formula first; only a sheet that has one is parsed again (openpyxl read it already)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        if part not in archive.namelist():
            return
        with archive.open(part) as stream:
            tail = b""
            while chunk := stream.read(MIB):
                if _FORMULA.search(tail + chunk):
                    break
                tail = chunk[-64:]
            else:
                return
        with archive.open(part) as stream:
            for _event, element in iterparse(stream, events=("end",)):
                if element.tag.rpartition("}")[2] == "row":
                    element.clear()  # the cells read: a large sheet is not held whole
                if element.tag.rpartition("}")[2] != "c":
                    continue
                children = {child.tag.rpartition("}")[2]: child for child in element}
                value = children.get("v")
                stored = value is not None and (
                    bool(value.text) or element.get("t") in ("str", "s", "inlineStr")
                )  # an empty text result (="") is stored as an empty string
                if "f" in children and not stored and "is" not in children:
                    raise _formula_without_result(path, element.get("r", ""), children["f"].text)
                element.clear()


def _formula_without_result(path: Path, coordinate: str, formula: str | None) -> InputError:
    from openpyxl.utils.cell import coordinate_from_string
    from openpyxl.utils.exceptions import CellCoordinatesException

    try:
        letter, row = coordinate_from_string(coordinate)
    except CellCoordinatesException:  # a cell without its coordinate: the file is named
        where, values = "", {}
    else:
        where, values = f"row {row}, column {letter}", {"row": row, "column": letter}
    text = (formula or "").strip()
    shown = f" (={text[:40]}{'…' if len(text) > 40 else ''})" if text else ""
    problem = Problem(
        where,
        f"{'holds' if where else 'a cell holds'} a formula{shown} whose result the file "
        "does not store (a workbook written by a program, never opened in a spreadsheet); "
        "open it in Excel or LibreOffice and save it, which stores the results, or type the "
        "values.",
        "formula_without_result",
        values,
    )
    return InputError(path=path, problems=[problem])


def _lxml_failures() -> tuple[type[BaseException], ...]:
    try:
        from lxml.etree import LxmlError
    except ImportError:  # openpyxl then parses with the standard library
        return ()
    return (LxmlError,)


def _why(error: BaseException) -> str:
    """The error's type and text on one line (openpyxl's messages span several)."""
    text = " ".join(str(error).split()).rstrip(".")
    if len(text) > 120:
        text = f"{text[:120]}…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


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
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _error(path: Path, message: str, kind: str) -> InputError:
    return InputError(path=path, problems=[Problem("", message, kind)])
