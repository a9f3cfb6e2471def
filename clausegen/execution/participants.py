"""The participants a facilitator follows: eligibility, contract, job, trainings, exit, and
what their end-of-mission balance says of the pathway (tasks, savoir-être and savoir-faire
with their progress, the tutor's, the company référent's and the facilitator's remarks,
next steps).

``participants.yaml`` (or ``.json``) holds personal data. It feeds each participant's
end-of-mission balance; the buyer's compliance statement only ever sees counts.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from clausegen.errors import InputError, Problem
from clausegen.execution.publics import Critere, TrancheAge, TypeSortie
from clausegen.execution.spool import Spool, Spooled
from clausegen.inputs.entries import NotPlain, ValuesCount, entries, entry_texts, parse_entry
from clausegen.inputs.operation import Nombre, Siret, Texte, _Strict
from clausegen.inputs.readers import read_mapping
from clausegen.inputs.validation import field_values, given_value, problems_from
from clausegen.workers import map_in_order

ParticipantId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,40}$")]


def _rome(value: str) -> str:
    if not re.fullmatch(r"[A-N][0-9]{4}", value):
        raise PydanticCustomError(
            "rome",
            "'{value}' is not a ROME code: a letter from A to N and four digits, as in F1703",
            {"value": value},
        )
    return value


CodeRome = Annotated[str, AfterValidator(_rome)]


class TypeContrat(StrEnum):
    CDI = "cdi"
    CDD = "cdd"
    CDDI = "cddi"
    INTERIM = "interim"
    APPRENTISSAGE = "apprentissage"
    PROFESSIONNALISATION = "professionnalisation"

    @property
    def label(self) -> str:
        return {
            "cdi": "Contrat à durée indéterminée",
            "cdd": "Contrat à durée déterminée",
            "cddi": "Contrat à durée déterminée d’insertion",
            "interim": "Contrat de mission (intérim)",
            "apprentissage": "Contrat d’apprentissage",
            "professionnalisation": "Contrat de professionnalisation",
        }[self.value]


class Employeur(_Strict):
    raison_sociale: Texte
    siret: Siret | None = None


class Contrat(_Strict):
    type: TypeContrat
    debut: dt.date
    fin: dt.date | None = None
    heures_hebdomadaires: Annotated[Nombre, Field(gt=0, le=48)] | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Contrat:
        if self.fin is not None and self.fin < self.debut:
            raise PydanticCustomError(
                "contract_dates", "the contract ends (fin) before it starts (debut)"
            )
        return self


class Poste(_Strict):
    intitule: Texte
    code_rome: CodeRome | None = None


class Formation(_Strict):
    intitule: Texte
    heures: Annotated[Nombre, Field(gt=0)]
    organisme: Texte | None = None
    date: dt.date | None = None


class Sortie(_Strict):
    type: TypeSortie
    date: dt.date
    precision: Texte | None = None


class Niveau(StrEnum):
    """A level on the balance's progress scale, the three-level scale of tutoring and
    insertion evaluation grids (acquis / en cours d’acquisition / non acquis)."""

    ACQUIS = "acquis"
    EN_COURS = "en_cours"
    NON_ACQUIS = "non_acquis"

    @property
    def label(self) -> str:
        return {
            "acquis": "Acquis",
            "en_cours": "En cours d’acquisition",
            "non_acquis": "Non acquis",
        }[self.value]


class Evaluation(_Strict):
    """One savoir-être or savoir-faire, with its level at the start and at the end."""

    intitule: Texte
    debut: Niveau | None = None
    fin: Niveau | None = None

    @model_validator(mode="after")
    def _assessed(self) -> Evaluation:
        if self.debut is None and self.fin is None:
            raise PydanticCustomError(
                "no_level",
                "'{intitule}' has no level; give its level at the start of the mission "
                "(debut), at its end (fin) or both: acquis, en_cours or non_acquis",
                {"intitule": self.intitule},
            )
        return self


class TypeEtape(StrEnum):
    """What comes next in a pathway (suite de parcours)."""

    FORMATION = "formation"
    EMBAUCHE = "embauche"
    AUTRE_STRUCTURE = "autre_structure"
    ACCOMPAGNEMENT = "accompagnement"

    @property
    def label(self) -> str:
        return {
            "formation": "Formation",
            "embauche": "Embauche",
            "autre_structure": "Orientation vers une autre structure",
            "accompagnement": "Accompagnement vers l’emploi",
        }[self.value]


class EtapeParcours(_Strict):
    """One next step of the pathway: a training, a hire, another structure, support."""

    type: TypeEtape
    intitule: Texte
    structure: Texte | None = None
    date: dt.date = Field(
        description="the date the step starts or is planned for, written YYYY-MM-DD"
    )


def _moved_to_savoir_faire(value: object) -> None:
    raise PydanticCustomError(
        "competences_moved",
        "competences is now savoir_faire, each skill with its level at the start and the "
        "end of the mission; write savoir_faire: [{intitule: …, debut: en_cours, fin: "
        "acquis}] (levels: acquis, en_cours, non_acquis)",
    )


class Participant(_Strict):
    """One person in an insertion pathway on the operation."""

    id: ParticipantId
    nom: Texte
    prenom: Texte
    sexe: Literal["F", "H"]
    date_naissance: dt.date
    criteres: list[Critere]
    date_validation: dt.date = Field(
        description="the date the facilitator validated the eligibility, YYYY-MM-DD"
    )
    prescripteur: Texte | None = None
    employeur: Employeur
    contrat: Contrat
    poste: Poste
    tuteur: Texte | None = None
    referent: Texte | None = None
    missions: list[Texte] = Field(default_factory=list)
    formations: list[Formation] = Field(default_factory=list)
    savoir_etre: list[Evaluation] = Field(default_factory=list)
    savoir_faire: list[Evaluation] = Field(default_factory=list)
    avis_tuteur: Texte | None = None
    avis_referent: Texte | None = None
    observations: Texte | None = None
    """The facilitator's remarks."""
    suite_parcours: list[EtapeParcours] = Field(default_factory=list)
    sortie: Sortie | None = None
    competences: Annotated[None, BeforeValidator(_moved_to_savoir_faire)] = Field(
        default=None, exclude=True
    )
    """Replaced by ``savoir_faire``: an old file says so where it uses the key."""

    @model_validator(mode="after")
    def _eligible(self) -> Participant:
        if not self.criteres:
            raise PydanticCustomError(
                "no_criterion",
                "participant {id} has no eligibility criterion; list under criteres the ones "
                "the facilitator validated (for instance [deld, qpv]), or leave the person "
                "out: only eligible people's hours count",
                {"id": self.id},
            )
        if Critere.AVIS_MOTIVE in self.criteres and self.prescripteur is None:
            raise PydanticCustomError(
                "avis_without_prescriber",
                "participant {id} is eligible on a reasoned opinion (avis_motive), which "
                "needs the prescripteur who gave it (France Travail, mission locale…)",
                {"id": self.id},
            )
        return self

    @field_validator("suite_parcours")
    @classmethod
    def _steps_after_start(
        cls, steps: list[EtapeParcours], info: ValidationInfo
    ) -> list[EtapeParcours]:
        start = info.data.get("date_validation")
        for etape in steps:
            if start is not None and etape.date < start:
                raise PydanticCustomError(
                    "next_step_before_pathway",
                    "the next step '{intitule}' is dated {date}, before the pathway starts "
                    "(date_validation {start}); give the date it starts or is planned for",
                    {
                        "intitule": etape.intitule,
                        "date": etape.date,
                        "start": start,
                    },
                )
        return steps

    @property
    def nom_complet(self) -> str:
        return f"{self.prenom} {self.nom}"

    def age_on(self, day: dt.date) -> int:
        before_birthday = (day.month, day.day) < (
            self.date_naissance.month,
            self.date_naissance.day,
        )
        return day.year - self.date_naissance.year - before_birthday

    @property
    def tranche_age(self) -> TrancheAge:
        """The age band at the facilitator's validation, when the pathway starts."""
        return TrancheAge.of(self.age_on(self.date_validation))


