"""Builders for test operations: the real parameters, small operations built in code."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from clausegen.calibration.calibrate import Calibration, calibrate
from clausegen.cli.app import main
from clausegen.inputs.operation import Operation
from clausegen.law.parameters import ParameterSet

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*/operation.yaml"))

BASE_OPERATION: dict[str, Any] = {
    "acheteur": {"nom": "Ville de Carcassonne", "siret": "21110069800011", "type": "collectivite"},
    "facilitateur": {"nom": "Claire Roussel", "structure": "MDE", "email": "c.roussel@mde.fr"},
    "consultation": {
        "reference": "T-001",
        "objet": "Travaux",
        "procedure": "appel_offres_ouvert",
        "type_marche": "travaux",
        "date_lancement": "2026-09-15",
        "duree_mois": 12,
        "ccag": "travaux",
    },
    "clause": {"penalite": {"par_heure_manquante": "60", "par_jour_retard": "100"}},
    "lots": [
        {
            "numero": 1,
            "intitule": "Maçonnerie",
            "cpv": "45262500-6",
            "metier": "maconnerie",
            "montant_estime_ht": "1000000",
        }
    ],
}


def operation_data(
    *,
    clause: dict[str, Any] | None = None,
    consultation: dict[str, Any] | None = None,
    acheteur: dict[str, Any] | None = None,
    **lot: Any,
) -> dict[str, Any]:
    """The base operation as plain data, with overrides for the clause and the single lot."""
    data = copy.deepcopy(BASE_OPERATION)
    data["clause"].update(clause or {})
    data["consultation"].update(consultation or {})
    data["acheteur"].update(acheteur or {})
    data["lots"][0].update(lot)
    return data


def make_operation(**overrides: Any) -> Operation:
    return Operation.model_validate(operation_data(**overrides))


def size(operation: Operation, parameters: ParameterSet) -> Calibration:
    return calibrate(operation, parameters, operation.consultation.date_lancement)


def D(text: str) -> Decimal:
    return Decimal(text)


# --- the works sample with execution data, for the command-line tests ----------------------

SAMPLE = Path("samples/groupe-scolaire-jaures")
OPERATION = SAMPLE / "operation.yaml"
FOLLOW_UP = [
    "--ledger",
    str(SAMPLE / "heures.csv"),
    "--participants",
    str(SAMPLE / "participants.yaml"),
]
"""The ledger and participants options of ``compliance`` and ``balance``."""
REPORTING = ["--reporting", str(SAMPLE / "comptes-rendus.csv")]
"""The statements received, for ``compliance``."""


def run(*args: str | Path) -> Result:
    """``clausegen ARGS`` in this process, stdout and stderr kept apart."""
    return CliRunner().invoke(main, [str(arg) for arg in args])
