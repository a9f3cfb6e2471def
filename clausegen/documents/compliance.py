"""Composing the buyer's compliance statement of one company: counts and findings only.

The statement is built from the reconciliation (``clausegen.execution.reconciliation``),
which holds counts and never names a person, so nothing personal can reach the buyer; the
counts of people it breaks down are printed under the statistical-confidentiality rule of
``clausegen.documents.secrecy``. Its chart is drawn from the same figures
(``clausegen.documents.chart``). It opens with the contract's references and closes with
the buyer's finding and decision; its title follows the finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

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
    ConfidentialityContext,
    ContractReferenceContext,
    DecisionContext,
    EligibilityContext,
    FindingContext,
    HeadcountContext,
    ImageContext,
    LotFindingContext,
    LotPenaltyContext,
    ModalityLineContext,
    PeriodContext,
)
from clausegen.documents.formatting import (
    date_fr,
    euros,
    euros_ht,
    hours,
    month_fr,
    number,
    percent,
    siret,
    unbreakable,
)
from clausegen.documents.fragments import fragment_blocks
from clausegen.documents.secrecy import PARAMETER as CONFIDENTIALITY
from clausegen.documents.secrecy import ProtectedCount, Shown, protect_counts, protect_partition
from clausegen.execution.commitments import Entreprise
from clausegen.execution.modalities import line_label
from clausegen.execution.reconciliation import (
    LotReconciliation,
    PenaltyCalculation,
    Reconciliation,
    Statut,
)
from clausegen.inputs.operation import Operation
from clausegen.law.decp import considerations_sociales
from clausegen.law.fragments import FragmentRegistry, ResolvedFragment
from clausegen.law.parameters import ParameterSet

PENALTY_TERMS = ("clause.exoneration", "clause.plafond")
"""The CCAP's terms a finding of penalty quotes."""
NATURE_MET = "Attestation de réalisation de la clause d’insertion"
"""The title when every lot's objective is met: the document attests that it was done."""
NATURE_NOT_MET = "Constat d’exécution de la clause d’insertion"
"""The title otherwise: the document records the state of execution, which the buyer's
finding at its end may turn into a penalty (« constat », not « attestation de réalisation »)."""
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
    threshold = parameters.resolve(CONFIDENTIALITY, at)
    cited[threshold.id] = threshold
    assert isinstance(threshold.value, Decimal)
    base = _base(
        operation,
        reconciliation,
        lots[0].entreprise,
        clause_terms(operation, parameters, at, cited),
        int(threshold.value),
    )
    texts = _LotTexts(
        finding=registry.resolve("conformite.constat", at),
        eligibility=registry.resolve("conformite.eligibilite", at),
        decision=registry.resolve("conformite.decision", at),
        penalty_terms=tuple(registry.resolve(i, at) for i in PENALTY_TERMS),
    )
    purpose = registry.resolve("conformite.objet", at)
    counting = registry.resolve("clause.decompte", at)
    method = registry.resolve("conformite.methode", at)
    nature = NATURE_MET if all(lot.statut is Statut.ATTEINT for lot in lots) else NATURE_NOT_MET
    context = ComplianceDocumentContext(
        **dict(base),
        document=HeadingContext(titre=nature, nature=nature),
        lots=[_lot_finding(base, _lot(operation, lot, base), texts) for lot in lots],
        graphique=_chart(lots),
        objet=fragment_blocks(purpose, base),
        methode=fragment_blocks(counting, base) + fragment_blocks(method, base),
    )
    fragments: tuple[ResolvedFragment, ...] = (
        purpose,
        counting,
        method,
        texts.finding,
        texts.eligibility,
        *texts.penalty_terms,
        texts.decision,
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
    threshold: int,
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
        considerations_sociales=", ".join(
            considerations_sociales(operation.clause.dispositif, clause=True)
        ),
        confidentialite=ConfidentialityContext(seuil=str(threshold)),
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


@dataclass(frozen=True)
class _LotTexts:
    """The fragments written for each lot."""

    finding: ResolvedFragment
    eligibility: ResolvedFragment
    decision: ResolvedFragment
    penalty_terms: tuple[ResolvedFragment, ...]


def _lot_finding(
    base: ComplianceContext, figure: ComplianceLotContext, texts: _LotTexts
) -> LotFindingContext:
    """A lot's figures with the texts written for it: the result (a penalty due quotes the
    CCAP's exoneration and cap, the shared fragments, word for word), the eligibility
    checks, and the buyer's finding and decision."""
    context = FindingContext(
        entreprise=base.entreprise.raison_sociale,
        acheteur=base.acheteur,
        article_ccap=base.article_ccap,
        arrete_au=base.periode.arrete_au,
        execution_terminee=base.periode.execution_terminee,
        lot=figure,
    )
    blocks = fragment_blocks(texts.finding, context)
    if figure.penalite is not None:
        blocks += [block for term in texts.penalty_terms for block in fragment_blocks(term, base)]
    return LotFindingContext(
        **dict(figure),
        constat=blocks,
        eligibilite_texte=fragment_blocks(texts.eligibility, context),
        decision_acheteur=fragment_blocks(texts.decision, context),
    )


def _chart(lots: Sequence[LotReconciliation]) -> ImageContext:
    """Hours required, committed and realised per lot, as a chart."""
    png = hours_chart([LotBars(lot.numero, lot.requis, lot.engage, lot.realise) for lot in lots])
    return ImageContext(
        png=png,
        largeur_cm=CHART_WIDTH_CM,
        description="Heures requises, engagées et réalisées par lot",
    )


def _lot(
    operation: Operation, lot: LotReconciliation, base: ComplianceContext
) -> ComplianceLotContext:
    counts = lot.effectifs
    threshold = int(base.confidentialite.seuil)
    criteria = protect_counts([n for _, n in counts.par_critere], threshold)
    sexes = protect_partition([n for _, n in counts.par_sexe], threshold)
    bands = protect_partition([n for _, n in counts.par_tranche_age], threshold)
    situations = protect_partition(
        [
            *(n for _, n in counts.sorties),
            len(counts.sortie_non_renseignee),
            counts.en_parcours,
        ],
        threshold,
    )
    situation_labels = [
        *(c.label for c, _ in counts.sorties),
        "Contrat terminé, sortie non renseignée",
        "Encore en parcours",
    ]
    return ComplianceLotContext(
        numero=lot.numero,
        intitule=lot.intitule,
        marche=_contract(operation, lot),
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
        eligibilite=_eligibility(lot),
        par_critere=_rows([c.label for c, _ in counts.par_critere], criteria),
        par_sexe=_rows([SEXES[s] for s, _ in counts.par_sexe], sexes),
        par_tranche_age=_rows([b.label for b, _ in counts.par_tranche_age], bands),
        sorties=_rows(situation_labels, situations),
        masque=any(c.shown is Shown.MASKED for c in (*sexes, *bands, *situations)),
        penalite_prevue=lot.penalite_prevue,
        penalite=_penalty(lot),
        decision=_decision(lot),
    )


def _rows(labels: Sequence[str], counts: Sequence[ProtectedCount]) -> list[HeadcountContext]:
    return [
        HeadcountContext(libelle=label, nombre=count.text)
        for label, count in zip(labels, counts, strict=True)
    ]


def _contract(operation: Operation, lot: LotReconciliation) -> ContractReferenceContext:
    """The contract's number and notification (the commitment's ``marche``) and amount."""
    contract = lot.engagement.marche
    assert contract is not None, "load_commitments requires the contract of a statement"
    awarded = lot.engagement.montant_ht
    estimate = operation.lot(lot.numero)
    assert estimate is not None
    return ContractReferenceContext(
        numero=unbreakable(contract.numero),
        date_notification=date_fr(contract.date_notification),
        montant_ht=euros(awarded if awarded is not None else estimate.montant_estime_ht),
        montant_estime=awarded is None,
    )


def _eligibility(lot: LotReconciliation) -> EligibilityContext:
    """How many people were validated, in which months, and the hours that are theirs."""
    counts = lot.effectifs
    period = None
    if counts.validations is not None:
        first, last = (month_fr(day.replace(day=1)) for day in counts.validations)
        period = f"en {first}" if first == last else f"entre {first} et {last}"
    from_amounts = lot.realise - counts.heures_nominatives
    return EligibilityContext(
        validees=counts.total,
        periode=period,
        heures_nominatives=number(counts.heures_nominatives, 2, exact=True),
        heures_montant=number(from_amounts, 2, exact=True) if from_amounts > 0 else None,
    )


def decision_amount(lot: LotReconciliation) -> Decimal | None:
    """The penalty the buyer decides on for this lot: the one this statement computes, or
    None when there is none (no decision boxes then). The one place to change when the
    statement computes more penalties than the hourly one."""
    return lot.penalite.montant if lot.penalite is not None else None


def _decision(lot: LotReconciliation) -> DecisionContext | None:
    amount = decision_amount(lot)
    return DecisionContext(montant=euros_ht(amount)) if amount is not None else None


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
