"""The legal-obligation check of article L2112-2-1 of the code de la commande publique.

For a consultation launched on or after the date L2112-2-1 applies (a dated parameter),
whose estimated value reaches the EU threshold for its buyer type and contract kind, the
execution conditions must include a social consideration: every lot left out of the clause
gets a warning that cites the article. Before that date, or below the threshold, none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from clausegen.calibration.trace import YES_NO, Operand, Origin, Trace, TraceBuilder
from clausegen.calibration.warnings import ObligationWarning
from clausegen.inputs.operation import Operation, TypeMarche
from clausegen.law.parameters import ParameterSet

APPLICABLE_PARAMETER = "obligation_sociale.l2112_2_1_applicable"


@dataclass(frozen=True)
class ObligationCheck:
    """What the check found, and the trace of how."""

    applicable: bool
    threshold: Decimal | None
    threshold_id: str | None
    estimated_value: Decimal
    lots_without: tuple[int, ...]
    trace: Trace
    applies_since: date | None = None
    """The date L2112-2-1 took effect, when it applies at the date checked."""

    @property
    def reaches_threshold(self) -> bool:
        return self.threshold is not None and self.estimated_value >= self.threshold

    @property
    def warning(self) -> ObligationWarning | None:
        """The warning to give when lots lack the social consideration L2112-2-1 requires."""
        if not (self.applicable and self.reaches_threshold and self.lots_without):
            return None
        assert self.threshold is not None and self.threshold_id is not None
        assert self.applies_since is not None
        return ObligationWarning(
            lots=self.lots_without,
            estimated_value=self.estimated_value,
            threshold=self.threshold,
            threshold_id=self.threshold_id,
            applies_since=self.applies_since,
        )


def threshold_id(operation: Operation) -> str:
    """The EU-threshold parameter for the buyer's type and the contract kind."""
    kind = (
        "travaux"
        if operation.consultation.type_marche is TypeMarche.TRAVAUX
        else ("fournitures_services")
    )
    return f"seuils_ue.{operation.acheteur.type.value}.{kind}"


def check_obligation(
    operation: Operation, lots_without: list[int], parameters: ParameterSet, at: date
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
    if applicable.value is not True:
        trace.step(
            "obligation de l'article L2112-2-1 applicable à cette date",
            "article applicable à la date de lancement",
            (applicable,),
            Decimal(0),
            YES_NO,
        )
        return ObligationCheck(False, None, None, value, tuple(lots_without), trace.build())
    parameter_id = threshold_id(operation)
    threshold = trace.parameter(parameter_id, "seuil européen")
    reached = value >= threshold.value
    trace.step(
        "seuil européen atteint",
        "valeur estimée ≥ seuil européen",
        (estimate, threshold),
        Decimal(1) if reached else Decimal(0),
        YES_NO,
    )
    built = trace.build()
    since = next(p.effective_from for p in built.parameters if p.id == APPLICABLE_PARAMETER)
    return ObligationCheck(
        True, threshold.value, parameter_id, value, tuple(lots_without), built, since
    )