class ParticipantsFile(_Strict):
    participants: list[Participant] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> ParticipantsFile:
        seen: set[str] = set()
        for participant in self.participants:
            if participant.id in seen:
                raise PydanticCustomError(
                    "duplicate_participant",
                    "participant id {id} is used twice; give each person their own id",
                    {"id": participant.id},
                )
            seen.add(participant.id)
        return self


def load_participants(path: Path) -> dict[str, Participant]:
    """The participants of ``path`` by id; an ``InputError`` lists every problem at once.

    A file in the plain shape is read and validated one participant at a time
    (``clausegen.inputs.entries``), so a large one is never held whole as YAML; any
    problem, and the file is read whole, which reports every problem as always."""
    try:
        return _one_by_one(path)
    except (NotPlain, ValidationError):
        pass
    data = read_mapping(path, locate=_named)
    try:
        parsed = ParticipantsFile.model_validate(data)
    except ValidationError as error:
        problems = problems_from(error, ParticipantsFile)
        raise InputError(path=path, problems=[_named(p, data) for p in problems]) from None
    return {p.id: p for p in parsed.participants}


@dataclass(frozen=True, slots=True)
class SpooledParticipant:
    """What a large batch keeps of a participant in memory: the id and validation date the
    ledger is checked against, and where the whole validated participant is (``Spool``)."""

    id: str
    date_validation: dt.date
    where: Spooled


