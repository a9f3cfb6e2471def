"""The legal-obligation check of article L2112-2-1 of the code de la commande publique.

For a consultation launched on or after the date L2112-2-1 applies (a dated parameter),
whose estimated value reaches the EU threshold for its buyer type and contract kind, the
execution conditions must include a social consideration, save in the cases of derogation
the law lists (``legal_fragments/derogations.yaml``). Every lot left out of the clause must
then record its derogation (``lots[i].exclusion.derogation``); a lot that does not gets a
warning here, and ``tender`` refuses to write a CCAP that would contradict the obligation.
Before that date, or below the threshold, the obligation does not bind and a derogation a
lot records is left out of the documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from clausegen.calibration.trace import (
    DATE,
    YES_NO,
    Operand,
    Origin,
    Trace,
    TraceBuilder,
    decimal_of,
    given,
)
from clausegen.calibration.warnings import (
    MissingDerogation,
    ObligationWarning,
    UnusedDerogationWarning,
    UnusedReason,
)
from clausegen.errors import CalibrationError
from clausegen.inputs.operation import Exclusion, Operation, TypeMarche
from clausegen.law.derogations import DerogationSet, ResolvedDerogation
from clausegen.law.parameters import ParameterSet

APPLICABLE_PARAMETER = "obligation_sociale.l2112_2_1_applicable"


@dataclass(frozen=True)
class LotDerogation:
    """The derogation that covers a lot without social consideration, and why the buyer uses it."""

    lot: int
    derogation: ResolvedDerogation
    justification: str


@dataclass(frozen=True)
class ObligationCheck:
    """What the check found, and the trace of how."""

    applicable: bool
    threshold: Decimal | None
    threshold_id: str | None
    estimated_value: Decimal
    lots_without: tuple[int, ...]
    """Every lot that carries no social consideration."""
    trace: Trace
    applies_since: date | None = None
    """The date L2112-2-1 took effect, when it applies at the date checked."""
    derogations: tuple[LotDerogation, ...] = ()
    """The derogations that cover lots without social consideration, when the obligation binds."""
    missing: tuple[MissingDerogation, ...] = ()
    """The lots without consideration nor derogation, when the obligation binds."""
    codes: tuple[str, ...] = ()
    """The derogation codes in force at the date checked."""
    unused: UnusedDerogationWarning | None = None

    @property
    def reaches_threshold(self) -> bool:
        return self.threshold is not None and self.estimated_value >= self.threshold

    @property
    def binding(self) -> bool:
        """The obligation binds this consultation: in force at its date, threshold reached."""
        return self.applicable and self.reaches_threshold

    @property
    def uncovered(self) -> tuple[int, ...]:
        """The lots without social consideration nor derogation, when the obligation binds."""
        return tuple(m.lot for m in self.missing)

    def derogation_of(self, lot: int) -> LotDerogation | None:
        """The derogation stated for ``lot``, if any."""
        return next((d for d in self.derogations if d.lot == lot), None)

    @property
    def warning(self) -> ObligationWarning | None:
        """The warning to give when lots lack the social consideration L2112-2-1 requires."""
        if not self.uncovered:
            return None
        assert self.threshold is not None and self.threshold_id is not None
        assert self.applies_since is not None
        return ObligationWarning(
            lots=self.uncovered,
            estimated_value=self.estimated_value,
            threshold=self.threshold,
            threshold_id=self.threshold_id,
            applies_since=self.applies_since,
            missing=self.missing,
            codes=self.codes,
        )


def threshold_id(operation: Operation) -> str:
    """The EU-threshold parameter for the buyer's type and the contract kind."""
    kind = (
        "travaux"
        if operation.consultation.type_marche is TypeMarche.TRAVAUX
        else ("fournitures_services")
    )
    return f"seuils_ue.{operation.acheteur.type.value}.{kind}"


def check_derogation_codes(operation: Operation, derogations: DerogationSet) -> None:
    """Every ``lots[i].exclusion.derogation`` names a known derogation."""
    for index, lot in enumerate(operation.lots):
        code = lot.exclusion.derogation if lot.exclusion is not None else None
        if code is not None and derogations.get(code) is None:
            raise CalibrationError(
                lot=lot.numero,
                message=f"lots[{index}].exclusion.derogation: '{code}' is not a derogation of "
                "article L2112-2-1 of the code de la commande publique; use one of: "
                f"{', '.join(derogations.codes)}.",
            )


