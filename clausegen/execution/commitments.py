"""A company's commitment (engagement) on one lot: hours, planned modalities, contacts.

One YAML or JSON file per company and lot. Only the company and the lot are required: that
is enough to pre-fill a commitment form for the company to complete. The compliance
statement needs the complete commitment (hours committed and planned modalities) and the
contract it is part of (its number and notification date, which a penalty decision cites)::

    entreprise: {raison_sociale: Bâti Sud Construction, siret: "…", adresse: …}
    lot: 1
    marche: {numero: 2026-TRX-042-01, date_notification: 2026-12-18}
    montant_ht: 2089500          # the awarded amount, which caps the penalty
    heures_engagees: 2050
    modalites:
      - {modalite: embauche_directe, heures: 700}
      - {modalite: mise_a_disposition, structure: etti, partenaire: Idées Intérim, heures: 1100}
      - {modalite: sous_traitance, structure: ei, partenaire: Aude Bâtiment, montant_ht: 20000}
    referent: {nom: …, fonction: …, email: …, telephone: …}
    tuteur: {nom: …, fonction: …}
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from clausegen.calibration.calibrate import Calibration
from clausegen.errors import InputError, InputFilesError, Problem
from clausegen.execution.modalities import Modalite, TypeStructure, structure_problem
from clausegen.inputs.operation import Code, Montant, Nombre, Siret, Texte, _Strict
from clausegen.inputs.readers import SUPPORTED_SUFFIXES, read_mapping
from clausegen.inputs.validation import field_values, given_at, given_value, problems_from
from clausegen.inputs.values import NumeroLot

HeuresPositives = Annotated[Nombre, Field(gt=0, decimal_places=2)]


class Entreprise(_Strict):
    raison_sociale: Texte
    siret: Siret
    adresse: Texte | None = None


class Contact(_Strict):
    nom: Texte
    fonction: Texte | None = None
    email: Code | None = None
    telephone: Code | None = None


class Marche(_Strict):
    """The contract awarded on the lot, as the buyer numbered and notified it."""

    numero: Code = Field(description="the contract's number (numéro du marché)")
    date_notification: date = Field(description="the day the contract was notified, YYYY-MM-DD")


class ModalitePrevue(_Strict):
    """One planned way of doing hours: in hours, or (subcontracting) as an amount HT."""

    modalite: Modalite
    structure: TypeStructure | None = None
    partenaire: Texte | None = Field(default=None, description="the structure's name")
    heures: HeuresPositives | None = None
    montant_ht: Annotated[Nombre, Field(gt=0, decimal_places=2)] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ModalitePrevue:
        problem = structure_problem(self.modalite, self.structure)
        if problem:
            raise PydanticCustomError(
                "modality_structure",
                problem,
                {
                    "value": self.structure.value if self.structure else "",
                    "modality": self.modalite.value,
                    "allowed": ", ".join(s.value for s in self.modalite.structures) or "aucune",
                },
            )
        if (self.heures is None) == (self.montant_ht is None):
            raise PydanticCustomError(
                "hours_or_amount",
                "give either heures or montant_ht (an amount, for subcontracting), one of them",
            )
        if self.montant_ht is not None and not self.modalite.by_amount:
            raise PydanticCustomError(
                "amount_modality",
                "only sous_traitance and co_traitance may be declared as an amount "
                "(montant_ht); give {modality} in heures",
                {"modality": self.modalite.value},
            )
        return self


class Commitment(_Strict):
    """One company's commitment on one lot."""

    entreprise: Entreprise
    lot: NumeroLot
    marche: Marche | None = Field(default=None, description="the contract: number, notification")
    montant_ht: Montant | None = Field(default=None, description="the awarded amount HT")
    heures_engagees: HeuresPositives | None = None
    modalites: list[ModalitePrevue] = Field(default_factory=list)
    postes: list[Texte] = Field(default_factory=list)
    referent: Contact | None = None
    tuteur: Contact | None = None
    signataire: Contact | None = None
    date_signature: date | None = None

    @property
    def complete(self) -> bool:
        return self.heures_engagees is not None and bool(self.modalites)


@dataclass(frozen=True)
class CommitmentFile:
    """A commitment and the file it was read from (named in errors and manifests)."""

    path: Path
    engagement: Commitment


def load_commitment(path: Path) -> CommitmentFile:
    data = read_mapping(path)
    try:
        return CommitmentFile(path, Commitment.model_validate(data))
    except ValidationError as error:
        problems = [
            _company(p, given_at(data, "entreprise.raison_sociale"), given_at(data, "lot"), data)
            for p in problems_from(error, Commitment)
        ]
        raise InputError(path=path, problems=problems) from None


def _company(problem: Problem, company: object, lot: object, data: object = None) -> Problem:
    """``problem`` with, among its values, the company and the lot the file is about (when
    the file names them), the field and the value ``data``, the file, gives there."""
    values: dict[str, object] = {
        **problem.context,
        **field_values(problem.kind, problem.location),
        **given_value(data, problem.location),
    }
    if isinstance(company, str) and company.strip():
        values["company"] = company.strip()
    if isinstance(lot, int) and not isinstance(lot, bool):
        values["lot"] = lot
    return Problem(problem.location, problem.message, problem.kind, values)


