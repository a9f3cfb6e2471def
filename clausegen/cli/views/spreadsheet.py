"""Spreadsheet cells that stay data: text a spreadsheet would run as a formula is neutralised.

A CSV or XLSX cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab, a carriage
return, a line feed or NUL (or the full-width ``＝ ＋ － ＠``; also after leading spaces,
which some spreadsheets skip) is run as a formula by Excel, LibreOffice Calc or Google
Sheets (OWASP, *CSV Injection*): ``=HYPERLINK("http://…","x")`` in a lot title would
become a live link. Such text gets a leading ``'``, which spreadsheets read as "this is
text" and do not show. Numbers are written as numbers, never as text, so a negative amount
stays a number. Every CSV or XLSX clausegen writes goes through ``cell``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\0＝＋－＠")
"""First characters that make a spreadsheet read a cell as a formula."""


def cell(value: object) -> object:
    """``value`` as a spreadsheet cell: numbers as they are, text neutralised if needed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | Decimal | float):
        return value
    text = str(value)
    stripped = text.lstrip(" \u00a0\u202f")
    if stripped and stripped[0] in FORMULA_TRIGGERS:
        return f"'{text}"
    return text


def row(values: Iterable[object]) -> list[object]:
    """A row of cells (``cell`` on each)."""
    return [cell(value) for value in values]
