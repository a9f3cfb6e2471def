"""Composing the tender-file documents: the CCAP article and the RC mention.

``compose_tender`` turns an operation and its calibration into the two tender documents (the
CCAP article and the RC mention): for each, a typed context (``clausegen.documents.contexts``), the
fragment versions it used and the parameters behind its figures. Everything is resolved at
the calibration's date, the consultation's launch date.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from clausegen.calibration.calibrate import CalibratedLot, Calibration
from clausegen.calibration.obligation import LotDerogation
from clausegen.calibration.rounding import RULE_LABELS
from clausegen.calibration.trace import TraceBuilder, decimal_of
from clausegen.documents.common_contexts import buyer_filing, clause_terms, header_contexts
from clausegen.documents.contexts import (
    ClauseContext,
    ConversionContext,
    DerogationContext,
    HeadingContext,
    LotContext,
    ObligationContext,
    PactContext,
    SectionContext,
    TenderContext,
    TenderDocumentContext,
    TotalsContext,
)
from clausegen.documents.document import ComposedDocument
from clausegen.documents.formatting import (
    etp_definition,
    euros,
    hours,
    number,
    percent,
    typographie,
)
from clausegen.documents.fragments import DocumentFragments, fragment_blocks
from clausegen.documents.plans import DocumentPlan
from clausegen.errors import CalibrationError, CompositionError
from clausegen.execution.reconciliation import conversion_figures
from clausegen.inputs.operation import (
    Beneficiaires,
    MotifExclusion,
    Operation,
    ReprisePersonnel,
)
from clausegen.law.dated import Reliability
from clausegen.law.fragments import ResolvedFragment
from clausegen.law.parameters import ParameterSet, ResolvedParameter

JOINT_RESERVATION = "marche_reserve.reservation_conjointe_autorisee"
CDI_CAP = "suivi.embauche_cdi_plafond_heures"
ANRU_FLOOR = "anru.taux."
LABOUR_SHARE = "part_main_oeuvre."
PACT_MINIMUM_PARAMETER = "proprete.pact.heures_minimum"
PACT_COEFFICIENT = "proprete.pact.coefficient"
FILE_STEMS = {"ccap": "ccap-clause-insertion", "rc": "rc-clause-insertion"}


def compose_tender(
    operation: Operation,
    calibration: Calibration,
    registry: DocumentFragments,
    parameters: ParameterSet,
) -> tuple[ComposedDocument, ComposedDocument]:
    """The CCAP article and the RC mention of ``operation``, at the calibrage's date."""
    at = calibration.date_reference
    used = {p.id: p for p in calibration.parametres}
    base = _tender_context(operation, calibration, parameters, used)
    cited = tuple(used[key] for key in sorted(used))
    articles = {"ccap": operation.clause.article_ccap, "rc": operation.clause.article_rc}
    ccap, rc = (
        ComposedDocument(
            kind,
            *_document(registry.plans[kind], base, operation, articles[kind], registry, at),
            cited,
            at,
            buyer_filing(operation, FILE_STEMS[kind]),
        )
        for kind in ("ccap", "rc")
    )
    return ccap, rc


def _document(
    plan: DocumentPlan,
    base: TenderContext,
    operation: Operation,
    article: int | None,
    registry: DocumentFragments,
    at: date,
) -> tuple[TenderDocumentContext, tuple[ResolvedFragment, ...]]:
    sections = []
    fragments: list[ResolvedFragment] = []
    dispositif, ccag = operation.clause.dispositif, operation.consultation.ccag
    for index, section in enumerate(plan.sections, start=1):
        resolved = [registry.resolve(i, at) for i in section.fragment_ids(dispositif, ccag)]
        fragments.extend(resolved)
        blocks = [block for fragment in resolved for block in fragment_blocks(fragment, base)]
        sections.append(
            SectionContext(
                numero=f"{article}.{index}" if article else None,
                titre=section.titre,
                blocs=blocks,
                tableau_heures=section.tableau_heures,
            )
        )
    title = f"Article {article} – {plan.titre}" if article else plan.titre
    context = TenderDocumentContext(
        **dict(base),
        document=HeadingContext(titre=title, nature=plan.nature),
        sections=sections,
    )
    return context, tuple(fragments)


