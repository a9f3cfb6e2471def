"""The legal derogations to the L2112-2-1 obligation, as dated, sourced data.

Above the EU thresholds, a consultation launched on or after the date article L2112-2-1 of
the code de la commande publique applies must take social or employment considerations into
account in its execution conditions, save in the cases the law lists. Each case has a code
(what ``lots[].exclusion.derogation`` names) and dated versions, like a parameter: the label
a CCAP sentence uses, the legal basis, the reference and how sure it is.

Data lives in ``legal_fragments/derogations.yaml``; each top-level key is a code::

    difficulte_execution:
      description: Difficulté technique ou économique d'exécution
      versions:
        - depuis: 2026-08-21
          libelle: la prise en compte de considérations … rendrait l'exécution … difficile
          fondement: l'article L2112-2-1 du code de la commande publique
          reference: Code de la commande publique, article L2112-2-1 …
          statut: a_verifier
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from clausegen.errors import InputError, Problem
from clausegen.inputs.bundled import LEGAL_FRAGMENTS, bundled_folder
from clausegen.inputs.readers import read_mapping
from clausegen.inputs.validation import problems_from
from clausegen.law.dated import DateConflict, DatedVersions, Reliability, date_conflicts

DEROGATIONS_FILE = bundled_folder(LEGAL_FRAGMENTS) / "derogations.yaml"


@dataclass(frozen=True)
class DerogationVersion:
    """One dated wording of a derogation."""

    effective_from: date
    label: str
    legal_basis: str
    reference: str
    reliability: Reliability
    source_url: str | None = None
    until: date | None = None


@dataclass(frozen=True)
class ResolvedDerogation:
    """A derogation as in force at a date, with what a document needs to state and cite it."""

    code: str
    description: str
    label: str
    """The case, worded to follow « dérogation prévue à l'article … : » in a CCAP."""
    legal_basis: str
    """« l'article L2112-2-1 du code de la commande publique », to follow « prévue à »."""
    effective_from: date
    reference: str
    reliability: Reliability
    source_url: str | None = None


@dataclass(frozen=True)
class Derogation:
    """One case of derogation and its dated versions, oldest first."""

    code: str
    description: str
    versions: DatedVersions[DerogationVersion]

    def at(self, when: date) -> ResolvedDerogation | None:
        """The version in force at ``when``, or None when the case does not exist that day."""
        chosen = self.versions.at(when)
        if chosen is None:
            return None
        return ResolvedDerogation(
            code=self.code,
            description=self.description,
            label=chosen.label,
            legal_basis=chosen.legal_basis,
            effective_from=chosen.effective_from,
            reference=chosen.reference,
            reliability=chosen.reliability,
            source_url=chosen.source_url,
        )


@dataclass(frozen=True)
class DerogationSet:
    """Every case of derogation, by code."""

    by_code: dict[str, Derogation]

    @property
    def codes(self) -> tuple[str, ...]:
        """The valid codes, in the data's order."""
        return tuple(self.by_code)

    def get(self, code: str) -> Derogation | None:
        return self.by_code.get(code)


# --- loading --------------------------------------------------------------------------------

Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$")]


# The file's models build their validators when first used (``defer_build``): reading the
# file builds the outer one only, holding the others.
class _VersionEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    depuis: date
    jusqu_au: date | None = None
    libelle: str = Field(min_length=1)
    fondement: str = Field(min_length=1)
    reference: str = Field(min_length=1)
    statut: Reliability
    source: str | None = None


class _DerogationEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    description: str = Field(min_length=1)
    versions: list[_VersionEntry] = Field(min_length=1)


class _DerogationFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    derogations: dict[Code, _DerogationEntry]


CONFLICTS = {
    DateConflict.SAME_DATE: "two versions take effect on {day}; keep one version per date",
    DateConflict.ENDS_BEFORE_START: "the version dated {day} ends (jusqu_au) before it starts",
    DateConflict.OVERLAPS_NEXT: "the version dated {day} ends (jusqu_au) on or after the next "
    "version's date; end it the day before",
}


def load_derogations(path: Path = DEROGATIONS_FILE) -> DerogationSet:
    """Read the derogations file; every problem in it is reported at once."""
    try:
        parsed = _DerogationFile.model_validate({"derogations": read_mapping(path)})
    except ValidationError as error:
        problems = [
            Problem(p.location.removeprefix("derogations."), p.message)
            for p in problems_from(error, _DerogationFile)
        ]
        raise InputError(path=path, problems=problems) from None
    by_code: dict[str, Derogation] = {}
    problems = []
    for code, entry in parsed.derogations.items():
        versions = tuple(
            DerogationVersion(
                effective_from=v.depuis,
                label=v.libelle.strip(),
                legal_basis=v.fondement.strip(),
                reference=v.reference,
                reliability=v.statut,
                source_url=v.source,
                until=v.jusqu_au,
            )
            for v in sorted(entry.versions, key=lambda v: v.depuis)
        )
        problems += [
            Problem(code, CONFLICTS[conflict].format(day=versions[index].effective_from))
            for index, conflict, _following in date_conflicts(versions)
        ]
        by_code[code] = Derogation(code, entry.description, DatedVersions(versions))
    if problems:
        raise InputError(path=path, problems=problems)
    return DerogationSet(by_code)


@cache
def bundled_derogations() -> DerogationSet:
    """The derogations clausegen ships, read once."""
    return load_derogations()
