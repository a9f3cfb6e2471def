"""Composing the commitment form of one lot, blank or pre-filled with a company's commitment."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from clausegen.calibration.calibrate import CalibratedLot, Calibration
from clausegen.calibration.trace import Operand, Origin, TraceBuilder
from clausegen.documents.common_contexts import buyer_filing, clause_terms, header_contexts
from clausegen.documents.contexts import HeadingContext
from clausegen.documents.document import ComposedDocument
from clausegen.documents.execution_contexts import (
    CommitmentContext,
    CommitmentDocumentContext,
    CommitmentLotContext,
    FieldContext,
    PlannedModalityContext,
)
from clausegen.documents.formatting import (
    date_fr,
    euros,
    euros_ht,
    hours,
    number,
    siret,
    unbreakable,
)
from clausegen.documents.fragments import fragment_blocks
from clausegen.errors import CompositionError
from clausegen.execution.commitments import Commitment, Contact, ModalitePrevue, unplanned_problem
from clausegen.execution.modalities import Modalite, TypeStructure, line_label
from clausegen.execution.reconciliation import convert_amount
from clausegen.inputs.operation import Dispositif, Operation
from clausegen.law.fragments import FragmentRegistry
from clausegen.law.parameters import ParameterSet, ResolvedParameter

NATURE = "Fiche d’engagement insertion"
PENALTY_TERMS = ("clause.penalites", "clause.plafond", "clause.exoneration")
"""The CCAP's penalty terms the form quotes, word for word."""


def compose_commitment(
    operation: Operation,
    calibration: Calibration,
    lot_number: int,
    commitment: Commitment | None,
    registry: FragmentRegistry,
    parameters: ParameterSet,
) -> ComposedDocument:
    """The commitment form of lot ``lot_number``; blank lines where ``commitment`` is None."""
    at = calibration.date_reference
    lot = _retained_lot(calibration, lot_number)
    if commitment is not None and commitment.lot != lot_number:
        raise CompositionError(
            message=f"the company file commits to lot {commitment.lot}, not lot {lot_number}; "
            "give the lot of the file (--lot) or the file of the lot."
        )
    used: dict[str, ResolvedParameter] = {
        p.id: p for t in lot.traces.values() for p in t.parameters
    }
    trace = TraceBuilder(parameters, at)
    planned = (
        [_planned(operation, trace, lot_number, entry) for entry in commitment.modalites]
        if commitment is not None and commitment.modalites
        else []
    )
    if commitment is not None:
        problem = unplanned_problem(commitment, sum((h for _, h in planned), Decimal(0)))
        if problem is not None:
            raise CompositionError(message=str(problem))
    modalites = [line for line, _ in planned] or _blank_modalities()
    used.update({p.id: p for p in trace.build().parameters})
    base = CommitmentContext(
        **header_contexts(operation),
        lot=CommitmentLotContext(
            numero=lot.numero,
            intitule=lot.intitule,
            **_amount(operation, lot, commitment),
            heures=number(lot.heures),
            etp=number(lot.etp, 2),
        ),
        article_ccap=str(operation.clause.article_ccap) if operation.clause.article_ccap else None,
        termes=clause_terms(operation, parameters, at, used).model_copy(
            update={"sur_la_fiche": True}
        ),
        modalites=modalites,
        heures_offre=_offer_hours(operation, lot, commitment),
        **_company_part(commitment),
    )
    preambule = registry.resolve("engagement.preambule", at)
    undertakings = registry.resolve("engagement.engagements", at)
    due = registry.resolve("clause.fiche_engagement", at)
    penalty_terms = tuple(registry.resolve(i, at) for i in PENALTY_TERMS)
    context = CommitmentDocumentContext(
        **dict(base),
        document=HeadingContext(
            titre=f"Fiche d’engagement insertion – lot\u00a0{lot.numero}", nature=NATURE
        ),
        preambule=fragment_blocks(preambule, base) + fragment_blocks(due, base),
        engagements=fragment_blocks(undertakings, base)
        + [block for term in penalty_terms for block in fragment_blocks(term, base)],
    )
    cited = tuple(used[key] for key in sorted(used))
    stem = f"engagement-lot-{lot.numero:02d}"
    if commitment is not None:
        stem += f"-{commitment.entreprise.siret}"
    filing = buyer_filing(operation, stem)
    fragments = (preambule, due, undertakings, *penalty_terms)
    return ComposedDocument("engagement", context, fragments, cited, at, filing)