def load_commitments(folder: Path, calibration: Calibration) -> list[CommitmentFile]:
    """Every complete commitment in ``folder``, checked against the sized lots.

    Hidden files (a name starting with a dot) are skipped. Every file's problems are
    reported together: unreadable or invalid files, incomplete
    commitments, no contract reference or one notified before the consultation was
    launched, lots that do not exist or carry no clause, a lot committed twice.
    """
    if not folder.is_dir():
        raise InputError(
            path=folder,
            problems=[
                Problem("", "not a folder; give the folder of commitment files.", "not_a_folder")
            ],
        )
    files = sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(".")
    )  # a hidden file is no commitment: macOS's ._lot-01.yaml copies, an editor's lock
    if not files:
        raise InputError(
            path=folder,
            problems=[
                Problem(
                    "",
                    "holds no commitment file (.yaml, .yml or .json).",
                    "no_commitment_files",
                )
            ],
        )
    errors: list[InputError] = []
    loaded: list[CommitmentFile] = []
    for path in files:
        try:
            loaded.append(load_commitment(path))
        except InputError as error:
            errors.append(error)
    lots = {lot.numero: lot for lot in calibration.lots}
    holder: dict[int, Path] = {}
    for item in loaded:
        problems = _problems(item.engagement, lots, holder.get(item.engagement.lot))
        problems += _contract_problems(item.engagement, calibration.date_reference)
        holder.setdefault(item.engagement.lot, item.path)
        if problems:
            errors.append(InputError(path=item.path, problems=problems))
    if errors:
        raise InputFilesError(errors=errors)
    return sorted(loaded, key=lambda item: item.engagement.lot)


def _problems(engagement: Commitment, lots: dict, first_holder: Path | None) -> list[Problem]:
    problems = []
    lot = lots.get(engagement.lot)
    if lot is None:
        known = ", ".join(str(n) for n in sorted(lots))
        problems.append(
            Problem(
                "lot",
                f"the operation has no lot {engagement.lot} (lots: {known}).",
                "unknown_lot",
                {"value": engagement.lot, "known": known},
            )
        )
    elif not lot.retenu:
        problems.append(
            Problem(
                "lot",
                f"lot {engagement.lot} carries no insertion clause; remove this file.",
                "commitment_lot_without_clause",
                {"value": engagement.lot},
            )
        )
    if first_holder is not None:
        problems.append(
            Problem(
                "lot",
                f"lot {engagement.lot} already has a commitment in {first_holder}; a lot is "
                "awarded to one holder (a groupement commits through its mandataire).",
                "lot_committed_twice",
                {"value": engagement.lot},
            )
        )
    if engagement.heures_engagees is None:
        problems.append(
            Problem(
                "heures_engagees", "this field is required; add the hours committed.", "missing"
            )
        )
    if not engagement.modalites:
        problems.append(
            Problem(
                "modalites",
                "list the planned modalities with their hours (at least one).",
                "no_modalities",
            )
        )
    return [_company(p, engagement.entreprise.raison_sociale, engagement.lot) for p in problems]


def _contract_problems(engagement: Commitment, launched: date) -> list[Problem]:
    """The contract a compliance statement cites: given, and notified after the launch."""
    problems = []
    if engagement.marche is None:
        problems.append(
            Problem(
                "marche",
                "the compliance statement cites the contract; add marche: {numero: …, "
                "date_notification: YYYY-MM-DD}, the contract's number and the day it was "
                "notified.",
                "no_contract",
            )
        )
    elif engagement.marche.date_notification < launched:
        notified = engagement.marche.date_notification
        problems.append(
            Problem(
                "marche.date_notification",
                f"{notified.isoformat()} is before the consultation was launched "
                f"({launched.isoformat()}); a contract is notified after its award. "
                "Correct the date.",
                "notified_before_launch",
                {"value": notified, "launched": launched},
            )
        )
    return [_company(p, engagement.entreprise.raison_sociale, engagement.lot) for p in problems]


def unplanned_problem(engagement: Commitment, planned: Decimal) -> Problem | None:
    """A complete commitment whose planned modalities (``planned`` hours, an amount already
    converted) do not add up to its committed hours: refused, since the form, the statement
    and the evaluation show the modalities beside the total and the two must agree."""
    committed = engagement.heures_engagees
    if committed is None or not engagement.modalites or planned == committed:
        return None
    gap = committed - planned
    where = (
        f"the difference, {_plain(gap)} h, is planned under no modality"
        if gap > 0
        else f"they exceed it by {_plain(-gap)} h"
    )
    problem = Problem(
        "modalites",
        f"the planned modalities add up to {_plain(planned)} h but heures_engagees is "
        f"{_plain(committed)} h ({where}; an amount counts as amount × the lot's labour share "
        "÷ hourly cost); make them equal: plan every committed hour under a modality, or "
        "correct heures_engagees.",
        "modalities_total",
        {"planned": _plain(planned), "committed": _plain(committed), "gap": _plain(abs(gap))},
    )
    return _company(problem, engagement.entreprise.raison_sociale, engagement.lot)


def _plain(value: Decimal) -> str:
    """``137.50`` → ``137.5``, ``160`` → ``160``."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
