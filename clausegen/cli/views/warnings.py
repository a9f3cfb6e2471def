"""A calibration's warnings in words, for the table, the JSON output and stderr."""

from __future__ import annotations

from clausegen.calibration.warnings import AnruRateWarning, CalibrationWarning, ObligationWarning
from clausegen.documents.formatting import euros


def warning_message(warning: CalibrationWarning) -> str:
    """The warning as one sentence that says what to do."""
    if isinstance(warning, AnruRateWarning):
        return (
            f"Lot {warning.lot}: the insertion rate set ({warning.rate}, {warning.rate_field}) "
            f"is below the ANRU charter floor ({warning.floor}, {warning.floor_id}); the floor "
            "is used."
        )
    return _obligation_message(warning)


def _obligation_message(warning: ObligationWarning) -> str:
    lots = ", ".join(str(n) for n in warning.lots)
    plural = "Lots" if len(warning.lots) > 1 else "Lot"
    verb = "carry" if len(warning.lots) > 1 else "carries"
    return (
        f"{plural} {lots} {verb} no social consideration, but the consultation "
        f"(estimated at {euros(warning.estimated_value)} HT) reaches the EU threshold of "
        f"{euros(warning.threshold)} HT ({warning.threshold_id}) and is launched on or after "
        f"{warning.applies_since.isoformat()}, the date article L2112-2-1 of the code de la "
        "commande publique applies from: its execution conditions must take social or "
        "employment considerations into account. Include the lot in the clause, or record the "
        "legal derogation that applies."
    )


def warning_line(warning: CalibrationWarning) -> str:
    """``[code] message``, as the table and stderr show it."""
    return f"[{warning.code}] {warning_message(warning)}"
