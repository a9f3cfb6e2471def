"""The clause's two penalties on one lot, as the CCAP states them, every figure traced.

- missing hours × the hourly penalty (``clause.penalite.par_heure_manquante``, or
  ``multiple_smic_par_heure`` × the hourly SMIC in force on the closing date), when the lot
  is short of its hours at the end of execution;
- days late in reporting after the formal notice's delay
  (``clause.comptes_rendus.delai_mise_en_demeure_jours``) × the daily penalty
  (``par_jour_retard``), period by period (``clausegen.execution.reporting``);
- their sum capped, for the lot, at the clause's share of the lot's amount HT
  (``plafond_part_montant``: the awarded amount of the commitment, else the lot's estimate),
  as the CCAP's ``clause.plafond`` says.

Amounts are rounded to the cent in ``clausegen.calibration.rounding.round_euros``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from clausegen.calibration.methods import EUR, HOURS
from clausegen.calibration.rounding import round_euros
from clausegen.calibration.trace import (
    DATE,
    Operand,
    Origin,
    Trace,
    TraceBuilder,
    decimal_of,
)
from clausegen.execution.commitments import Commitment
from clausegen.execution.reporting import PeriodLine
from clausegen.inputs.operation import Operation, Penalite
from clausegen.law.parameters import ParameterSet

SMIC = "smic.horaire_brut"
EUR_HT = "EUR HT"
DAYS = "jours"


@dataclass(frozen=True)
class PenaltyCalculation:
    """A lot's penalties: for missing hours, for late statements, their cap and what is due."""

    heures_manquantes: Decimal | None
    taux_horaire: Decimal | None
    montant_heures: Decimal | None
    """The penalty for missing hours; None when none applies."""
    retards: tuple[PeriodLine, ...]
    """The periods whose statement is penalised, with their penalised days."""
    jours_retard: int
    taux_journalier: Decimal | None
    montant_retards: Decimal | None
    """The penalty for late statements; None when none applies."""
    montant_brut: Decimal
    """Both penalties together, before the cap."""
    plafond: Decimal | None
    plafond_part: Decimal | None
    plafond_base: Decimal | None
    """The cap, and the share of which amount (awarded, else estimated) it is."""
    plafond_attribue: bool
    """Whether the cap's base is the awarded amount (else the lot's estimate)."""
    montant: Decimal
    trace: Trace

    @property
    def plafonnee(self) -> bool:
        return self.plafond is not None and self.montant < self.montant_brut


@dataclass(frozen=True)
class Shortfall:
    """The traces of a lot short of its hours at the end of execution."""

    required: Trace
    """The hours due: the lot's required hours, or the offer's committed hours."""
    realised: Trace
    label: str = "heures requises"
    """« heures dues » when they are the offer's committed hours."""


def lot_penalties(
    operation: Operation,
    parameters: ParameterSet,
    closing: date,
    engagement: Commitment,
    shortfall: Shortfall | None,
    periods: tuple[PeriodLine, ...],
    reporting_file: Path | None,
) -> PenaltyCalculation | None:
    """The lot's penalties at ``closing``, or None when neither applies."""
    rules = operation.clause.penalite
    hourly = shortfall is not None and rules.par_heure_prevue
    late = tuple(line for line in periods if line.jours_penalisables > 0)
    daily = rules.par_jour_retard is not None and bool(late)
    if not hourly and not daily:
        return None
    trace = TraceBuilder(parameters, closing)
    parts: list[Operand] = []
    missing = rate = None
    if hourly:
        assert shortfall is not None
        missing, rate, amount = _hourly(trace, rules, shortfall)
        parts.append(amount)
    days = per_day = None
    if daily:
        assert reporting_file is not None and rules.par_jour_retard is not None
        days, per_day, amount = _late(trace, operation, late, reporting_file, closing)
        parts.append(amount)
    gross = (
        trace.step(
            "pénalités avant plafond",
            " + ".join(part.name for part in parts),
            tuple(parts),
            sum((decimal_of(part) for part in parts), Decimal(0)),
            EUR_HT,
        )
        if len(parts) > 1
        else parts[0]
    )
    cap = _cap(trace, operation, engagement, gross)
    return PenaltyCalculation(
        heures_manquantes=decimal_of(missing) if missing else None,
        taux_horaire=decimal_of(rate) if rate else None,
        montant_heures=decimal_of(parts[0]) if hourly else None,
        retards=late if daily else (),
        jours_retard=int(decimal_of(days)) if days else 0,
        taux_journalier=decimal_of(per_day) if per_day else None,
        montant_retards=decimal_of(parts[-1]) if daily else None,
        montant_brut=decimal_of(gross),
        plafond=cap.value if cap else None,
        plafond_part=operation.clause.penalite.plafond_part_montant,
        plafond_base=cap.base if cap else None,
        plafond_attribue=engagement.montant_ht is not None,
        montant=min(decimal_of(gross), cap.value) if cap else decimal_of(gross),
        trace=trace.build(),
    )


