"""The divisions of the CPV 2008 (the first two digits of a code) and their official French
names, as sourced reference data.

Data lives in ``legal_fragments/cpv_divisions.yaml``: the legal reference, how sure the
names are (domain.md's [V]/[M]/[U], as ``statut``), the source, and one name per division::

    reference: Règlement (CE) n° 213/2008 … annexe I …
    statut: a_verifier
    source: https://…/codelists/cpv.gc
    texte: https://eur-lex.europa.eu/…
    divisions:
      "45": "Travaux de construction"

The names are the official text, unchanged; a document applies French typography when it
prints one. A code whose first two digits are not a CPV division has no name
(``division_name`` returns None): the documents say so rather than invent one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from clausegen.errors import InputError
from clausegen.inputs.bundled import LEGAL_FRAGMENTS, bundled_folder
from clausegen.inputs.readers import read_mapping
from clausegen.inputs.validation import problems_from
from clausegen.law.dated import Reliability

CPV_DIVISIONS_FILE = bundled_folder(LEGAL_FRAGMENTS) / "cpv_divisions.yaml"

DivisionCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{2}$")]


@dataclass(frozen=True)
class CpvDivisions:
    """The official French name of each CPV 2008 division, with where the names come from."""

    names: dict[str, str]
    """Division (two digits, ``"45"``) → official French name."""
    reference: str
    reliability: Reliability
    source_url: str
    text_url: str

    def name(self, code: str) -> str | None:
        """The name of the division of ``code`` (``45442100-8`` or ``45``), or None when its
        first two digits are not a CPV division."""
        return self.names.get(code.strip()[:2])


class _DivisionsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    reference: str = Field(min_length=1)
    statut: Reliability
    source: str = Field(min_length=1)
    texte: str = Field(min_length=1)
    divisions: dict[DivisionCode, Annotated[str, StringConstraints(min_length=1)]] = Field(
        min_length=1
    )


def load_cpv_divisions(path: Path = CPV_DIVISIONS_FILE) -> CpvDivisions:
    """Read the divisions file; every problem in it is reported at once."""
    try:
        parsed = _DivisionsFile.model_validate(read_mapping(path))
    except ValidationError as error:
        raise InputError(path=path, problems=problems_from(error, _DivisionsFile)) from None
    return CpvDivisions(
        names={code: name.strip() for code, name in sorted(parsed.divisions.items())},
        reference=parsed.reference,
        reliability=parsed.statut,
        source_url=parsed.source,
        text_url=parsed.texte,
    )


@cache
def bundled_cpv_divisions() -> CpvDivisions:
    """The division names clausegen ships, read once."""
    return load_cpv_divisions()


def division_name(code: str) -> str | None:
    """The official French name of the division of ``code`` (« Travaux de construction » for
    ``45442100-8``), or None when its first two digits are not a CPV division."""
    return bundled_cpv_divisions().name(code)
