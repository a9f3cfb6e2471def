"""Where each problem shows on the form: next to its input, or at the nearest section.

A problem's location is the operation file's field path (``lots[1].montant_estime_ht``),
which is also its input's name. A problem about a whole record (``clause.penalite``: both
penalties must be stated) shows at the section of that record; a problem about an input the
form does not have (a complement) shows in the complements' text area; the rest at the top.
At an input or a section, the message is the form's French (``messages``), about what was
typed there; in the complements (written as the file's YAML) and at the top, the CLI's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from clausegen.errors import Problem
from clausegen.service.web.form import COMPLEMENTS, LOT_COMPLEMENTS, FormState, field_names
from clausegen.service.web.messages import form_message

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
        place = _place(problem.location, names, rows)
        where[place].append(_message(problem, place, state))
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


def _message(problem: Problem, place: str, state: FormState) -> str:
    """At an input or a section, the form's words for what was typed there; elsewhere the
    CLI's message (without the path where the input it shows next to names the field)."""
    if place == problem.location and place != COMPLEMENTS:
        return form_message(problem, place, _typed(state, place))
    return problem.message


def _typed(state: FormState, name: str) -> str:
    """What the input ``name`` holds (empty for a section)."""
    lot = re.match(r"^lots\[(\d+)\]\.(.+)$", name)
    if lot:
        index = int(lot[1])
        return state.lots[index].get(lot[2], "") if index < len(state.lots) else ""
    return state.value(name)


def summary(problems: Iterable[Problem]) -> list[str]:
    """Every problem as the CLI writes it (``field: message``), for the top of the form."""
    return [str(problem) for problem in problems]
