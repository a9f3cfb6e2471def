"""Composing the buyer's compliance statement of one company: counts and findings only.

The statement is built from the reconciliation (``clausegen.execution.reconciliation``),
which holds counts
and never names a person, so nothing personal can reach the buyer. Its chart is drawn from
the same figures (``clausegen.documents.chart``).
"""

from __future__ import annotations

from stdnum.fr import siret as stdnum_siret

from clausegen.calibration.rounding import round_share
from clausegen.documents.chart import LotBars, hours_chart
from clausegen.documents.common_contexts import header_contexts, subject_of
from clausegen.documents.contexts import HeadingContext
from clausegen.documents.document import ComposedDocument, Filing
from clausegen.documents.execution_contexts import (
    CompanyContext,
    ComplianceContext,
    ComplianceDocumentContext,
    ComplianceLotContext,
    FindingContext,
    HeadcountContext,
    ImageContext,
    LotFindingContext,
    LotPenaltyContext,
    ModalityLineContext,
    PeriodContext,
)
from clausegen.documents.formatting import date_fr, euros, hours, number, percent
from clausegen.documents.fragments import fragment_blocks
from clausegen.execution.modalities import line_label
from clausegen.execution.reconciliation import LotReconciliation, PenaltyCalculation, Reconciliation
from clausegen.inputs.operation import Operation
from clausegen.law.fragments import FragmentRegistry, ResolvedFragment

NATURE = "Attestation de réalisation de la clause d'insertion"
SEXES = {"F": "Femmes", "H": "Hommes"}
CHART_WIDTH_CM = 16


def compose_compliance(
    operation: Operation,
    suivi: Reconciliation,
    siret: str,
    registry: FragmentRegistry,
) -> ComposedDocument:
    """The compliance statement of the company ``siret``, over all its lots."""
    lots = suivi.par_entreprise()[siret]
    company = lots[0].entreprise
    at = suivi.date_reference
    article = str(operation.clause.article_ccap) if operation.clause.article_ccap else None
    ended = suivi.arrete_au >= suivi.execution.fin
    base = ComplianceContext(
        **header_contexts(operation),
        entreprise=CompanyContext(
            raison_sociale=company.raison_sociale,
            siret=stdnum_siret.format(company.siret),
            adresse=company.adresse,
        ),
        periode=PeriodContext(
            debut=date_fr(suivi.execution.debut),
            fin=date_fr(suivi.execution.fin),
            arrete_au=date_fr(suivi.arrete_au),
            execution_terminee=ended,
        ),
        article_ccap=article,
    )
    finding = registry.resolve("conformite.constat", at)
    figures = [_lot(lot) for lot in lots]
    constats = [
        LotFindingContext(
            **dict(figure),
            constat=fragment_blocks(
                finding,
                FindingContext(
                    entreprise=company.raison_sociale,
                    article_ccap=article,
                    arrete_au=date_fr(suivi.arrete_au),
                    execution_terminee=ended,
                    lot=figure,
                ),
            ),
        )
        for figure in figures
    ]
    purpose = registry.resolve("conformite.objet", at)
    method = registry.resolve("conformite.methode", at)
    chart = hours_chart(
        [LotBars(lot.numero, lot.requis, lot.engage, lot.realise) for lot in lots]
    )
    context = ComplianceDocumentContext(
        **dict(base),
        document=HeadingContext(titre=NATURE, nature=NATURE),
        lots=constats,
        graphique=ImageContext(
            png=chart,
            largeur_cm=CHART_WIDTH_CM,
            description="Heures requises, engagées et réalisées par lot",
        ),
        objet=fragment_blocks(purpose, base),
        methode=fragment_blocks(method, base),
    )
    cited = {p.id: p for lot in lots for p in lot.parametres}
    fragments: tuple[ResolvedFragment, ...] = (purpose, method, finding)
    parameters = tuple(cited[k] for k in sorted(cited))
    filing = Filing(
        stem=f"conformite-{siret}",
        author=operation.facilitateur.structure,
        subject=subject_of(operation),
        created=suivi.arrete_au,
    )
    return ComposedDocument(
        "conformite", context, fragments, parameters, at, filing, suivi.arrete_au
    )


def _lot(lot: LotReconciliation) -> ComplianceLotContext:
    counts = lot.effectifs
    return ComplianceLotContext(
        numero=lot.numero,
        intitule=lot.intitule,
        requis=number(lot.requis),
        engage=number(lot.engage, 2, exact=True),
        realise=number(lot.realise, 2, exact=True),
        ecart=number(lot.ecart, 2, exact=True),
        taux=percent(round_share(lot.realise / lot.requis)) if lot.requis else "–",
        statut=lot.statut.value,
        statut_libelle=lot.statut.label,
        modalites=[
            ModalityLineContext(
                libelle=line_label(line.modalite, line.structure),
                partenaires=", ".join(line.partenaires) or None,
                engage=number(line.engage, 2, exact=True),
                realise=number(line.realise, 2, exact=True),
            )
            for line in lot.modalites
        ],
        participants=counts.total,
        heures_par_participant=(
            number(counts.heures_par_participant, 2, exact=True)
            if counts.heures_par_participant is not None
            else None
        ),
        par_critere=[HeadcountContext(libelle=c.label, nombre=n) for c, n in counts.par_critere],
        par_sexe=[HeadcountContext(libelle=SEXES[s], nombre=n) for s, n in counts.par_sexe],
        par_tranche_age=[
            HeadcountContext(libelle=b.label, nombre=n) for b, n in counts.par_tranche_age
        ],
        sorties=[HeadcountContext(libelle=c.label, nombre=n) for c, n in counts.sorties],
        en_parcours=counts.en_parcours,
        penalite_prevue=lot.penalite_prevue,
        penalite=_penalty(lot),
    )


def _penalty(lot: LotReconciliation) -> LotPenaltyContext | None:
    penalty: PenaltyCalculation | None = lot.penalite
    if penalty is None:
        return None
    cap = None
    if penalty.plafond is not None:
        assert penalty.plafond_part is not None and penalty.plafond_base is not None
        cap = (
            f"{percent(penalty.plafond_part)} × {euros(penalty.plafond_base)} = "
            f"{euros(penalty.plafond)} HT"
        )
    return LotPenaltyContext(
        heures_manquantes=number(penalty.heures_manquantes, 2, exact=True),
        par_heure=f"{euros(penalty.taux_horaire)} HT",
        calcul=(
            f"{hours(penalty.heures_manquantes, 2)} × {euros(penalty.taux_horaire)} HT = "
            f"{euros(penalty.montant_brut)} HT"
        ),
        plafond=cap,
        plafonnee=penalty.plafonnee,
        montant=f"{euros(penalty.montant)} HT",
    )