def _hourly(
    trace: TraceBuilder, rules: Penalite, shortfall: Shortfall
) -> tuple[Operand, Operand, Operand]:
    """Missing hours × the penalty per hour, to the cent."""
    missing = trace.step(
        "heures manquantes",
        f"{shortfall.label} − heures réalisées",
        (
            shortfall.required.as_operand(shortfall.label, HOURS),
            shortfall.realised.as_operand("heures réalisées", HOURS),
        ),
        shortfall.required.result - shortfall.realised.result,
        HOURS,
    )
    rate = _hourly_rate(trace, rules)
    amount = trace.step(
        "pénalité pour heures non réalisées",
        "heures manquantes × pénalité par heure, arrondie au centime",
        (missing, rate),
        round_euros(decimal_of(missing) * decimal_of(rate)),
        EUR_HT,
    )
    return missing, rate, amount


def _hourly_rate(trace: TraceBuilder, rules: Penalite) -> Operand:
    """The penalty per missing hour: fixed, or a multiple of the SMIC at the closing date."""
    if rules.par_heure_manquante is not None:
        return Operand(
            "pénalité par heure",
            rules.par_heure_manquante,
            Origin.SAISIE,
            "clause.penalite.par_heure_manquante",
            EUR_HT,
        )
    assert rules.multiple_smic_par_heure is not None
    multiple = Operand(
        "multiple du SMIC",
        rules.multiple_smic_par_heure,
        Origin.SAISIE,
        "clause.penalite.multiple_smic_par_heure",
        "fois",
    )
    smic = trace.parameter(SMIC, "SMIC horaire brut")
    return trace.step(
        "pénalité par heure",
        "multiple × SMIC horaire brut à la date du constat",
        (multiple, smic),
        round_euros(decimal_of(multiple) * decimal_of(smic)),
        EUR_HT,
    )


def _late(
    trace: TraceBuilder,
    operation: Operation,
    late: tuple[PeriodLine, ...],
    reporting_file: Path,
    closing: date,
) -> tuple[Operand, Operand, Operand]:
    """Penalised days of each late statement, their sum × the penalty per day."""
    delay = Operand(
        "délai de la mise en demeure",
        Decimal(operation.clause.comptes_rendus.delai_mise_en_demeure_jours),
        Origin.SAISIE,
        "clause.comptes_rendus.delai_mise_en_demeure_jours",
        DAYS,
    )
    counted = []
    for line in late:
        assert line.mise_en_demeure is not None and line.ligne is not None
        where = f"{reporting_file.name}, ligne {line.ligne}"
        notice = Operand(
            "date de mise en demeure",
            line.mise_en_demeure.isoformat(),
            Origin.COMPTES_RENDUS,
            where,
            DATE,
        )
        if line.reception is not None:
            end = Operand(
                "date de réception", line.reception.isoformat(), Origin.COMPTES_RENDUS, where, DATE
            )
        else:
            end = Operand("date d’arrêté", closing.isoformat(), Origin.SAISIE, "--period-end", DATE)
        counted.append(
            trace.step(
                f"jours de retard pénalisables, période {line.periode.code}",
                f"{end.name} − (date de mise en demeure + délai), en jours calendaires",
                (end, notice, delay),
                Decimal(line.jours_penalisables),
                DAYS,
            )
        )
    days = (
        trace.step(
            "jours de retard pénalisables",
            "somme des périodes",
            tuple(counted),
            sum((decimal_of(c) for c in counted), Decimal(0)),
            DAYS,
        )
        if len(counted) > 1
        else counted[0]
    )
    assert operation.clause.penalite.par_jour_retard is not None
    per_day = Operand(
        "pénalité par jour de retard",
        operation.clause.penalite.par_jour_retard,
        Origin.SAISIE,
        "clause.penalite.par_jour_retard",
        EUR_HT,
    )
    amount = trace.step(
        "pénalité pour retard",
        "jours de retard pénalisables × pénalité par jour, arrondie au centime",
        (days, per_day),
        round_euros(decimal_of(days) * decimal_of(per_day)),
        EUR_HT,
    )
    return days, per_day, amount


@dataclass(frozen=True)
class _Cap:
    value: Decimal
    base: Decimal


def _cap(
    trace: TraceBuilder, operation: Operation, engagement: Commitment, gross: Operand
) -> _Cap | None:
    """The cap (a share of the awarded amount, else of the lot's estimate), when the clause
    sets one; traced with the penalties due."""
    share_of_amount = operation.clause.penalite.plafond_part_montant
    if share_of_amount is None:
        return None
    lot = operation.lot(engagement.lot)
    assert lot is not None
    share = Operand(
        "plafond (part du montant)",
        share_of_amount,
        Origin.SAISIE,
        "clause.penalite.plafond_part_montant",
    )
    base = (
        Operand("montant du marché", engagement.montant_ht, Origin.ENGAGEMENT, "montant_ht", EUR)
        if engagement.montant_ht is not None
        else Operand(
            "montant estimé du lot",
            lot.montant_estime_ht,
            Origin.SAISIE,
            f"lots[{operation.lots.index(lot)}].montant_estime_ht",
            EUR,
        )
    )
    cap = trace.step(
        "plafond des pénalités",
        "part × montant, arrondi au centime",
        (share, base),
        round_euros(decimal_of(share) * decimal_of(base)),
        EUR_HT,
    )
    trace.step(
        "pénalités dues",
        "le moindre des pénalités et du plafond",
        (gross, cap),
        min(decimal_of(gross), decimal_of(cap)),
        EUR_HT,
    )
    return _Cap(decimal_of(cap), decimal_of(base))
