"""Every class of hostile cases, by name: add a generator module here (see the package
docstring)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from tests.hostile import extreme_values, input_files, notations, templates
from tests.hostile.runner import Case

CLASSES: dict[str, Callable[[], Iterator[Case]]] = {
    "extreme_values": extreme_values.cases,
    "notations": notations.cases,
    "input_files": input_files.cases,
    "templates": templates.cases,
}
"""Issue 15's classes: 1 impossible or extreme values, 2 values that should not be
numbers, 3 input files that are not regular files of bounded size, 4 buyer templates
(``tests/hostile_templates.py``, given to ``tender --templates``)."""


def all_cases() -> list[tuple[str, Case]]:
    """``(class, case)`` for every case of every class, in a stable order."""
    found = [(name, case) for name, cases in CLASSES.items() for case in cases()]
    ids = [f"{name}/{case.name}" for name, case in found]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    assert not repeated, f"case names used twice: {repeated}"
    return found
