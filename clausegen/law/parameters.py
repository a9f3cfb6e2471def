"""Dated parameters: values keyed by effective date, each with its legal reference.

A parameter (``smic.horaire_brut``, ``part_main_oeuvre.peinture``…) has one value per
effective date, as in OpenFisca. Resolving it at a date gives the newest value whose
effective date is on or before that date, together with everything needed to cite it: the
date it took effect, its reference and how sure that reference is.

Data lives in ``legal_fragments/parametres/*.yaml``; each top-level key is a parameter id::

    smic.horaire_brut:
      description: SMIC horaire brut (métropole)
      unite: EUR/h
      valeurs:
        - depuis: 2026-01-01
          valeur: 12.02
          reference: Décret n° 2025-1228 du 17 décembre 2025
          statut: verifie
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    ValidationError,
)

from clausegen.errors import (
    InputError,
    ParameterDataError,
    ParameterNotInForceError,
    Problem,
    UnknownParameterError,
)
from clausegen.inputs.bundled import LEGAL_FRAGMENTS, bundled_folder
from clausegen.inputs.readers import read_mapping
from clausegen.inputs.validation import problems_from
from clausegen.law.dated import DateConflict, DatedVersions, Reliability, date_conflicts

PARAMETERS_DIR = bundled_folder(LEGAL_FRAGMENTS) / "parametres"

ParameterValueType = bool | Decimal


@dataclass(frozen=True)
class ParameterValue:
    """One value of a parameter and the date it took effect."""

    effective_from: date
    value: ParameterValueType
    reference: str
    reliability: Reliability
    source_url: str | None = None
    until: date | None = None


@dataclass(frozen=True)
class ResolvedParameter:
    """A parameter's value in force at a date, with all that is needed to cite it."""

    id: str
    description: str
    unit: str | None
    value: ParameterValueType
    effective_from: date
    reference: str
    reliability: Reliability
    source_url: str | None = None


@dataclass(frozen=True)
class Parameter:
    """A parameter and its dated values, oldest first."""

    id: str
    description: str
    unit: str | None
    values: DatedVersions[ParameterValue]
    source: Path

    def at(self, when: date) -> ResolvedParameter:
        """The value in force at ``when``: the newest one that took effect on or before it."""
        chosen = self.values.at(when)
        if chosen is None:
            first = self.values.first.effective_from
            raise ParameterNotInForceError(
                parameter_id=self.id,
                at=when,
                first_effective=first,
                source=self.source,
                ended_on=self.values.last_day_before(when) if when >= first else None,
            )
        return ResolvedParameter(
            id=self.id,
            description=self.description,
            unit=self.unit,
            value=chosen.value,
            effective_from=chosen.effective_from,
            reference=chosen.reference,
            reliability=chosen.reliability,
            source_url=chosen.source_url,
        )


class ParameterSet:
    """All parameters, by id."""

    def __init__(self, parameters: Iterable[Parameter]) -> None:
        self._by_id: dict[str, Parameter] = {}
        for parameter in parameters:
            if parameter.id in self._by_id:
                first = self._by_id[parameter.id].source
                raise ParameterDataError(
                    path=parameter.source,
                    message=f"parameter '{parameter.id}' is already defined in {first}; "
                    "keep one definition and put all its dated values there.",
                )
            self._by_id[parameter.id] = parameter

    def __iter__(self) -> Iterator[Parameter]:
        return iter(sorted(self._by_id.values(), key=lambda p: p.id))

    def __contains__(self, parameter_id: object) -> bool:
        return parameter_id in self._by_id

    def get(self, parameter_id: str) -> Parameter:
        """The parameter with that id; an error suggesting close ids when there is none."""
        try:
            return self._by_id[parameter_id]
        except KeyError:
            import difflib  # here, not at the top: only an unknown id needs it

            close = difflib.get_close_matches(parameter_id, self._by_id, n=3)
            hint = f"Did you mean: {', '.join(close)}?" if close else ""
            raise UnknownParameterError(parameter_id=parameter_id, hint=hint) from None

    def resolve(self, parameter_id: str, when: date) -> ResolvedParameter:
        """The value of ``parameter_id`` in force at ``when``."""
        return self.get(parameter_id).at(when)

    def ids_under(self, prefix: str) -> list[str]:
        """The last segment of every id starting with ``prefix.`` (e.g. the known trades)."""
        start = f"{prefix}."
        return sorted(pid.removeprefix(start) for pid in self._by_id if pid.startswith(start))


