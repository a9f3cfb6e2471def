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
from datetime import timedelta
from decimal import Decimal

from clausegen.calibration.rounding import round_share
from clausegen.documents.chart import LotBars, chart_description, hours_chart
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
    PenaltyLineContext,
    PeriodContext,
    ReportingPeriodContext,
)
from clausegen.documents.formatting import (
    date_fr,
    date_short,
    euros,
    euros_ht,
    hours,
    month_fr,
    number,
    percent,
    quantity,
    quarter_fr,
    siret,
    typographie,
    unbreakable,
)
from clausegen.documents.fragments import fragment_blocks
from clausegen.documents.manifest import Calculation
from clausegen.documents.secrecy import PARAMETER as CONFIDENTIALITY
from clausegen.documents.secrecy import (
    ProtectedCount,
    Shown,
    protect_group,
    protect_partition,
    protect_subsets,
    small_group,
)
from clausegen.execution.commitments import Entreprise
from clausegen.execution.counting import CDI_CAP
from clausegen.execution.modalities import line_label
from clausegen.execution.reconciliation import (
    LotReconciliation,
    ModalityLine,
    PenaltyCalculation,
    Reconciliation,
    Statut,
)
from clausegen.execution.reporting import Period, PeriodLine, StatutCompteRendu
from clausegen.inputs.operation import Operation, Periodicite
from clausegen.law.declaration import LotDeclaration, declare_lot
from clausegen.law.decp import SCHEMA_ORDER
from clausegen.law.fragments import FragmentRegistry, ResolvedFragment
from clausegen.law.parameters import ParameterSet, ResolvedParameter

