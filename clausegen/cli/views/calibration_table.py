"""The table a buyer reads in a terminal, in French: one line per lot, totals, then warnings."""

from __future__ import annotations

from decimal import Decimal

from clausegen.calibration.calibrate import CalibratedLot, Calibration
from clausegen.calibration.rounding import RULE_LABELS
from clausegen.cli.views.text_table import aligned_line, column_widths
from clausegen.cli.views.warnings import warning_line
from clausegen.documents import formatting as fr
from clausegen.inputs.operation import Operation

HEADERS = (
    "Lot",
    "Métier",
    "Montant HT",
    "Main-d’œuvre",
    "Taux",
    "Coût/h",
    "Heures",
    "ETP",
    "Statut",
)
RIGHT_ALIGNED = {2, 3, 4, 5, 6, 7}
DASH = "–"


def calibration_table(operation: Operation, calibration: Calibration) -> str:
    """The sizing as a plain-text table with French number formatting."""
    rows = [_lot_row(lot, calibration) for lot in calibration.lots]
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
        f"Droit et paramètres en vigueur au {fr.date_fr(calibration.date_reference)} "
        f"(date de lancement) ; heures arrondies lot par lot "
        f"({RULE_LABELS[calibration.regle_arrondi]}).",
        "",
        _line(HEADERS, widths),
        _line(tuple("-" * w for w in widths), widths),
        *(_line(row, widths) for row in rows),
        _line(tuple("-" * w for w in widths), widths),
        _line(total, widths),
        "",
        f"{DASH} : sans objet (valeur que la méthode du lot n’utilise pas, ou lot exclu).",
        f"{fr.etp_definition([_divisor(calibration)])} ; total = total des heures ÷ "
        f"{fr.number(_divisor(calibration))}.",
    ]
    if calibration.avertissements:
        lines += ["", "Avertissements :"]
        lines += [f"  {warning_line(w)}" for w in calibration.avertissements]
    return "\n".join(lines) + "\n"


def _lot_row(lot: CalibratedLot, calibration: Calibration) -> tuple[str, ...]:
    status = "retenu" if lot.retenu else f"exclu ({lot.motif_label})"
    derogation = calibration.obligation.derogation_of(lot.numero)
    if derogation is not None:
        status += f", dérogation {derogation.derogation.code}"
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


def _divisor(calibration: Calibration) -> Decimal:
    value = calibration.diviseur_etp.value
    assert isinstance(value, Decimal)
    return value


def _percent(value: Decimal | None) -> str:
    return fr.percent(value) if value is not None else DASH


def _line(cells: tuple[str, ...], widths: list[int]) -> str:
    return aligned_line(cells, widths, RIGHT_ALIGNED)
