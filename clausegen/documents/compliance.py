"""Composing the buyer's compliance statement of one company: counts and findings only.

The statement is built from the reconciliation (``clausegen.execution.reconciliation``),
which holds counts
and never names a person, so nothing personal can reach the buyer. Its chart is drawn from
the same figures (``clausegen.documents.chart``).
"""

from __future__ import annotations

from collections.abc import Sequence

from clausegen.calibration.rounding import round_share
from clausegen.documents.chart import LotBars, hours_chart
from clausegen.documents.common_contexts import clause_terms, header_contexts, subject_of
from clausegen.documents.contexts import HeadingContext, TermsContext
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
from clausegen.documents.formatting import date_fr, euros, euros_ht, hours, number, percent, siret
from clausegen.documents.fragments import fragment_blocks
from clausegen.execution.commitments import Entreprise
from clausegen.execution.modalities import line_label
from clausegen.execution.reconciliation import LotReconciliation, PenaltyCalculation, Reconciliation
from clausegen.inputs.operation import Operation
from clausegen.law.fragments import FragmentRegistry, ResolvedFragment
from clausegen.law.parameters import ParameterSet

PENALTY_TERMS = ("clause.exoneration", "clause.plafond")
"""The CCAP's terms a finding of penalty quotes."""
NATURE = "Attestation de réalisation de la clause d’insertion"
SEXES = {"F": "Femmes", "H": "Hommes"}
CHART_WIDTH_CM = 16


def compose_compliance(
    operation: Operation,
    reconciliation: Reconciliation,
    siret: str,
    registry: FragmentRegistry,
    parameters: ParameterSet,
) -> ComposedDocument:
    """The compliance statement of the company ``siret``, over all its lots."""
    lots = reconciliation.par_entreprise()[siret]
    at = reconciliation.date_reference
    cited = {p.id: p for lot in lots for p in lot.parametres}
    base = _base(
        operation,
        reconciliation,
        lots[0].entreprise,
        clause_terms(operation, parameters, at, cited),
    )
    finding = registry.resolve("conformite.constat", at)
    purpose = registry.resolve("conformite.objet", at)
    counting = registry.resolve("clause.decompte", at)
    method = registry.resolve("conformite.methode", at)
    penalty_terms = tuple(registry.resolve(i, at) for i in PENALTY_TERMS)
    context = ComplianceDocumentContext(
        **dict(base),
        document=HeadingContext(titre=NATURE, nature=NATURE),
        lots=[_lot_finding(base, _lot(lot), finding, penalty_terms) for lot in lots],
        graphique=_chart(lots),
        objet=fragment_blocks(purpose, base),
        methode=fragment_blocks(counting, base) + fragment_blocks(method, base),
    )
    fragments: tuple[ResolvedFragment, ...] = (
        purpose,
        counting,
        method,
        finding,
        *penalty_terms,
    )
    parameters = tuple(cited[k] for k in sorted(cited))
    filing = Filing(
        stem=f"conformite-{siret}",
        author=operation.facilitateur.structure,
        subject=subject_of(operation),
        created=reconciliation.arrete_au,
    )
    closing = reconciliation.arrete_au
    return ComposedDocument("conformite", context, fragments, parameters, at, filing, closing)


def _base(
    operation: Operation,
    reconciliation: Reconciliation,
    company: Entreprise,
    terms: TermsContext,
) -> ComplianceContext:
    """The company, the execution period and the CCAP article the statement is about."""
    execution = reconciliation.execution
    return ComplianceContext(
        **header_contexts(operation),
        entreprise=CompanyContext(
            raison_sociale=company.raison_sociale,
            siret=siret(company.siret),
            adresse=company.adresse,
        ),
        periode=PeriodContext(
            debut=date_fr(execution.debut),
            fin=date_fr(execution.fin),
            arrete_au=date_fr(reconciliation.arrete_au),
            execution_terminee=reconciliation.arrete_au >= execution.fin,
        ),
        article_ccap=(
            str(operation.clause.article_ccap) if operation.clause.article_ccap else None
        ),
        termes=terms,
    )


def _lot_finding(
    base: ComplianceContext,
    figure: ComplianceLotContext,
    finding: ResolvedFragment,
    penalty_terms: tuple[ResolvedFragment, ...],
) -> LotFindingContext:
    """A lot's figures with the finding written for it; a penalty due quotes the CCAP's
    exoneration and cap (the shared fragments, word for word)."""
    context = FindingContext(
        entreprise=base.entreprise.raison_sociale,
        article_ccap=base.article_ccap,
        arrete_au=base.periode.arrete_au,
        execution_terminee=base.periode.execution_terminee,
        lot=figure,
    )
    blocks = fragment_blocks(finding, context)
    if figure.penalite is not None:
        blocks += [block for term in penalty_terms for block in fragment_blocks(term, base)]
    return LotFindingContext(**dict(figure), constat=blocks)


def _chart(lots: Sequence[LotReconciliation]) -> ImageContext:
    """Hours required, committed and realised per lot, as a chart."""
    png = hours_chart([LotBars(lot.numero, lot.requis, lot.engage, lot.realise) for lot in lots])
    return ImageContext(
        png=png,
        largeur_cm=CHART_WIDTH_CM,
        description="Heures requises, engagées et réalisées par lot",
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
            f"{euros_ht(penalty.plafond)}"
        )
    return LotPenaltyContext(
        heures_manquantes=number(penalty.heures_manquantes, 2, exact=True),
        par_heure=euros_ht(penalty.taux_horaire),
        calcul=(
            f"{hours(penalty.heures_manquantes, 2)} × {euros_ht(penalty.taux_horaire)} = "
            f"{euros_ht(penalty.montant_brut)}"
        ),
        plafond=cap,
        plafonnee=penalty.plafonnee,
        montant=euros_ht(penalty.montant),
    )
