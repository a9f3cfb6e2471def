"""Composing a participant's end-of-mission balance (bilan de fin de mission).

Everything the facilitator knows of one person's pathway on the operation: eligibility,
employer and modality, contract, job, hours by month, trainings, skills, exit and
observations. It is written for the participant and the facilitator, never for the buyer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from clausegen.documents.common_contexts import header_contexts, subject_of
from clausegen.documents.contexts import HeadingContext
from clausegen.documents.document import ComposedDocument, Filing
from clausegen.documents.execution_contexts import (
    BalanceContext,
    BalanceDocumentContext,
    ContractContext,
    ExitContext,
    MonthContext,
    ParticipantContext,
    TrainingContext,
)
from clausegen.documents.formatting import date_fr, month_fr, number
from clausegen.documents.fragments import fragment_blocks
from clausegen.execution.ledger import LedgerRow
from clausegen.execution.modalities import line_label
from clausegen.execution.participants import Formation, Participant
from clausegen.inputs.operation import Operation
from clausegen.law.fragments import FragmentRegistry, ResolvedFragment

NATURE = "Bilan de fin de mission"
FRAGMENT = "bilan.confidentialite"


def compose_balance(
    operation: Operation,
    participant: Participant,
    rows: Sequence[LedgerRow],
    fragment: ResolvedFragment,
) -> ComposedDocument:
    """The balance of ``participant`` from their ledger ``rows`` (none: no hours yet)."""
    ordered = sorted(rows, key=lambda line: (line.mois, line.lot, line.row))
    total = sum((line.heures or Decimal(0) for line in ordered), Decimal(0))
    base = BalanceContext(
        **header_contexts(operation),
        participant=_person(participant),
        contrat=_contract(participant),
        poste=participant.poste.intitule,
        code_rome=participant.poste.code_rome,
        tuteur=participant.tuteur,
        modalites=list(dict.fromkeys(line_label(r.modalite, r.structure) for r in ordered)),
        heures=[_month_row(line) for line in ordered],
        total_heures=number(total, 2, exact=True),
        premier_mois=_month(ordered[0].mois) if ordered else None,
        dernier_mois=_month(ordered[-1].mois) if ordered else None,
        formations=[_training(training) for training in participant.formations],
        competences=list(participant.competences),
        sortie=_exit(participant),
        observations=participant.observations,
    )
    context = BalanceDocumentContext(
        **dict(base),
        document=HeadingContext(titre=f"{NATURE} – {participant.nom_complet}", nature=NATURE),
        confidentialite=fragment_blocks(fragment, base),
    )
    filing = Filing(
        stem=balance_stem(participant.id),
        author=operation.facilitateur.structure,
        subject=subject_of(operation),
        created=participant.sortie.date
        if participant.sortie
        else (ordered[-1].mois if ordered else participant.date_validation),
    )
    at = operation.consultation.date_lancement
    return ComposedDocument("bilan", context, (fragment,), (), at, filing)


def _person(participant: Participant) -> ParticipantContext:
    """Who the participant is and why they are eligible."""
    return ParticipantContext(
        identifiant=participant.id,
        nom_complet=participant.nom_complet,
        date_naissance=date_fr(participant.date_naissance),
        criteres=[c.label for c in participant.criteres],
        date_validation=date_fr(participant.date_validation),
        prescripteur=participant.prescripteur,
    )


def _contract(participant: Participant) -> ContractContext:
    """The participant's employer and contract."""
    contract = participant.contrat
    return ContractContext(
        employeur=participant.employeur.raison_sociale,
        type=contract.type.label,
        debut=date_fr(contract.debut),
        fin=date_fr(contract.fin) if contract.fin else None,
        heures_hebdomadaires=(
            number(contract.heures_hebdomadaires, 2, exact=True)
            if contract.heures_hebdomadaires
            else None
        ),
    )


def _month_row(line: LedgerRow) -> MonthContext:
    """One ledger row: a month's hours on a lot, with a company, by a modality."""
    return MonthContext(
        mois=_month(line.mois),
        lot=str(line.lot),
        entreprise=line.entreprise,
        modalite=line_label(line.modalite, line.structure),
        heures=number(line.heures or Decimal(0), 2, exact=True),
    )


def _training(training: Formation) -> TrainingContext:
    return TrainingContext(
        intitule=training.intitule,
        heures=number(training.heures, 2, exact=True),
        organisme=training.organisme,
        date=date_fr(training.date) if training.date else None,
    )


def _exit(participant: Participant) -> ExitContext | None:
    """What the participant did next, with its IAE class, when known."""
    if participant.sortie is None:
        return None
    return ExitContext(
        libelle=participant.sortie.type.label,
        classe=participant.sortie.type.classe.label,
        date=date_fr(participant.sortie.date),
        precision=participant.sortie.precision,
    )


def balance_stem(participant_id: str) -> str:
    """A balance's file name without its extension."""
    return f"bilan-{participant_id}"


def resolve_fragment(registry: FragmentRegistry, at: date) -> ResolvedFragment:
    """The balance's fragment in force at ``at`` (resolved once for a batch of balances)."""
    return registry.resolve(FRAGMENT, at)


def _month(day: date) -> str:
    return month_fr(day)
