"""Sizing the insertion clause of each lot (calibrage), every figure with its trace.

For each lot, in this order: the buyer's exclusion; the buyer's minimum amount; the lot's
method (exact hours); rounding to whole hours (``clausegen.calibration.rounding``); the
buyer's and the method's minimum hours. Then, per lot, the full-time equivalents (ETP) and the
share of the lot's hours worked; the total hours, the sum of the rounded lots, and the total
ETP, the total hours ÷ the yearly full-time hours (rounded once); and the
L2112-2-1 check of the lots left out (``clausegen.calibration.obligation``). The law is read
at the date given, never at today's date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from clausegen.calibration.methods import (
    EUR,
    HOURS,
    LABOUR_SHARE_UNUSED,
    METHODS,
    LotInputs,
    MethodResult,
    worked_hours,
)
from clausegen.calibration.obligation import (
    ObligationCheck,
    check_derogation_codes,
    check_obligation,
)
from clausegen.calibration.rounding import RULE_LABELS, round_etp, round_hours, round_share
from clausegen.calibration.trace import Operand, Origin, Trace, TraceBuilder, decimal_of, given
from clausegen.calibration.warnings import AnruRateWarning, CalibrationWarning
from clausegen.inputs.operation import Lot, MotifExclusion, Operation, RegleArrondi
from clausegen.law.derogations import DerogationSet, bundled_derogations
from clausegen.law.parameters import ParameterSet, ResolvedParameter

EXCLUSION_LABELS = {
    MotifExclusion.CHOIX_ACHETEUR: "choix de l’acheteur",
    MotifExclusion.HEURES_INSUFFISANTES: "heures sous le minimum fixé par l’acheteur",
    MotifExclusion.MONTANT_INSUFFISANT: "montant sous le minimum fixé par l’acheteur",
    MotifExclusion.PACT_SOUS_MINIMUM: "heures sous le minimum du PACT Propreté",
    MotifExclusion.REPRISE_EXCEDENTAIRE: "personnel repris supérieur au potentiel du marché",
}
"""Why a lot is excluded, as a short French label (tables, explanations); no colon inside."""

MINIMUM_NAMES = {
    MotifExclusion.HEURES_INSUFFISANTES: "minimum fixé par l’acheteur",
    MotifExclusion.PACT_SOUS_MINIMUM: "minimum du PACT Propreté",
}


@dataclass(frozen=True)
class CalibratedLot:
    """A sized lot: its hours, ETP and share of hours worked, each with its trace."""

    numero: int
    intitule: str
    metier: str
    methode: str
    montant_ht: Decimal
    labour_share: Decimal | None
    insertion_rate: Decimal | None
    hourly_cost: Decimal | None
    heures: Decimal
    etp: Decimal
    part_heures_travaillees: Decimal | None
    exclusion: MotifExclusion | None
    exclusion_detail: str | None
    traces: dict[str, Trace]
    """One trace per figure: ``heures``, ``etp`` and, for a retained lot whose labour share
    is known or used, ``part``."""

    @property
    def retenu(self) -> bool:
        return self.exclusion is None

    @property
    def motif_label(self) -> str | None:
        """Why the lot is excluded, in French; None for a retained lot."""
        return EXCLUSION_LABELS[self.exclusion] if self.exclusion is not None else None


@dataclass(frozen=True)
class Calibration:
    """The sizing of a whole operation at a date."""

    date_reference: date
    regle_arrondi: RegleArrondi
    lots: tuple[CalibratedLot, ...]
    total_heures: Decimal
    total_etp: Decimal
    montant_total_ht: Decimal
    traces: dict[str, Trace]
    """The traces of ``total_heures``, ``total_etp`` and the L2112-2-1 check."""
    obligation: ObligationCheck
    avertissements: tuple[CalibrationWarning, ...]

    @property
    def diviseur_etp(self) -> ResolvedParameter:
        """The yearly full-time hours the ETP are counted in (the clause's divisor)."""
        return self.traces["total_etp"].parameters[0]

    @property
    def parametres(self) -> tuple[ResolvedParameter, ...]:
        """Every parameter any figure read, once, sorted by id."""
        traces = [*self.traces.values(), *(t for lot in self.lots for t in lot.traces.values())]
        cited = {p.id: p for trace in traces for p in trace.parameters}
        return tuple(cited[key] for key in sorted(cited))


def calibrate(
    operation: Operation,
    parameters: ParameterSet,
    at: date,
    derogations: DerogationSet | None = None,
) -> Calibration:
    """Size every lot of ``operation`` with the law and parameters in force at ``at``.

    ``derogations``: the L2112-2-1 derogations (default: those clausegen ships).
    """
    derogations = derogations if derogations is not None else bundled_derogations()
    check_derogation_codes(operation, derogations)
    warnings: list[CalibrationWarning] = []
    lots = []
    for index, lot in enumerate(operation.lots):
        sized, warning = _size_lot(operation, lot, index, parameters, at)
        lots.append(sized)
        if warning:
            warnings.append(warning)
    total_trace = _total_hours_trace(lots, parameters, at)
    total_hours = total_trace.result
    etp_trace = _etp_trace(
        total_trace.as_operand("total des heures d’insertion", HOURS), operation, parameters, at
    )
    obligation = check_obligation(
        operation, [lot.numero for lot in lots if not lot.retenu], parameters, at, derogations
    )
    if obligation.unused is not None:
        warnings.insert(0, obligation.unused)
    if obligation.warning is not None:
        warnings.insert(0, obligation.warning)
    return Calibration(
        date_reference=at,
        regle_arrondi=operation.clause.arrondi,
        lots=tuple(lots),
        total_heures=total_hours,
        total_etp=etp_trace.result,
        montant_total_ht=operation.montant_total_ht,
        traces={
            "total_heures": total_trace,
            "total_etp": etp_trace,
            "obligation_l2112_2_1": obligation.trace,
        },
        obligation=obligation,
        avertissements=tuple(warnings),
    )


def _size_lot(
    operation: Operation, lot: Lot, index: int, parameters: ParameterSet, at: date
) -> tuple[CalibratedLot, AnruRateWarning | None]:
    trace = TraceBuilder(parameters, at)
    inputs = LotInputs(operation, lot, index, trace)
    method = operation.methode_du_lot(lot)
    exclusion, detail, result = _excluded_before_sizing(operation, inputs)
    if result is None:
        result = METHODS[method.methode](inputs, method)
        exclusion, detail = result.exclusion or (None, None)
        if exclusion is None:
            exclusion, detail = _round_and_apply_minimums(operation, inputs, result)
    hours_trace = trace.build()
    hours = hours_trace.result
    traces = {
        "heures": hours_trace,
        "etp": _etp_trace(
            Operand("heures retenues du lot", hours, Origin.ETAPE, "heures retenues du lot", HOURS),
            operation,
            parameters,
            at,
        ),
    }
    if exclusion is None and (
        method.methode not in LABOUR_SHARE_UNUSED or inputs.labour_share_known()
    ):
        traces["part"] = _share_trace(inputs, method.methode, hours, parameters, at)
    sized = CalibratedLot(
        numero=lot.numero,
        intitule=lot.intitule,
        metier=lot.metier,
        methode=method.methode,
        montant_ht=lot.montant_estime_ht,
        labour_share=_value(result.labour_share),
        insertion_rate=_value(result.rate),
        hourly_cost=_value(result.hourly_cost),
        heures=hours,
        etp=traces["etp"].result,
        part_heures_travaillees=traces["part"].result if "part" in traces else None,
        exclusion=exclusion,
        exclusion_detail=detail,
        traces=traces,
    )
    return sized, result.warning


def _excluded_before_sizing(
    operation: Operation, inputs: LotInputs
) -> tuple[MotifExclusion | None, str | None, MethodResult | None]:
    """The buyer's exclusion or minimum amount, recorded as a final 0 h step."""
    lot, trace = inputs.lot, inputs.trace
    if lot.exclusion is not None and lot.exclusion.par_l_acheteur:
        reason = given("justification", lot.exclusion.justification, inputs.path("exclusion"))
        zero = trace.step(
            "lot exclu de la clause par l’acheteur", "0", (reason,), Decimal(0), HOURS
        )
        return MotifExclusion.CHOIX_ACHETEUR, lot.exclusion.justification, MethodResult(zero)
    minimum = operation.clause.seuils.montant_minimum_ht
    if minimum is not None and lot.montant_estime_ht < minimum:
        floor = given("montant minimum", minimum, "clause.seuils.montant_minimum_ht", EUR)
        zero = trace.step(
            "montant inférieur au minimum fixé par l’acheteur : aucune heure",
            "0 si montant HT < montant minimum",
            (inputs.amount(), floor),
            Decimal(0),
            HOURS,
        )
        return MotifExclusion.MONTANT_INSUFFISANT, None, MethodResult(zero)
    return None, None, None


def _round_and_apply_minimums(
    operation: Operation, inputs: LotInputs, result: MethodResult
) -> tuple[MotifExclusion | None, str | None]:
    """Round the exact hours by the clause's rule, then apply the minimums to the rounded."""
    rule = operation.clause.arrondi
    exact = result.exact_hours
    rounded = inputs.trace.step(
        f"heures retenues, arrondies {RULE_LABELS[rule]}",
        "arrondi(heures exactes)",
        (exact,),
        round_hours(decimal_of(exact), rule),
        HOURS,
    )
    minimums: list[tuple[Operand, MotifExclusion]] = []
    if operation.clause.seuils.heures_minimum is not None:
        floor = given(
            "minimum d’heures",
            operation.clause.seuils.heures_minimum,
            "clause.seuils.heures_minimum",
            HOURS,
        )
        minimums.append((floor, MotifExclusion.HEURES_INSUFFISANTES))
    if result.minimum is not None:
        minimums.append(result.minimum)
    for floor, motif in minimums:
        if decimal_of(rounded) < decimal_of(floor):
            inputs.trace.step(
                f"heures inférieures au {MINIMUM_NAMES[motif]} : aucune heure",
                f"0 si heures retenues < {floor.name}",
                (rounded, floor),
                Decimal(0),
                HOURS,
            )
            return motif, None
    return None, None


def _etp_trace(counted: Operand, operation: Operation, parameters: ParameterSet, at: date) -> Trace:
    """ETP = hours ÷ the yearly full-time hours the clause counts in, rounded once: a lot's
    from its hours, the total from the total hours (not the sum of the lots' rounded ETP)."""
    trace = TraceBuilder(parameters, at)
    divisor = trace.parameter(
        f"etp.diviseur.{operation.clause.diviseur_etp.value}", "heures annuelles d’un temps plein"
    )
    exact = trace.step(
        "équivalents temps plein (valeur exacte)",
        "heures ÷ heures annuelles",
        (counted, divisor),
        decimal_of(counted) / decimal_of(divisor),
        "ETP",
    )
    trace.step(
        "équivalents temps plein, arrondis au centième",
        "arrondi(ETP, 0,01)",
        (exact,),
        round_etp(decimal_of(exact)),
        "ETP",
    )
    return trace.build()


def _share_trace(
    inputs: LotInputs, method: str, hours: Decimal, parameters: ParameterSet, at: date
) -> Trace:
    """The lot's insertion hours as a share of its estimated hours worked."""
    trace = TraceBuilder(parameters, at)
    shadow = LotInputs(inputs.operation, inputs.lot, inputs.index, trace)
    worked = worked_hours(shadow, pact=method == "pact_proprete")
    retained = Operand("heures retenues du lot", hours, Origin.ETAPE, "heures", HOURS)
    if decimal_of(worked) == 0:
        trace.step(
            "part des heures travaillées (aucune heure travaillée)", "0", (worked,), Decimal(0)
        )
        return trace.build()
    exact = trace.step(
        "part des heures travaillées (valeur exacte)",
        "heures retenues ÷ heures travaillées",
        (retained, worked),
        hours / decimal_of(worked),
    )
    trace.step(
        "part des heures travaillées, arrondie",
        "arrondi(part, 0,0001)",
        (exact,),
        round_share(decimal_of(exact)),
    )
    return trace.build()


def _total_hours_trace(lots: list[CalibratedLot], parameters: ParameterSet, at: date) -> Trace:
    trace = TraceBuilder(parameters, at)
    operands = tuple(
        Operand(f"heures du lot {lot.numero}", lot.heures, Origin.LOT, str(lot.numero), HOURS)
        for lot in lots
    )
    trace.step(
        "total des heures d’insertion",
        "somme des heures retenues (arrondies) des lots",
        operands,
        sum((lot.heures for lot in lots), Decimal(0)),
        HOURS,
    )
    return trace.build()


def _value(operand: Operand | None) -> Decimal | None:
    return decimal_of(operand) if operand is not None else None
