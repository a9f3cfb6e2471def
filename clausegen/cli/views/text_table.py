"""Plain-text tables for the terminal: columns padded, numbers right-aligned."""

from __future__ import annotations

from collections.abc import Collection, Sequence


def column_widths(rows: Sequence[Sequence[str]]) -> list[int]:
    return [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]


def aligned_line(cells: Sequence[str], widths: Sequence[int], right: Collection[int]) -> str:
    """One line of the table; the columns in ``right`` are right-aligned."""
    padded = [
        cell.rjust(width) if index in right else cell.ljust(width)
        for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
    ]
    return "  ".join(padded).rstrip()
