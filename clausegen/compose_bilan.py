"""Composing a participant's end-of-mission balance (bilan de fin de mission).

Everything the facilitator knows of one person's pathway on the operation: eligibility,
employer and modality, contract, job, hours by month, trainings, skills, exit and
observations. It is written for the participant and the facilitator, never for the buyer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from babel.dates import format_date

from clausegen.compose import ComposedDocument, header_contexts, typeset
from clausegen.contexts import DocumentContexte
from clausegen.contexts_execution import (
    BilanContexte,
    ContratContexte,
    DocumentBilanContexte,
    FormationContexte,
    MoisContexte,
    ParticipantContexte,
    SortieContexte,
)
from clausegen.formatting import LOCALE, date_fr, number
from clausegen.fragments import FragmentRegistry, ResolvedFragment
from clausegen.modalites import line_label
from clausegen.model import Operation
from clausegen.participants import Participant
from clausegen.registre import LigneHeures

NATURE = "Bilan de fin de mission"
FRAGMENT = "bilan.confidentialite"


def compose_bilan(
    operation: Operation,
    participant: Participant,
    rows: Sequence[LigneHeures],
    fragment: ResolvedFragment,
) -> ComposedDocument:
    """The balance of ``participant`` from their ledger ``rows`` (none: no hours yet)."""
    ordered = sorted(rows, key=lambda line: (line.mois, line.lot, line.row))
    contract = participant.contrat
    total = sum((line.heures or Decimal(0) for line in ordered), Decimal(0))
    base = BilanContexte(
        **header_contexts(operation),
        participant=ParticipantContexte(
            identifiant=participant.id,
            nom_complet=participant.nom_complet,
            date_naissance=date_fr(participant.date_naissance),
            criteres=[c.label for c in participant.criteres],
            date_validation=date_fr(participant.date_validation),
            prescripteur=participant.prescripteur,
        ),
        contrat=ContratContexte(
            employeur=participant.employeur.raison_sociale,
            type=contract.type.label,
            debut=date_fr(contract.debut),
            fin=date_fr(contract.fin) if contract.fin else None,
            heures_hebdomadaires=(
                number(contract.heures_hebdomadaires, 2, exact=True)
                if contract.heures_hebdomadaires
                else None
            ),
        ),
        poste=participant.poste.intitule,
        code_rome=participant.poste.code_rome,
        tuteur=participant.tuteur,
        modalites=list(dict.fromkeys(line_label(r.modalite, r.structure) for r in ordered)),
        heures=[
            MoisContexte(
                mois=_month(line.mois),
                lot=str(line.lot),
                entreprise=line.entreprise,
                modalite=line_label(line.modalite, line.structure),
                heures=number(line.heures or Decimal(0), 2, exact=True),
            )
            for line in ordered
        ],
        total_heures=number(total, 2, exact=True),
        premier_mois=_month(ordered[0].mois) if ordered else None,
        dernier_mois=_month(ordered[-1].mois) if ordered else None,
        formations=[
            FormationContexte(
                intitule=training.intitule,
                heures=number(training.heures, 2, exact=True),
                organisme=training.organisme,
                date=date_fr(training.date) if training.date else None,
            )
            for training in participant.formations
        ],
        competences=list(participant.competences),
        sortie=(
            SortieContexte(
                libelle=participant.sortie.type.label,
                classe=participant.sortie.type.classe.label,
                date=date_fr(participant.sortie.date),
                precision=participant.sortie.precision,
            )
            if participant.sortie
            else None
        ),
        observations=participant.observations,
    )
    context = DocumentBilanContexte(
        **dict(base),
        document=DocumentContexte(titre=f"{NATURE} – {participant.nom_complet}", nature=NATURE),
        confidentialite=typeset(fragment.render(base)),
    )
    at = operation.consultation.date_lancement
    return ComposedDocument("bilan", context, (fragment,), (), at)


def resolve_fragment(registry: FragmentRegistry, at: date) -> ResolvedFragment:
    """The balance's fragment in force at ``at`` (resolved once for a batch of balances)."""
    return registry.resolve(FRAGMENT, at)


def _month(day: date) -> str:
    return format_date(day, format="MMMM y", locale=LOCALE)