# --- loading --------------------------------------------------------------------------------

ParameterId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")]


# The file's models build their validators when first used (``defer_build``): reading the
# file builds the outer one only, holding the others.
class _ValueEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    depuis: date
    jusqu_au: date | None = None
    valeur: StrictBool | Decimal
    reference: str = Field(min_length=1)
    statut: Reliability
    source: str | None = None


class _ParameterEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    description: str = Field(min_length=1)
    unite: str | None = None
    valeurs: list[_ValueEntry] = Field(min_length=1)


class _ParameterFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    parameters: dict[ParameterId, _ParameterEntry]


def load_parameter_file(path: Path, shown_as: Path | None = None) -> list[Parameter]:
    """Read one parameter file; every malformed value in it is reported at once.

    Malformed values raise ``InputError`` (one problem per field, like an operation file);
    inconsistent ones (two values on one date) raise ``ParameterDataError``.

    ``shown_as`` is how messages name the file (default: ``path`` itself).
    """
    shown = shown_as or path
    try:
        parsed = _ParameterFile.model_validate({"parameters": read_mapping(path)})
    except ValidationError as error:
        problems = [
            Problem(p.location.removeprefix("parameters."), p.message)
            for p in problems_from(error, _ParameterFile)
        ]
        raise InputError(path=shown, problems=problems) from None
    parameters = []
    for parameter_id, entry in parsed.parameters.items():
        values = tuple(
            ParameterValue(
                effective_from=v.depuis,
                value=v.valeur,
                reference=v.reference,
                reliability=v.statut,
                source_url=v.source,
                until=v.jusqu_au,
            )
            for v in sorted(entry.valeurs, key=lambda v: v.depuis)
        )
        for index, conflict, following in date_conflicts(values):
            raise ParameterDataError(
                path=shown,
                message=_conflict_message(parameter_id, values[index], conflict, following),
            )
        parameters.append(
            Parameter(
                id=parameter_id,
                description=entry.description,
                unit=entry.unite,
                values=DatedVersions(values),
                source=shown,
            )
        )
    return parameters


def _conflict_message(
    parameter_id: str, value: ParameterValue, conflict: DateConflict, following: date | None
) -> str:
    dated = value.effective_from.isoformat()
    if conflict is DateConflict.SAME_DATE:
        return (
            f"parameter '{parameter_id}' has two values dated {dated}; keep one value per "
            "effective date."
        )
    if conflict is DateConflict.ENDS_BEFORE_START:
        return (
            f"parameter '{parameter_id}': the value dated {dated} ends (jusqu_au) before it "
            "starts; a value must end on or after its first day."
        )
    return (
        f"parameter '{parameter_id}': the value dated {dated} ends (jusqu_au) on or after "
        f"{following}, when the next value applies; end it the day before."
    )


def load_parameters(directory: Path = PARAMETERS_DIR) -> ParameterSet:
    """Every parameter defined in the YAML files of ``directory``."""
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise ParameterDataError(
            path=directory, message="no parameter file (*.yaml) found in this folder."
        )
    return ParameterSet(p for path in files for p in load_parameter_file(path, _shown(path)))


def _shown(path: Path) -> Path:
    """The path messages show: from the folder holding legal_fragments/, as people know it."""
    return path.relative_to(path.parent.parent.parent)
