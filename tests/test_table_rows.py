"""A table read row by row (``TableRows``): the rows of ``read_table``, one at a time, its
cells' problems raised all at once when every row is read."""

from __future__ import annotations

import pytest

from clausegen.errors import InputError
from clausegen.inputs.tables import TableRows, read_table


def test_rows_come_one_at_a_time_and_problems_at_the_end(tmp_path):
    path = tmp_path / "heures.csv"
    path.write_text("a;b\n1;2\n\n3;x\x07y\n4;5\n", encoding="utf-8")
    table = TableRows(path)
    assert table.columns == ("a", "b")
    rows = iter(table)
    first = next(rows)
    assert (first.number, first.cells) == (2, {"a": "1", "b": "2"})
    assert table.problems == []  # the bad row is not read yet
    rest = list(rows)
    assert [row.number for row in rest] == [4, 5]
    assert [problem.location for problem in table.problems] == ["row 4, column b"]
    with pytest.raises(InputError) as raised:
        table.check()
    with pytest.raises(InputError) as whole:
        read_table(path)
    assert raised.value.messages() == whole.value.messages()


def test_the_rows_are_those_of_read_table(tmp_path):
    path = tmp_path / "heures.csv"
    path.write_text("A;B;\n1;2;\n;;\n3;;9\n", encoding="utf-8")
    table = TableRows(path)
    rows = tuple(table)
    table.check()
    whole = read_table(path)
    assert (table.columns, rows) == (whole.columns, whole.rows)
