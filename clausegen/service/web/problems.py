"""Where each problem shows on the form: next to its input, or at the nearest section.

A problem's location is the operation file's field path (``lots[1].montant_estime_ht``),
which is also its input's name. A problem about a whole record (``clause.penalite``: both
penalties must be stated) shows at the section of that record; a problem about an input the
form does not have (a complement) shows in the complements' text area; the rest at the top.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from clausegen.errors import Problem
from clausegen.service.web.form import COMPLEMENTS, LOT_COMPLEMENTS, FormState, field_names

SECTIONS = (
    "acheteur",
    "facilitateur",
    "consultation",
    "clause.penalite",
    "clause",
    "lots",
)
"""Sections of the form that show a problem about their record as a whole."""

TOP = ""
"""The key of problems shown at the top of the form."""


def placed(problems: Iterable[Problem], state: FormState) -> dict[str, list[str]]:
    """Problems' messages by the input (or section) they show at; ``TOP`` for the rest."""
    names = set(field_names(state))
    rows = len(state.lots)
    where: dict[str, list[str]] = defaultdict(list)
    for problem in problems:
        where[_place(problem.location, names, rows)].append(_message(problem))
    return dict(where)


def _place(location: str, names: set[str], rows: int) -> str:
    if location in names:
        return location
    lot = re.match(r"^lots\[(\d+)\]", location)
    if lot and int(lot[1]) < rows:
        # a setting of the lot the form has no input for: its hidden complements
        return f"lots[{lot[1]}].{LOT_COMPLEMENTS}"
    for section in SECTIONS:
        if location == section:
            return section
    for section in SECTIONS:
        if location.startswith(f"{section}."):
            return COMPLEMENTS
    return COMPLEMENTS if location and location.split(".")[0] not in SECTIONS else TOP


def _message(problem: Problem) -> str:
    """The message without the path: the input it shows next to names the field."""
    return problem.message


def summary(problems: Iterable[Problem]) -> list[str]:
    """Every problem as the CLI writes it (``field: message``), for the top of the form."""
    return [str(problem) for problem in problems]
