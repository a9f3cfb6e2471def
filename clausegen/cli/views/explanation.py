"""The French explanation of a sizing (``--explain``): every step, operand and parameter."""

from __future__ import annotations

from clausegen.calibration.calibrate import Calibration
from clausegen.calibration.methods import METHOD_LABELS
from clausegen.calibration.rounding import RULE_LABELS
from clausegen.calibration.trace import Operand, Origin, Trace
from clausegen.documents import formatting as fr
from clausegen.inputs.operation import Operation
from clausegen.law.parameters import ResolvedParameter

FIGURE_TITLES = {
    "heures": "Heures d'insertion",
    "etp": "Équivalents temps plein",
    "part": "Part des heures travaillées",
}
ORIGIN_LABELS = {
    Origin.SAISIE: "opération",
    Origin.PARAMETRE: "paramètre",
    Origin.ETAPE: "étape",
    Origin.LOT: "lot",
}


def explanation(operation: Operation, calibration: Calibration) -> str:
    """The whole trace of a sizing as French text."""
    lines = [
        f"Calibrage de la clause d'insertion — {operation.consultation.reference}",
        f"{operation.consultation.objet} ({operation.acheteur.nom})",
        f"Droit et paramètres en vigueur au {fr.date_fr(calibration.date_reference)} "
        "(date de lancement de la consultation).",
        f"Arrondi : lot par lot, {RULE_LABELS[calibration.regle_arrondi]} ; "
        "les totaux additionnent les lots arrondis.",
    ]
    for lot in calibration.lots:
        status = "retenu" if lot.retenu else f"exclu : {lot.motif_label}"
        lines += [
            "",
            f"Lot {lot.numero} — {lot.intitule} ({lot.metier}) — méthode : "
            f"{METHOD_LABELS[lot.methode]} — {status}",
        ]
        for name, trace in lot.traces.items():
            lines += [f"  {FIGURE_TITLES[name]}", *_steps(trace, "    ")]
    lines += ["", "Totaux"]
    lines += ["  Heures d'insertion", *_steps(calibration.traces["total_heures"], "    ")]
    lines += ["  Équivalents temps plein", *_steps(calibration.traces["total_etp"], "    ")]
    lines += [
        "",
        "Contrôle de l'article L2112-2-1 du code de la commande publique",
        *_steps(calibration.traces["obligation_l2112_2_1"], "  "),
    ]
    lines += ["", "Paramètres utilisés"]
    lines += [f"  - {_citation(p)}" for p in calibration.parametres]
    return "\n".join(lines) + "\n"


def _steps(trace: Trace, indent: str) -> list[str]:
    lines = []
    for step in trace.steps:
        lines.append(f"{indent}{step.number}. {step.label} = {step.formula}")
        lines += [f"{indent}     {_operand(o)}" for o in step.operands]
        lines.append(f"{indent}   → {fr.quantity(step.result, step.unit)}")
    return lines


def _operand(operand: Operand) -> str:
    where = ORIGIN_LABELS[operand.origin]
    source = f"{where} {operand.ref}"
    if operand.origin is Origin.ETAPE and not operand.ref.isdigit():
        source = "calcul précédent"
    return f"{operand.name} = {fr.quantity(operand.value, operand.unit)} ({source})"


def _citation(parameter: ResolvedParameter) -> str:
    value = fr.quantity(parameter.value, parameter.unit)
    return (
        f"{parameter.id} = {value}, depuis le {fr.date_fr(parameter.effective_from)} — "
        f"{parameter.reference} [{parameter.reliability.label}]"
    )
