"""Warnings a calibration returns alongside its figures, as data.

Each warning keeps the figures it is about (amounts, dates, lot numbers, parameter ids); the
views word them (``clausegen.cli.views.warnings``). ``code`` is stable for scripts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class ObligationWarning:
    """Lots carry no social consideration although article L2112-2-1 requires one."""

    lots: tuple[int, ...]
    estimated_value: Decimal
    threshold: Decimal
    threshold_id: str
    applies_since: date
    code: str = "L2112-2-1"


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


CalibrationWarning = ObligationWarning | AnruRateWarning
"""Any warning of a calibration."""
