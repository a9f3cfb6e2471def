"""Document plans: which fragments make a document, in which order.

``legal_fragments/documents.yaml`` lists, for each document kind, its title and its
sections, each with its title and the fragments that make its text. A fragment id may
contain ``{dispositif}``, replaced by the clause's dispositif
(``ccap.fondement.{dispositif}`` → ``ccap.fondement.marche_reserve``), and ``{ccag}``,
replaced by the CCAG the contract refers to (``ccap.articulation_ccag.{ccag}`` →
``ccap.articulation_ccag.tic``), so each legal instrument has its own text, source and status
while the plan stays one list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from clausegen.errors import FragmentDataError, InputError
from clausegen.inputs.operation import Ccag, Dispositif
from clausegen.inputs.readers import read_mapping
from clausegen.inputs.validation import problems_from

DISPOSITIF = "{dispositif}"
CCAG = "{ccag}"


@dataclass(frozen=True)
class PlanSection:
    titre: str
    fragments: tuple[str, ...]
    """Fragment ids, possibly with ``{dispositif}`` and ``{ccag}``."""
    tableau_heures: bool

    def fragment_ids(self, dispositif: Dispositif, ccag: Ccag) -> list[str]:
        return [
            f.replace(DISPOSITIF, dispositif.value).replace(CCAG, ccag.value)
            for f in self.fragments
        ]


@dataclass(frozen=True)
class DocumentPlan:
    kind: str
    nature: str
    titre: str
    sections: tuple[PlanSection, ...]
    source: Path

    def all_fragment_ids(self) -> Iterator[tuple[int, str]]:
        """(section index, fragment id) for every dispositif and CCAG: what must exist."""
        for index, section in enumerate(self.sections):
            ids = {i for d, c in product(Dispositif, Ccag) for i in section.fragment_ids(d, c)}
            for fragment_id in sorted(ids):
                yield index, fragment_id


class _SectionEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    titre: str = Field(min_length=1)
    fragments: list[Annotated[str, Field(pattern=r"^[a-z0-9_{}]+(\.[a-z0-9_{}]+)+$")]] = Field(
        min_length=1
    )
    tableau_heures: bool = False


class _PlanEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    nature: str = Field(min_length=1)
    titre: str = Field(min_length=1)
    sections: list[_SectionEntry] = Field(min_length=1)


class _PlansFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    ccap: _PlanEntry
    rc: _PlanEntry


def load_plans(path: Path, shown: Path) -> dict[str, DocumentPlan]:
    """The plans of the tender documents (``ccap`` and ``rc``)."""
    try:
        parsed = _PlansFile.model_validate(read_mapping(path))
    except InputError as error:
        raise FragmentDataError(problems=[(shown, p) for p in error.problems]) from None
    except ValidationError as error:
        problems = [(shown, p) for p in problems_from(error, _PlansFile)]
        raise FragmentDataError(problems=problems) from None
    return {
        kind: DocumentPlan(
            kind=kind,
            nature=entry.nature,
            titre=entry.titre,
            sections=tuple(
                PlanSection(s.titre, tuple(s.fragments), s.tableau_heures) for s in entry.sections
            ),
            source=shown,
        )
        for kind, entry in (("ccap", parsed.ccap), ("rc", parsed.rc))
    }