SPOOL_CHUNK = 64
"""Participants a worker validates at a time."""


def spool_participants(
    path: Path, spool: Spool, pool: Pool | None
) -> dict[str, SpooledParticipant]:
    """The participants of ``path``, each validated and put in ``spool``, by id, in file
    order: the same participants, and the same problems, as ``load_participants``.

    A file in the plain shape is validated entry by entry on ``pool``'s workers (here
    without one), each spooling what it validated; any problem, or a file in another shape,
    and the file is read whole here (``load_participants``: every problem reported at
    once), then spooled."""
    try:
        return _spooled_one_by_one(path, spool, pool)
    except NotPlain:
        pass
    return {
        person.id: SpooledParticipant(person.id, person.date_validation, spool.put(person))
        for person in load_participants(path).values()
    }


def _spooled_one_by_one(
    path: Path, spool: Spool, pool: Pool | None
) -> dict[str, SpooledParticipant]:
    chunks = ((spool, chunk) for chunk in _chunks(entry_texts(path, "participants"), SPOOL_CHUNK))
    count = ValuesCount()
    people: dict[str, SpooledParticipant] = {}
    for done in map_in_order(_spool_entries, chunks, pool):
        if done is None:
            raise NotPlain
        for person, size in done:
            count.add(size)
            if person.id in people:
                raise NotPlain
            people[person.id] = person
    return people


def _chunks(texts: Iterator[str], size: int) -> Iterator[tuple[str, ...]]:
    while chunk := tuple(itertools.islice(texts, size)):
        yield chunk


def _spool_entries(
    task: tuple[Spool, tuple[str, ...]],
) -> list[tuple[SpooledParticipant, int]] | None:
    """In a worker: each entry parsed, validated and spooled, with the values it holds;
    None at the first entry that is not valid (the file is then read whole)."""
    spool, texts = task
    done = []
    for text in texts:
        try:
            entry, size = parse_entry(text, "participants")
            person = Participant.model_validate(entry)
        except (NotPlain, ValidationError):
            return None
        where = spool.put(person)
        done.append((SpooledParticipant(person.id, person.date_validation, where), size))
    return done


def _one_by_one(path: Path) -> dict[str, Participant]:
    """The participants of a plain file, each validated as soon as it is read; raises
    ``NotPlain`` or ``ValidationError`` at its first problem."""
    people: dict[str, Participant] = {}
    for entry in entries(path, "participants"):
        person = Participant.model_validate(entry)
        if person.id in people:
            raise NotPlain
        people[person.id] = person
    return people


_NAMES = (".nom", ".prenom")
"""A participant's name: never among a problem's values (the id names the person)."""


def _named(problem: Problem, data: object) -> Problem:
    """``participants[3].sexe`` → ``participants[3] (P04).sexe``: the id a facilitator knows."""
    prefix = "participants["
    if not problem.location.startswith(prefix):
        return problem
    index_text, _, rest = problem.location[len(prefix) :].partition("]")
    try:
        entry = data["participants"][int(index_text)]  # type: ignore[index]
        identifier = entry["id"]
    except (KeyError, IndexError, TypeError, ValueError):
        return problem
    values = {
        **problem.context,
        "participant": identifier,
        **field_values(problem.kind, rest.removeprefix(".")),
        **({} if rest in _NAMES else given_value(data, problem.location)),
    }
    location = f"{prefix}{index_text}] ({identifier}){rest}"
    return Problem(location, problem.message, problem.kind, values)