def _tender_context(
    operation: Operation,
    calibration: Calibration,
    parameters: ParameterSet,
    used: dict[str, ResolvedParameter],
) -> TenderContext:
    at = calibration.date_reference
    clause = operation.clause
    retained = [lot for lot in calibration.lots if lot.retenu]
    if not retained:
        raise CompositionError(
            message="no lot carries the clause (every lot is excluded), so there is no clause "
            "to put in the tender file; include at least one lot."
        )
    _check_reservation(operation, parameters, at, used)
    cdi_cap = parameters.resolve(CDI_CAP, at)
    used[cdi_cap.id] = cdi_cap
    assert isinstance(cdi_cap.value, Decimal)
    floors = [floor for lot in retained if (floor := _anru_floor(lot)) is not None]
    obligation = calibration.obligation
    _check_obligation(operation, calibration)
    lots = [
        _lot(
            lot,
            operation,
            obligation.derogation_of(lot.numero),
            _conversion(operation, lot, parameters, at, used) if lot.retenu else None,
        )
        for lot in calibration.lots
    ]
    return TenderContext(
        **header_contexts(operation),
        clause=ClauseContext(
            dispositif=clause.dispositif.value,
            ponderation=percent(clause.critere.ponderation) if clause.critere else None,
            beneficiaires=clause.reservation.beneficiaires.value if clause.reservation else None,
            heures_minimum=(
                number(clause.seuils.heures_minimum) if clause.seuils.heures_minimum else None
            ),
            arrondi=RULE_LABELS[clause.arrondi],
            methodes=sorted({lot.methode for lot in retained}),
            article_ccap=str(clause.article_ccap) if clause.article_ccap else None,
            plancher_anru=percent(floors[0]) if floors else None,
            plafond_heures_cdi=f"{number(cdi_cap.value)} heures",
        ),
        termes=clause_terms(operation, parameters, at, used),
        lots=lots,
        lots_retenus=[lot for lot in lots if lot.retenu],
        lots_exclus=[lot for lot in lots if not lot.retenu],
        totaux=TotalsContext(
            libelle="Total des lots concernés" if len(retained) < len(lots) else "Total",
            heures=number(calibration.total_heures),
            etp=number(calibration.total_etp, 2),
            definition_etp=typographie(etp_definition([Decimal(calibration.diviseur_etp.value)])),
            montant_ht=euros(sum((lot.montant_ht for lot in retained), Decimal(0))),
            lots_retenus=len(retained),
        ),
        obligation=ObligationContext(
            applicable=obligation.applicable,
            seuil_atteint=obligation.applicable and obligation.reaches_threshold,
            seuil=euros(obligation.threshold) if obligation.threshold is not None else None,
            valeur_estimee=euros(obligation.estimated_value),
        ),
    )


def _lot(
    lot: CalibratedLot,
    operation: Operation,
    found: LotDerogation | None,
    conversion: ConversionContext | None,
) -> LotContext:
    source = next(entry for entry in operation.lots if entry.numero == lot.numero)
    justification = None
    if (
        not lot.retenu
        and source.exclusion is not None
        and (source.exclusion.par_l_acheteur or found is not None)
    ):
        justification = f"{source.exclusion.justification.rstrip(' .')}."
    derogation = None
    if found is not None:
        derogation = DerogationContext(
            code=found.derogation.code,
            libelle=found.derogation.label,
            fondement=found.derogation.legal_basis,
        )
    floor = _anru_floor(lot)
    share = _read_parameter(lot, LABOUR_SHARE)
    return LotContext(
        numero=lot.numero,
        intitule=lot.intitule,
        cpv=source.cpv,
        montant_ht=euros(lot.montant_ht),
        heures=number(lot.heures),
        etp=number(lot.etp, 2),
        taux=percent(lot.insertion_rate) if lot.insertion_rate is not None else None,
        taux_au_dessus_du_plancher=(
            floor is not None and lot.insertion_rate is not None and lot.insertion_rate > floor
        ),
        part_main_oeuvre=percent(lot.labour_share) if lot.labour_share is not None else None,
        part_main_oeuvre_indicative=share is not None
        and share.reliability is not Reliability.VERIFIE,
        retenu=lot.retenu,
        motif_exclusion=lot.exclusion.value if lot.exclusion is not None else None,
        seuil_exclusion=_exclusion_floor(lot, operation),
        justification=justification,
        derogation=derogation,
        pact=_pact(
            lot,
            source.reprise_personnel,
            source.duree_mois or operation.consultation.duree_mois,
        ),
        conversion=conversion,
    )


def _conversion(
    operation: Operation,
    lot: CalibratedLot,
    parameters: ParameterSet,
    at: date,
    used: dict[str, ResolvedParameter],
) -> ConversionContext:
    """The labour share and hourly cost the reconciliation converts the lot's subcontracting
    amounts with (``conversion_figures``), as the lot table prints them; the parameters they
    come from are cited."""
    trace = TraceBuilder(parameters, at)
    try:
        share, cost = conversion_figures(operation, trace, lot.numero)
    except CalibrationError as error:
        raise CompositionError(
            message=f"{error} The CCAP's lot table states the labour share that converts a "
            "subcontracting or co-contracting amount into the lot's hours, even for a lot "
            "sized without one."
        ) from error
    used.update({p.id: p for p in trace.build().parameters})
    return ConversionContext(
        part_main_oeuvre=percent(decimal_of(share)), cout_horaire=euros(decimal_of(cost))
    )


