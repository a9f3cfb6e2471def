"""Class 4, buyer templates (``tests/hostile_templates.py``), as corpus cases: each hostile
template is given to ``tender --templates``, which must refuse it with an error naming the
template, within the corpus's time and memory limits.

``tests/test_hostile_templates.py`` runs the same templates through ``templates check``
too, and checks where the lint places each problem.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tests.hostile.bases import OPERATION
from tests.hostile.runner import Case
from tests.hostile_templates import HostileTemplate, hostile_templates

FOLDER = "modeles"
TEMPLATE = f"{FOLDER}/tender.docx"


def _case(template: HostileTemplate) -> Case:
    def build(folder: Path) -> list[str]:
        (folder / FOLDER).mkdir()
        template.build(folder / TEMPLATE)
        return ["tender", str(OPERATION), "-o", "{out}", "--templates", str(folder / FOLDER)]

    # the lint's place, or the phrase of a refusal at render (a template the lint passes)
    names = (template.phrase,) if template.place is None else ()
    return Case(name=template.name, build=build, names=names, file=TEMPLATE)


def cases() -> Iterator[Case]:
    yield from (_case(template) for template in hostile_templates())
