"""The sizing as the form shows it: the CLI's table as rows, its warnings and explanation."""

from __future__ import annotations

from dataclasses import dataclass

from clausegen.calibration.calibrate import Calibration
from clausegen.calibration.rounding import RULE_LABELS
from clausegen.cli.views.calibration_table import HEADERS, _lot_row
from clausegen.cli.views.explanation import explanation
from clausegen.cli.views.warnings import warning_message
from clausegen.documents import formatting as fr
from clausegen.inputs.operation import Operation


@dataclass(frozen=True)
class CalibrageView:
    """What the calibrage panel shows, every figure formatted as the CLI's table does."""

    title: str
    basis: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    total: tuple[str, ...]
    warnings: list[str]
    explanation: str


def calibrage_view(operation: Operation, calibration: Calibration) -> CalibrageView:
    """The table of ``clausegen calibrate`` and the text of ``--explain``, for the page."""
    consultation = operation.consultation
    return CalibrageView(
        title=f"{consultation.reference} — {consultation.objet}",
        basis=(
            f"Droit et paramètres en vigueur au {fr.date_fr(calibration.date_reference)} "
            f"(date de lancement) ; heures arrondies lot par lot "
            f"({RULE_LABELS[calibration.regle_arrondi]})."
        ),
        headers=HEADERS,
        rows=[_lot_row(lot, calibration) for lot in calibration.lots],
        total=(
            "Total",
            "",
            fr.euros(calibration.montant_total_ht),
            "",
            "",
            "",
            fr.number(calibration.total_heures),
            fr.number(calibration.total_etp, 2),
            "",
        ),
        warnings=[warning_message(w) for w in calibration.avertissements],
        explanation=explanation(operation, calibration),
    )
