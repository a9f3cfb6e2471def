"""The CSV view of a sizing: one row per lot, plain decimals, for spreadsheets and scripts.

Text that a spreadsheet would run as a formula is neutralised (``views.spreadsheet``).
"""

from __future__ import annotations

import csv
import io

from clausegen.calibration.calibrate import Calibration
from clausegen.cli.views.spreadsheet import row

COLUMNS = (
    "lot",
    "intitule",
    "metier",
    "methode",
    "montant_ht",
    "part_main_oeuvre",
    "taux_insertion",
    "cout_horaire",
    "heures",
    "etp",
    "part_heures_travaillees",
    "statut",
    "motif_exclusion",
    "derogation",
)


def calibration_csv(calibration: Calibration) -> str:
    """Header, one row per lot, then a ``total`` row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for lot in calibration.lots:
        derogation = calibration.obligation.derogation_of(lot.numero)
        writer.writerow(
            row(
                [
                    lot.numero,
                    lot.intitule,
                    lot.metier,
                    lot.methode,
                    lot.montant_ht,
                    _blank(lot.labour_share),
                    _blank(lot.insertion_rate),
                    _blank(lot.hourly_cost),
                    lot.heures,
                    lot.etp,
                    _blank(lot.part_heures_travaillees),
                    "retenu" if lot.retenu else "exclu",
                    lot.exclusion.value if lot.exclusion else "",
                    derogation.derogation.code if derogation is not None else "",
                ]
            )
        )
    writer.writerow(
        row(
            [
                "total",
                "",
                "",
                "",
                calibration.montant_total_ht,
                "",
                "",
                "",
                calibration.total_heures,
                calibration.total_etp,
                "",
                "",
                "",
                "",
            ]
        )
    )
    return buffer.getvalue()


def _blank(value: object) -> object:
    return "" if value is None else value
