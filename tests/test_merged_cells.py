"""Merged cells in an XLSX ledger: the spreadsheet keeps the value in the range's first cell
only, so the reader names each merged range (what to do: unmerge and fill each row) rather
than report the rows under it as missing values."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook

from clausegen.errors import InputError
from clausegen.inputs import tables
from clausegen.inputs.tables import read_table
from tests.helpers import SAMPLE, run


def workbook(path: Path, merges: list[str]) -> Path:
    """The sample's ledger as an XLSX (hours as numbers), with ``merges`` merged."""
    book = Workbook()
    sheet = book.active
    with (SAMPLE / "heures.csv").open(encoding="utf-8-sig", newline="") as stream:
        for index, row in enumerate(csv.reader(stream, delimiter=";")):
            sheet.append([cell or None for cell in row] if index == 0 else _typed(row))
    for cells in merges:
        sheet.merge_cells(cells)
    book.save(path)
    return path


def _typed(row: list[str]) -> list[object]:
    return [int(cell) if cell.isdigit() and len(cell) < 6 else (cell or None) for cell in row]


def test_an_unmerged_workbook_reads_as_its_csv(tmp_path):
    table = read_table(workbook(tmp_path / "heures.xlsx", []))
    assert len(table.rows) == len((SAMPLE / "heures.csv").read_text().splitlines()) - 1


def test_each_merged_range_is_named(tmp_path):
    path = workbook(tmp_path / "heures.xlsx", ["A3:A5", "$H$7:$H$8"])
    with pytest.raises(InputError) as raised:
        read_table(path)
    assert [str(p) for p in raised.value.problems] == [
        f"cells {cells} are merged: a spreadsheet keeps the value in the first cell only; "
        "unmerge them and fill each row."
        for cells in ("A3:A5", "H7:H8")
    ]
    assert [p.context for p in raised.value.problems] == [{"cells": "A3:A5"}, {"cells": "H7:H8"}]


def test_many_merged_ranges_are_counted_past_the_first(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "MAX_MERGED_REPORTED", 2)
    path = workbook(tmp_path / "heures.xlsx", ["A2:A3", "A4:A5", "A6:A7", "A8:A9"])
    with pytest.raises(InputError) as raised:
        read_table(path)
    messages = [str(p) for p in raised.value.problems]
    assert len(messages) == 3 and messages[1].startswith("cells A4:A5 are merged")
    assert messages[2] == (
        "2 more merged ranges: unmerge every cell of the sheet (select it all, then Unmerge "
        "cells) and fill each row."
    )


def test_past_the_ranges_kept_the_others_are_only_counted(tmp_path, monkeypatch):
    """A sheet may list millions of merged ranges: past ``MAX_MERGED_KEPT`` they are
    counted, not kept."""
    monkeypatch.setattr(tables, "MAX_MERGED_REPORTED", 1)
    monkeypatch.setattr(tables, "MAX_MERGED_KEPT", 2)
    path = workbook(tmp_path / "heures.xlsx", ["A2:A3", "A4:A5", "A6:A7", "A8:A9", "B2:B3"])
    with pytest.raises(InputError) as raised:
        read_table(path)
    messages = [str(p) for p in raised.value.problems]
    assert len(messages) == 2 and messages[0].startswith("cells A")
    assert messages[1].startswith("4 more merged ranges: ")


def test_the_command_reports_the_merge_not_the_missing_participants(tmp_path):
    ledger = workbook(tmp_path / "heures.xlsx", ["A3:A5"])
    result = run(
        "compliance",
        SAMPLE / "operation.yaml",
        "--commitments",
        SAMPLE / "engagements",
        "--ledger",
        ledger,
        "--participants",
        SAMPLE / "participants.yaml",
        "-o",
        tmp_path / "out",
    )
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {ledger}: cells A3:A5 are merged: a spreadsheet keeps the value in the first "
        "cell only; unmerge them and fill each row.\n"
    )
    assert not (tmp_path / "out").exists()
