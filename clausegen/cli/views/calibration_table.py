"""The table a buyer reads in a terminal: one line per lot, totals, then warnings."""

from __future__ import annotations

from decimal import Decimal

from clausegen.calibration.calibrate import CalibratedLot, Calibration
from clausegen.cli.views.text_table import aligned_line, column_widths
from clausegen.cli.views.warnings import warning_line
from clausegen.documents import formatting as fr
from clausegen.inputs.operation import Operation

HEADERS = ("Lot", "Trade", "Amount HT", "Labour", "Rate", "Cost/h", "Hours", "ETP", "Status")
RIGHT_ALIGNED = {2, 3, 4, 5, 6, 7}
DASH = "–"


def calibration_table(operation: Operation, calibration: Calibration) -> str:
    """The sizing as a plain-text table with French number formatting."""
    rows = [_lot_row(lot) for lot in calibration.lots]
    total = (
        "Total",
        "",
        fr.euros(calibration.montant_total_ht),
        "",
        "",
        "",
        fr.number(calibration.total_heures),
        fr.number(calibration.total_etp, 2),
        "",
    )
    widths = column_widths([HEADERS, *rows, total])
    lines = [
        f"{operation.consultation.reference} — {operation.consultation.objet}",
        f"Law and parameters as of {calibration.date_reference.isoformat()} (launch date); "
        f"hours rounded per lot ({calibration.regle_arrondi.value}).",
        "",
        _line(HEADERS, widths),
        _line(tuple("-" * w for w in widths), widths),
        *(_line(row, widths) for row in rows),
        _line(tuple("-" * w for w in widths), widths),
        _line(total, widths),
    ]
    if calibration.avertissements:
        lines += ["", "Warnings:"]
        lines += [f"  {warning_line(w)}" for w in calibration.avertissements]
    return "\n".join(lines) + "\n"


def _lot_row(lot: CalibratedLot) -> tuple[str, ...]:
    status = "included" if lot.retenu else f"excluded: {lot.motif_label}"
    return (
        str(lot.numero),
        lot.metier,
        fr.euros(lot.montant_ht),
        _percent(lot.labour_share),
        _percent(lot.insertion_rate),
        fr.euros(lot.hourly_cost) if lot.hourly_cost else DASH,
        fr.number(lot.heures),
        fr.number(lot.etp, 2),
        status,
    )


def _percent(value: Decimal | None) -> str:
    return fr.percent(value) if value is not None else DASH


def _line(cells: tuple[str, ...], widths: list[int]) -> str:
    return aligned_line(cells, widths, RIGHT_ALIGNED)
