"""Warnings a calibration returns alongside its figures, as data.

Each warning keeps the figures it is about (amounts, dates, lot numbers, parameter ids); the
views word them in French (``clausegen.cli.views.warnings``). ``code`` is stable for scripts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


@dataclass(frozen=True)
class MissingDerogation:
    """A lot without social consideration nor derogation, where L2112-2-1 binds."""

    lot: int
    index: int
    """The lot's place in ``lots`` (for the field path)."""
    by_sizing: bool
    """The sizing, not the buyer, left the lot out: its record needs ``motif: calibrage``."""

    @property
    def field(self) -> str:
        return f"lots[{self.index}].exclusion.derogation"


@dataclass(frozen=True)
class ObligationWarning:
    """Lots carry no social consideration, and no derogation, although L2112-2-1 binds."""

    lots: tuple[int, ...]
    estimated_value: Decimal
    threshold: Decimal
    threshold_id: str
    applies_since: date
    missing: tuple[MissingDerogation, ...] = ()
    """For each lot, the derogation to record."""
    codes: tuple[str, ...] = ()
    """The derogation codes in force."""
    code: str = "L2112-2-1"


class UnusedReason(StrEnum):
    """Why a derogation a lot records is not stated in the documents."""

    NOT_IN_FORCE = "article_non_applicable"  # launched before the L2112-2-1 date
    BELOW_THRESHOLD = "seuil_non_atteint"  # the consultation is below the EU threshold
    LOT_RETAINED = "lot_retenu"  # the lot carries the clause after all


@dataclass(frozen=True)
class UnusedDerogationWarning:
    """Lots record a derogation that does not apply to them; the documents leave it out."""

    lots: tuple[int, ...]
    reason: UnusedReason
    code: str = "derogation_sans_objet"


@dataclass(frozen=True)
class AnruRateWarning:
    """A lot's insertion rate is below the ANRU charter's floor, which is used instead."""

    lot: int
    rate: Decimal
    rate_field: str
    floor: Decimal
    floor_id: str
    code: str = "taux_anru"

    @property
    def lots(self) -> tuple[int, ...]:
        return (self.lot,)


CalibrationWarning = ObligationWarning | UnusedDerogationWarning | AnruRateWarning
"""Any warning of a calibration."""