def _company_part(commitment: Commitment | None) -> dict[str, Any]:
    """What the company fills in: its identity, hours, jobs, contacts and signature date
    (empty fields, printed as dotted lines, on a blank form)."""
    committed = commitment.heures_engagees if commitment is not None else None
    signed = commitment.date_signature if commitment is not None else None
    return {
        "pre_rempli": commitment is not None,
        "entreprise": _company_fields(commitment),
        "heures_engagees": hours(committed, 2) if committed is not None else None,
        "postes": list(commitment.postes) if commitment is not None else [],
        "referent": _contact_fields(commitment.referent if commitment else None, email=True),
        "tuteur": _contact_fields(commitment.tuteur if commitment else None),
        "signataire": _contact_fields(commitment.signataire if commitment else None),
        "date_signature": date_fr(signed) if signed is not None else None,
    }


def _offer_hours(
    operation: Operation, lot: CalibratedLot, commitment: Commitment | None
) -> str | None:
    """The committed hours when they are what the company is held to: under an award
    criterion the offer's commitments are conditions of execution, so hours committed above
    the lot's minimum are due (a commitment below it leaves the minimum due)."""
    if (
        operation.clause.dispositif is not Dispositif.CRITERE_ATTRIBUTION
        or commitment is None
        or commitment.heures_engagees is None
        or commitment.heures_engagees <= lot.heures
    ):
        return None
    return number(commitment.heures_engagees, 2, exact=True)


def _amount(
    operation: Operation, lot: CalibratedLot, commitment: Commitment | None
) -> dict[str, str]:
    """The commitment's amount, labelled: the awarded amount, or under an award criterion
    (the form goes with the offer, before any award) the offer's; else the estimated one."""
    if commitment is not None and commitment.montant_ht is not None:
        offer = operation.clause.dispositif is Dispositif.CRITERE_ATTRIBUTION
        label = "Montant de l’offre HT" if offer else "Montant attribué HT"
        return {"montant_libelle": label, "montant_ht": euros(commitment.montant_ht)}
    return {"montant_libelle": "Montant estimé HT", "montant_ht": euros(lot.montant_ht)}


def _retained_lot(calibration: Calibration, lot_number: int) -> CalibratedLot:
    lot = next((lot for lot in calibration.lots if lot.numero == lot_number), None)
    if lot is None:
        known = ", ".join(str(lot.numero) for lot in calibration.lots)
        raise CompositionError(
            message=f"the operation has no lot {lot_number}; give --lot one of {known}."
        )
    if not lot.retenu:
        raise CompositionError(
            message=f"lot {lot_number} carries no insertion clause ({lot.motif_label}), so it "
            "has no commitment form."
        )
    return lot


def _planned(
    operation: Operation, trace: TraceBuilder, lot_number: int, entry: ModalitePrevue
) -> tuple[PlannedModalityContext, Decimal]:
    """One planned modality's line, and its hours (an amount converted)."""
    if entry.heures is not None:
        value = entry.heures
        planned = hours(value, 2)
    else:
        assert entry.montant_ht is not None
        amount = Operand("montant prévu", entry.montant_ht, Origin.ENGAGEMENT, "modalites", "EUR")
        value = Decimal(str(convert_amount(operation, trace, lot_number, amount).value))
        planned = f"{euros_ht(entry.montant_ht)}, soit {hours(value, 2)}"
    line = PlannedModalityContext(
        libelle=line_label(entry.modalite, entry.structure),
        partenaire=entry.partenaire,
        heures=planned,
    )
    return line, value


def _blank_modalities() -> list[PlannedModalityContext]:
    """One line per modality, with its structures, for the company to fill in."""
    lines = []
    for modalite in Modalite:
        kinds = ", ".join(s.label for s in TypeStructure if s in modalite.structures)
        label = f"{modalite.label} ({kinds})" if kinds else modalite.label
        lines.append(PlannedModalityContext(libelle=label, partenaire=None, heures=None))
    return lines


def _company_fields(engagement: Commitment | None) -> list[FieldContext]:
    company = engagement.entreprise if engagement is not None else None
    return [
        FieldContext(libelle="Raison sociale", valeur=company.raison_sociale if company else None),
        FieldContext(libelle="SIRET", valeur=siret(company.siret) if company else None),
        FieldContext(libelle="Adresse", valeur=company.adresse if company else None),
    ]


def _unbroken(value: str | None) -> str | None:
    """An e-mail address or telephone number kept on one line."""
    return unbreakable(value) if value else None


def _contact_fields(contact: Contact | None, *, email: bool = False) -> list[FieldContext]:
    fields = [
        FieldContext(libelle="Nom", valeur=contact.nom if contact else None),
        FieldContext(libelle="Fonction", valeur=contact.fonction if contact else None),
    ]
    if email:
        fields += [
            FieldContext(libelle="Courriel", valeur=_unbroken(contact.email if contact else None)),
            FieldContext(
                libelle="Téléphone", valeur=_unbroken(contact.telephone if contact else None)
            ),
        ]
    return fields