def check_obligation(
    operation: Operation,
    lots_without: list[int],
    parameters: ParameterSet,
    at: date,
    derogations: DerogationSet,
) -> ObligationCheck:
    """Check L2112-2-1 at ``at`` for the lots that carry no social consideration."""
    trace = TraceBuilder(parameters, at)
    value = operation.montant_total_ht
    estimate = trace.step(
        "valeur estimée de la consultation",
        "somme des montants HT estimés des lots",
        tuple(
            Operand(
                f"montant HT du lot {lot.numero}",
                lot.montant_estime_ht,
                Origin.SAISIE,
                f"lots[{i}].montant_estime_ht",
                "EUR",
            )
            for i, lot in enumerate(operation.lots)
        ),
        value,
        "EUR",
    )
    applicable = trace.parameter(APPLICABLE_PARAMETER, "article L2112-2-1 applicable")
    launch = given(
        "date de lancement",
        operation.consultation.date_lancement.isoformat(),
        "consultation.date_lancement",
        DATE,
    )
    trace.step(
        "obligation de l’article L2112-2-1 applicable à cette date",
        "article applicable à la date de lancement",
        (launch, applicable),
        Decimal(1) if applicable.value is True else Decimal(0),
        YES_NO,
    )
    without = tuple(lots_without)
    if applicable.value is not True:
        unused = _unused(operation, without, UnusedReason.NOT_IN_FORCE)
        return ObligationCheck(False, None, None, value, without, trace.build(), unused=unused)
    parameter_id = threshold_id(operation)
    threshold = trace.parameter(parameter_id, "seuil européen")
    reached = value >= decimal_of(threshold)
    reached_step = trace.step(
        "seuil européen atteint",
        "valeur estimée ≥ seuil européen",
        (estimate, threshold),
        Decimal(1) if reached else Decimal(0),
        YES_NO,
    )
    codes = tuple(c for c in derogations.codes if derogations.by_code[c].at(at) is not None)
    covered: list[LotDerogation] = []
    missing: list[MissingDerogation] = []
    unused = _unused(operation, without, UnusedReason.BELOW_THRESHOLD)
    if reached:
        unused = _unused(operation, without, UnusedReason.LOT_RETAINED)
        findings = [reached_step]
        for index, lot in enumerate(operation.lots):
            if lot.numero not in without:
                continue
            found = _lot_derogation(lot.numero, lot.exclusion, derogations, at)
            path = f"lots[{index}].exclusion.derogation"
            if found is None:
                by_sizing = lot.exclusion is None or not lot.exclusion.par_l_acheteur
                missing.append(MissingDerogation(lot.numero, index, by_sizing))
                operand = given(f"dérogation du lot {lot.numero}", "aucune", path)
            else:
                covered.append(found)
                operand = given(f"dérogation du lot {lot.numero}", found.derogation.code, path)
            findings.append(
                trace.step(
                    f"lot {lot.numero} sans considération sociale, couvert par une dérogation",
                    "dérogation prévue à l’article L2112-2-1 indiquée par l’acheteur",
                    (operand,),
                    Decimal(0) if found is None else Decimal(1),
                    YES_NO,
                )
            )
        trace.step(
            "obligation de l’article L2112-2-1 respectée",
            "seuil atteint : chaque lot porte une considération sociale ou relève d’une dérogation",
            tuple(findings),
            Decimal(0) if missing else Decimal(1),
            YES_NO,
        )
    built = trace.build()
    since = next(p.effective_from for p in built.parameters if p.id == APPLICABLE_PARAMETER)
    return ObligationCheck(
        True,
        decimal_of(threshold),
        parameter_id,
        value,
        without,
        built,
        since,
        derogations=tuple(covered),
        missing=tuple(missing),
        codes=codes,
        unused=unused,
    )


def _lot_derogation(
    numero: int, exclusion: Exclusion | None, derogations: DerogationSet, at: date
) -> LotDerogation | None:
    """The derogation the lot records, as in force at ``at``; None if none is."""
    if exclusion is None or exclusion.derogation is None:
        return None
    derogation = derogations.get(exclusion.derogation)
    resolved = derogation.at(at) if derogation is not None else None
    if resolved is None:
        return None
    return LotDerogation(numero, resolved, exclusion.justification)


def _unused(
    operation: Operation, without: tuple[int, ...], reason: UnusedReason
) -> UnusedDerogationWarning | None:
    """The lots whose recorded derogation is not stated, for ``reason``."""
    if reason is UnusedReason.LOT_RETAINED:
        lots = tuple(
            lot.numero
            for lot in operation.lots
            if lot.exclusion is not None
            and lot.exclusion.derogation is not None
            and lot.numero not in without
        )
    else:
        lots = tuple(
            lot.numero
            for lot in operation.lots
            if lot.exclusion is not None and lot.exclusion.derogation is not None
        )
    return UnusedDerogationWarning(lots, reason) if lots else None