PENALTY_TERMS = ("clause.penalites", "clause.exoneration", "clause.plafond")
"""The CCAP's terms a finding of penalty quotes (the exoneration only for missing hours)."""
NATURE_MET = "Attestation de réalisation de la clause d’insertion"
"""The title when every lot's objective is met: the document attests that it was done."""
NATURE_NOT_MET = "Constat d’exécution de la clause d’insertion"
"""The title otherwise: the document records the state of execution, which the buyer's
finding at its end may turn into a penalty (« constat », not « attestation de réalisation »)."""
UNESTABLISHED = "Bilan de fin de marché non établi"
"""A lot closed before the end of execution (its ledger stops before it, or the period
does): the reconciliation finds it in progress; the statement says so when the date asked
reaches the end of execution, the evaluation of every such lot."""
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
    declarations = tuple(
        declare_lot(lot.numero, operation.clause.dispositif, clause=True) for lot in lots
    )
    base = _base(
        operation,
        reconciliation,
        lots[0].entreprise,
        clause_terms(operation, parameters, at, cited),
        int(threshold.value),
        declarations,
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
    delay = operation.clause.comptes_rendus.delai_mise_en_demeure_jours
    context = ComplianceDocumentContext(
        **dict(base),
        document=HeadingContext(titre=nature, nature=nature),
        lots=[_lot_finding(base, _lot(operation, lot, base, delay), texts) for lot in lots],
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
    calculations = tuple(
        Calculation(lot.numero, figure, trace)
        for lot in lots
        for figure, trace in lot.traces.items()
    )
    return ComposedDocument(
        "conformite",
        context,
        fragments,
        parameters,
        at,
        filing,
        closing,
        calculations,
        declarations,
    )


def _base(
    operation: Operation,
    reconciliation: Reconciliation,
    company: Entreprise,
    terms: TermsContext,
    threshold: int,
    declarations: tuple[LotDeclaration, ...],
) -> ComplianceContext:
    """The company, the execution period and the CCAP article the statement is about, and
    the social considerations its lots declare (the values of their manifest and DECP
    export)."""
    declared = {value for d in declarations for value in d.considerations_sociales}
    execution = reconciliation.execution
    asked = reconciliation.arrete_demande
    return ComplianceContext(
        **header_contexts(operation),
        entreprise=CompanyContext(
            raison_sociale=company.raison_sociale,
            siret=siret(company.siret),
            adresse=company.adresse,
        ),
        considerations_sociales=", ".join(v for v in SCHEMA_ORDER if v in declared),
        confidentialite=ConfidentialityContext(seuil=str(threshold)),
        periode=PeriodContext(
            debut=date_fr(execution.debut),
            fin=date_fr(execution.fin),
            arrete_au=date_fr(reconciliation.arrete_au),
            execution_terminee=reconciliation.fin_execution_atteinte,
            arrete_demande=date_fr(asked) if asked is not None else None,
            dernier_mois_registre=month_fr(reconciliation.arrete_au) if asked else None,
            constat_non_etabli=asked is not None and asked >= execution.fin,
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
    CCAP's penalties, exoneration and cap, the shared fragments, word for word), the eligibility
    checks, and the buyer's finding and decision."""
    context = FindingContext(
        entreprise=base.entreprise.raison_sociale,
        acheteur=base.acheteur,
        article_ccap=base.article_ccap,
        arrete_au=base.periode.arrete_au,
        execution_terminee=base.periode.execution_terminee,
        periode=base.periode,
        lot=figure,
    )
    blocks = fragment_blocks(texts.finding, context)
    if figure.penalite is not None:
        quoted = [
            term
            for term in texts.penalty_terms
            if term.id != "clause.exoneration" or figure.penalite.heures_manquantes is not None
        ]
        blocks += [block for term in quoted for block in fragment_blocks(term, base)]
    return LotFindingContext(
        **dict(figure),
        constat=blocks,
        eligibilite_texte=fragment_blocks(texts.eligibility, context),
        decision_acheteur=fragment_blocks(texts.decision, context),
    )


def _chart(lots: Sequence[LotReconciliation]) -> ImageContext:
    """Hours required, committed and realised per lot, as a chart."""
    bars = [LotBars(lot.numero, lot.requis, lot.engage, lot.realise) for lot in lots]
    return ImageContext(
        png=hours_chart(bars), largeur_cm=CHART_WIDTH_CM, description=chart_description(bars)
    )


def _lot(
    operation: Operation, lot: LotReconciliation, base: ComplianceContext, delay: int
) -> ComplianceLotContext:
    terms = base.termes
    counts = lot.effectifs
    threshold = int(base.confidentialite.seuil)
    criteria = protect_subsets([n for _, n in counts.par_critere], counts.total, threshold)
    small = small_group(counts.total, threshold)
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
        du=number(lot.heures_dues, 2, exact=True),
        du_offre=lot.du is not None,
        realise=number(lot.realise, 2, exact=True),
        ecart=number(lot.ecart, 2, exact=True),
        taux=percent(round_share(lot.realise / lot.heures_dues)) if lot.heures_dues else "–",
        statut=lot.statut.value,
        statut_libelle=(
            UNESTABLISHED
            if lot.statut is Statut.EN_COURS and base.periode.constat_non_etabli
            else lot.statut.label
        ),
        modalites=[
            ModalityLineContext(
                libelle=line_label(line.modalite, line.structure),
                partenaires=", ".join(line.partenaires) or None,
                engage=number(line.engage, 2, exact=True),
                realise=number(line.realise, 2, exact=True),
            )
            for line in lot.modalites
        ],
        participants=protect_group(counts.total, threshold).text,
        personnes_suivies=counts.total > 0,
        petit_effectif=small,
        heures_par_participant=(
            number(counts.heures_par_participant, 2, exact=True)
            if counts.heures_par_participant is not None and not small
            else None
        ),
        eligibilite=_eligibility(lot, small),
        par_critere=_rows([c.label for c, _ in counts.par_critere], criteria),
        par_sexe=_rows([SEXES[s] for s, _ in counts.par_sexe], sexes),
        par_tranche_age=_rows([b.label for b, _ in counts.par_tranche_age], bands),
        sorties=_rows(situation_labels, situations),
        masque=any(c.shown is Shown.MASKED for c in (*criteria, *sexes, *bands, *situations)),
        penalite_prevue=lot.penalite_prevue,
        penalite=_penalty(lot, terms, delay),
        periodes=[_period_line(line) for line in lot.periodes],
        comptes_rendus_enregistres=lot.comptes_rendus_enregistres,
        mises_en_demeure=[
            _notice(line, terms) for line in lot.periodes if line.mise_en_demeure is not None
        ],
        plafond_cdi=_cdi_cap(lot),
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


def _eligibility(lot: LotReconciliation, small: bool) -> EligibilityContext:
    """How many people were validated and the hours that are theirs (neither for a group
    under the confidentiality threshold), and the hours deduced from amounts invoiced; no
    date of any person."""
    counts = lot.effectifs
    named = counts.total > 0 and not small
    from_amounts = lot.realise - counts.heures_nominatives
    invoiced = [_invoiced(line) for line in lot.modalites if line.facture]
    return EligibilityContext(
        validees=str(counts.total) if named else None,
        heures_nominatives=number(counts.heures_nominatives, 2, exact=True) if named else None,
        heures_montant=number(from_amounts, 2, exact=True) if from_amounts > 0 else None,
        modalites_montant=" et en ".join(invoiced) or None,
    )


def _invoiced(line: ModalityLine) -> str:
    """« sous-traitance (ESAT) »: the modality's label as a sentence names it."""
    label = line.modalite.label.lower()
    return f"{label} ({line.structure.label})" if line.structure else label


def decision_amount(lot: LotReconciliation) -> Decimal | None:
    """The penalties the buyer decides on for this lot: those this statement computes (for
    missing hours and for late statements, capped together), or None when there is none
    (no decision boxes then)."""
    return lot.penalite.montant if lot.penalite is not None else None


def _decision(lot: LotReconciliation) -> DecisionContext | None:
    amount = decision_amount(lot)
    if amount is None or lot.penalite is None:
        return None
    natures = [
        nature
        for nature, part in (
            ("pour heures non réalisées", lot.penalite.montant_heures),
            ("pour retard dans les comptes rendus", lot.penalite.montant_retards),
        )
        if part is not None
    ]
    return DecisionContext(
        montant=euros_ht(amount), pluriel=len(natures) > 1, nature=" et ".join(natures)
    )


def period_label(period: Period) -> str:
    """« mars 2027 », or « 1er trimestre 2027 »."""
    if period.periodicite is Periodicite.MENSUELLE:
        return month_fr(period.debut)
    return quarter_fr(period.debut)


RECEPTION = {
    StatutCompteRendu.NON_RECU: "non reçu",
    StatutCompteRendu.A_VENIR: "à venir",
    StatutCompteRendu.NON_ENREGISTRE: "non enregistré",
}


def _days(count: int) -> str:
    return f"{count}\u00a0jour{'s' if count > 1 else ''}"


def _period_line(line: PeriodLine) -> ReportingPeriodContext:
    if line.reception is not None:
        assert line.jours_retard is not None
        reception, late = (
            date_short(line.reception),
            (_days(line.jours_retard) if line.jours_retard else "0"),
        )
    else:
        reception = RECEPTION[line.statut]
        late = "non reçu" if line.statut is StatutCompteRendu.NON_RECU else "–"
    return ReportingPeriodContext(
        periode=period_label(line.periode),
        requis_a_date=number(line.requis_a_date),
        realise_periode=number(line.realise_periode, 2, exact=True),
        realise_cumule=number(line.realise_cumule, 2, exact=True),
        echeance=date_short(line.echeance),
        reception=reception,
        retard=late,
    )


def _notice(line: PeriodLine, terms: TermsContext) -> str:
    """The formal notice served for a period's statement, and the days it makes penalised."""
    assert line.mise_en_demeure is not None
    delay = terms.comptes_rendus.delai_mise_en_demeure
    answered = (
        f"reçu le {date_fr(line.reception)}"
        if line.reception is not None
        else "toujours pas reçu à la date d’arrêté"
    )
    counted = (
        f"{_days(line.jours_penalisables)} de retard pénalisables au-delà du délai de {delay}"
        if line.jours_penalisables
        else f"aucun jour de retard pénalisable, l’état ayant été remis dans le délai de {delay}"
    )
    return typographie(
        f"État de {period_label(line.periode)} : mise en demeure notifiée le "
        f"{date_fr(line.mise_en_demeure)}, état {answered} ; {counted}."
    )


def _cdi_cap(lot: LotReconciliation) -> str | None:
    """The CDI cap, when a direct hire on a CDI was counted with it."""
    cap = next((p for p in lot.parametres if p.id == CDI_CAP), None)
    if cap is None:
        return None
    return (
        f"Les heures d’une personne embauchée en contrat à durée indéterminée sont comptées "
        f"dans la limite de {quantity(cap.value, cap.unit)} par personne ({_cited(cap)})."
    )


def _cited(parameter: ResolvedParameter) -> str:
    """A parameter as a document cites it: id, date, reference, status."""
    return (
        f"paramètre {parameter.id} en vigueur depuis le {date_fr(parameter.effective_from)}, "
        f"{parameter.reference}, {parameter.reliability.label}"
    )


def _penalty(lot: LotReconciliation, terms: TermsContext, delay: int) -> LotPenaltyContext | None:
    """The penalties' calculation, line by line, from the traced figures."""
    penalty: PenaltyCalculation | None = lot.penalite
    if penalty is None:
        return None
    lines: list[tuple[str, str]] = []
    parts: list[str] = []
    if penalty.montant_heures is not None:
        assert penalty.heures_manquantes is not None and penalty.taux_horaire is not None
        lines.append(
            (
                "Heures manquantes",
                f"{hours(lot.heures_dues, 2)} {'engagées' if lot.du is not None else 'requises'}"
                f" − {hours(lot.realise, 2)} réalisées = "
                f"{hours(penalty.heures_manquantes, 2)}",
            )
        )
        lines.append(("Pénalité par heure manquante", _hourly_rate(penalty)))
        lines.append(
            (
                "Pénalité pour heures non réalisées",
                f"{hours(penalty.heures_manquantes, 2)} × {euros_ht(penalty.taux_horaire)} = "
                f"{euros_ht(penalty.montant_heures)}",
            )
        )
        parts.append(euros_ht(penalty.montant_heures))
    if penalty.montant_retards is not None:
        assert penalty.taux_journalier is not None
        for line in penalty.retards:
            assert line.mise_en_demeure is not None
            end = (
                f"reçu le {date_fr(line.reception)}"
                if line.reception is not None
                else "non reçu à la date d’arrêté"
            )
            start = date_fr(line.mise_en_demeure + timedelta(days=delay))
            lines.append(
                (
                    f"Retard pénalisable, état de {period_label(line.periode)}",
                    typographie(
                        f"mise en demeure notifiée le {date_fr(line.mise_en_demeure)}, délai "
                        f"de {terms.comptes_rendus.delai_mise_en_demeure} expiré le {start} ; "
                        f"{end} : {_days(line.jours_penalisables)}"
                    ),
                )
            )
        lines.append(
            (
                "Pénalité pour retard",
                f"{_days(penalty.jours_retard)} × {euros_ht(penalty.taux_journalier)} = "
                f"{euros_ht(penalty.montant_retards)}",
            )
        )
        parts.append(euros_ht(penalty.montant_retards))
    if len(parts) > 1:
        lines.append(
            ("Total avant plafond", f"{' + '.join(parts)} = {euros_ht(penalty.montant_brut)}")
        )
    cap = None
    if penalty.plafond is not None:
        assert penalty.plafond_part is not None and penalty.plafond_base is not None
        cap = (
            f"{percent(penalty.plafond_part)} × {euros_ht(penalty.plafond_base)} = "
            f"{euros_ht(penalty.plafond)}"
        )
        base = (  # the CCAP's base: the contract as concluded, else the lot's estimate
            "du montant HT du marché conclu"
            if penalty.plafond_attribue
            else "du montant estimé HT du lot, le montant du marché conclu n’étant pas connu"
        )
        lines.append((f"Plafond ({percent(penalty.plafond_part)} {base})", cap))
    lines.append(
        (
            "Pénalités encourues" + (" (plafonnées)" if penalty.plafonnee else ""),
            euros_ht(penalty.montant),
        )
    )
    return LotPenaltyContext(
        heures_manquantes=(
            number(penalty.heures_manquantes, 2, exact=True)
            if penalty.heures_manquantes is not None
            else None
        ),
        par_heure=euros_ht(penalty.taux_horaire) if penalty.taux_horaire is not None else None,
        calcul=lines[-2][1] if len(lines) > 1 else lines[-1][1],
        lignes=[PenaltyLineContext(libelle=label, calcul=text) for label, text in lines],
        parametres=[_cited(p) for p in penalty.trace.parameters],
        jours_retard=_days(penalty.jours_retard) if penalty.jours_retard else None,
        plafond=cap,
        plafonnee=penalty.plafonnee,
        montant=euros_ht(penalty.montant),
    )


def _hourly_rate(penalty: PenaltyCalculation) -> str:
    """The rate per missing hour: fixed, or the SMIC multiple with its figures."""
    assert penalty.taux_horaire is not None
    step = next((s for s in penalty.trace.steps if s.label == "pénalité par heure"), None)
    if step is None:
        return euros_ht(penalty.taux_horaire)
    multiple, smic = step.operands
    return (
        f"{number(multiple.value, 2, exact=True)} × {euros(smic.value)} (SMIC horaire brut) = "
        f"{euros_ht(penalty.taux_horaire)}"
    )
