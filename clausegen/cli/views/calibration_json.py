"""The stable JSON view of a sizing (format ``clausegen.calibrage/1``, see the README).

Numbers are strings holding the exact decimal (``"2007"``, ``"0.07"``), so nothing is lost
to binary floating point; dates are ISO 8601.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from clausegen.calibration.calibrate import CalibratedLot, Calibration
from clausegen.calibration.obligation import LotDerogation
from clausegen.calibration.trace import Trace
from clausegen.cli.views.warnings import warning_message
from clausegen.inputs.operation import Operation
from clausegen.law.parameters import ResolvedParameter

FORMAT = "clausegen.calibrage/1"


def calibration_json(operation: Operation, calibration: Calibration) -> str:
    """The sizing as indented JSON text, keys in a fixed order."""
    return json.dumps(calibrage_document(operation, calibration), ensure_ascii=False, indent=2)


def calibrage_document(operation: Operation, calibration: Calibration) -> dict[str, Any]:
    obligation = calibration.obligation
    retained = [lot for lot in calibration.lots if lot.retenu]
    return {
        "format": FORMAT,
        "consultation": {
            "reference": operation.consultation.reference,
            "objet": operation.consultation.objet,
            "acheteur": operation.acheteur.nom,
            "dispositif": operation.clause.dispositif.value,
            "date_reference": calibration.date_reference.isoformat(),
        },
        "regle_arrondi": calibration.regle_arrondi.value,
        "lots": [_lot(lot, obligation.derogation_of(lot.numero)) for lot in calibration.lots],
        "totaux": {
            "montant_ht": _num(calibration.montant_total_ht),
            "heures": _num(calibration.total_heures),
            "etp": _num(calibration.total_etp),
            "lots_retenus": len(retained),
            "lots_exclus": len(calibration.lots) - len(retained),
            "traces": {
                "heures": _trace(calibration.traces["total_heures"]),
                "etp": _trace(calibration.traces["total_etp"]),
            },
        },
        "obligation_l2112_2_1": {
            "applicable": obligation.applicable,
            "valeur_estimee": _num(obligation.estimated_value),
            "seuil": _num(obligation.threshold),
            "parametre_seuil": obligation.threshold_id,
            "seuil_atteint": obligation.reaches_threshold,
            "lots_sans_consideration_sociale": list(obligation.lots_without),
            "lots_sans_derogation": list(obligation.uncovered),
            "trace": _trace(obligation.trace),
        },
        "avertissements": [
            {"code": w.code, "message": warning_message(w), "lots": list(w.lots)}
            for w in calibration.avertissements
        ],
        "parametres": [_parameter(p) for p in calibration.parametres],
    }


def _lot(lot: CalibratedLot, derogation: LotDerogation | None) -> dict[str, Any]:
    return {
        "numero": lot.numero,
        "intitule": lot.intitule,
        "metier": lot.metier,
        "methode": lot.methode,
        "montant_ht": _num(lot.montant_ht),
        "part_main_oeuvre": _num(lot.labour_share),
        "taux_insertion": _num(lot.insertion_rate),
        "cout_horaire": _num(lot.hourly_cost),
        "heures": _num(lot.heures),
        "etp": _num(lot.etp),
        "part_heures_travaillees": _num(lot.part_heures_travaillees),
        "statut": "retenu" if lot.retenu else "exclu",
        "motif_exclusion": lot.exclusion.value if lot.exclusion else None,
        "detail_exclusion": lot.exclusion_detail,
        "derogation": _derogation(derogation) if derogation is not None else None,
        "traces": {name: _trace(trace) for name, trace in lot.traces.items()},
    }


def _derogation(found: LotDerogation) -> dict[str, Any]:
    derogation = found.derogation
    return {
        "code": derogation.code,
        "libelle": derogation.label,
        "fondement": derogation.legal_basis,
        "justification": found.justification,
        "depuis": derogation.effective_from.isoformat(),
        "reference": derogation.reference,
        "statut": derogation.reliability.value,
        "source": derogation.source_url,
    }


def _trace(trace: Trace) -> dict[str, Any]:
    return {
        "etapes": [
            {
                "numero": step.number,
                "libelle": step.label,
                "formule": step.formula,
                "operandes": [
                    {
                        "nom": o.name,
                        "valeur": _value(o.value),
                        "unite": o.unit,
                        "origine": o.origin.value,
                        "ref": o.ref,
                    }
                    for o in step.operands
                ],
                "resultat": _num(step.result),
                "unite": step.unit,
            }
            for step in trace.steps
        ],
        "parametres": [p.id for p in trace.parameters],
    }


def _parameter(parameter: ResolvedParameter) -> dict[str, Any]:
    return {
        "id": parameter.id,
        "description": parameter.description,
        "valeur": _value(parameter.value),
        "unite": parameter.unit,
        "depuis": parameter.effective_from.isoformat(),
        "reference": parameter.reference,
        "statut": parameter.reliability.value,
        "source": parameter.source_url,
    }


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _value(value: Decimal | bool | str) -> str | bool:
    return value if isinstance(value, bool | str) else str(value)