def _pact(lot: CalibratedLot, reprise: ReprisePersonnel | None, months: int) -> PactContext | None:
    """What a lot sized by the PACT Propreté was sized with: its inputs and the branch's
    coefficient read from its trace; None for a lot sized otherwise."""
    coefficient = _read_parameter(lot, PACT_COEFFICIENT)
    if coefficient is None or reprise is None or lot.insertion_rate is None:
        return None
    assert isinstance(coefficient.value, Decimal)
    return PactContext(
        reprise=f"{hours(reprise.heures_mensuelles)} par mois",
        duree=f"{months} mois",
        coefficient=euros(coefficient.value),
        taux=percent(lot.insertion_rate),
    )


def _exclusion_floor(lot: CalibratedLot, operation: Operation) -> str | None:
    """The minimum the sizing left the lot out under, with its unit, as the CCAP states it."""
    seuils = operation.clause.seuils
    if lot.exclusion is MotifExclusion.HEURES_INSUFFISANTES and seuils.heures_minimum:
        return f"{number(seuils.heures_minimum)} heures"
    if lot.exclusion is MotifExclusion.MONTANT_INSUFFISANT and seuils.montant_minimum_ht:
        return f"{euros(seuils.montant_minimum_ht)} HT"
    if lot.exclusion is MotifExclusion.PACT_SOUS_MINIMUM:
        floor = next(p for p in lot.traces["heures"].parameters if p.id == PACT_MINIMUM_PARAMETER)
        assert isinstance(floor.value, Decimal)
        return f"{number(floor.value)} heures"
    return None


def _check_obligation(operation: Operation, calibration: Calibration) -> None:
    """Refuse a CCAP that would state the L2112-2-1 obligation and leave a lot without it."""
    obligation = calibration.obligation
    warning = obligation.warning
    if warning is None:
        return
    codes = ", ".join(warning.codes)
    lots = []
    for missing in warning.missing:
        lot = operation.lots[missing.index]
        record = f"lots[{missing.index}].exclusion"
        if missing.by_sizing:
            what = (
                f"add {record} with motif: calibrage, derogation (one of: {codes}) and the "
                "buyer's justification"
            )
        else:
            what = f"add {missing.field} (one of: {codes}), justified by {record}.justification"
        lots.append(
            f"Lot {lot.numero} ({lot.intitule}) has none: include it in the clause, or {what}."
        )
    raise CompositionError(
        message="article L2112-2-1 of the code de la commande publique binds this consultation "
        f"(launched on {calibration.date_reference.isoformat()}, on or after "
        f"{warning.applies_since.isoformat()}; estimated at {euros(warning.estimated_value)} "
        f"HT, at or above the EU threshold of {euros(warning.threshold)} HT, "
        f"{warning.threshold_id}), so the CCAP cannot leave a lot without social consideration "
        f"unless a legal derogation applies. {' '.join(lots)}"
    )


def _read_parameter(lot: CalibratedLot, id_prefix: str) -> ResolvedParameter | None:
    """The first parameter whose id starts with ``id_prefix`` that a lot's sizing read (its
    traces), or None."""
    return next(
        (p for t in lot.traces.values() for p in t.parameters if p.id.startswith(id_prefix)),
        None,
    )


def _anru_floor(lot: CalibratedLot) -> Decimal | None:
    """The ANRU charter's floor rate a lot was sized with, or None."""
    floor = _read_parameter(lot, ANRU_FLOOR)
    return floor.value if floor is not None and isinstance(floor.value, Decimal) else None


def _check_reservation(
    operation: Operation, parameters: ParameterSet, at: date, used: dict[str, ResolvedParameter]
) -> None:
    reservation = operation.clause.reservation
    if reservation is None or reservation.beneficiaires is not Beneficiaires.EA_ESAT_SIAE:
        return
    allowed = parameters.resolve(JOINT_RESERVATION, at)
    used[allowed.id] = allowed
    if allowed.value is not True:
        first = next(
            v.effective_from for v in parameters.get(JOINT_RESERVATION).values if v.value is True
        )
        raise CompositionError(
            message=f"clause.reservation.beneficiaires: a contract launched on {at.isoformat()} "
            "cannot be reserved to EA/ESAT and SIAE together; that is possible for "
            f"consultations launched from {first.isoformat()} ({JOINT_RESERVATION}). "
            "Choose ea_esat or siae."
        )
