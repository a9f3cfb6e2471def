"""The French explanation of a sizing (``--explain``): every step, operand and parameter."""

from __future__ import annotations

from datetime import date

from clausegen.calibration.calibrate import Calibration
from clausegen.calibration.methods import METHOD_LABELS
from clausegen.calibration.obligation import ObligationCheck
from clausegen.calibration.rounding import RULE_LABELS
from clausegen.calibration.trace import DATE, Operand, Origin, Trace
from clausegen.documents import formatting as fr
from clausegen.inputs.operation import Operation
from clausegen.law.parameters import ResolvedParameter

FIGURE_TITLES = {
    "heures": "Heures d’insertion",
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
        f"Calibrage de la clause d’insertion — {operation.consultation.reference}",
        f"{operation.consultation.objet} ({operation.acheteur.nom})",
        f"Droit et paramètres en vigueur au {fr.date_fr(calibration.date_reference)} "
        "(date de lancement de la consultation).",
        f"Arrondi : lot par lot, {RULE_LABELS[calibration.regle_arrondi]} ; "
        "les totaux additionnent les lots arrondis.",
    ]
    for lot in calibration.lots:
        status = "retenu" if lot.retenu else f"exclu ({lot.motif_label})"
        lines += [
            "",
            f"Lot {lot.numero} — {lot.intitule} ({lot.metier}) — méthode : "
            f"{METHOD_LABELS[lot.methode]} — {status}",
        ]
        for name, trace in lot.traces.items():
            lines += [f"  {FIGURE_TITLES[name]}", *_steps(trace, "    ")]
        if lot.retenu and "part" not in lot.traces:
            lines.append(
                f"  {FIGURE_TITLES['part']} : sans objet (aucune part de main-d’œuvre connue "
                f"pour le métier « {lot.metier} », que la méthode {METHOD_LABELS[lot.methode]} "
                "n’utilise pas)"
            )
    lines += ["", "Totaux"]
    lines += ["  Heures d’insertion", *_steps(calibration.traces["total_heures"], "    ")]
    lines += ["  Équivalents temps plein", *_steps(calibration.traces["total_etp"], "    ")]
    lines += [
        "",
        "Contrôle de l’article L2112-2-1 du code de la commande publique",
        *_steps(calibration.traces["obligation_l2112_2_1"], "  "),
        *_obligation_conclusion(calibration.obligation, calibration.date_reference),
    ]
    lines += ["", "Paramètres utilisés"]
    lines += [f"  - {_citation(p)}" for p in calibration.parametres]
    return "\n".join(lines) + "\n"


def _obligation_conclusion(obligation: ObligationCheck, launched: date) -> list[str]:
    """The check's finding in words: date condition, threshold, lots and their derogations."""
    if not obligation.applicable:
        return [
            "  Conclusion : l’article L2112-2-1 ne s’applique pas à cette consultation, lancée "
            "avant la date à compter de laquelle il s’applique ; aucune dérogation n’est à "
            "indiquer."
        ]
    assert obligation.threshold is not None and obligation.applies_since is not None
    since = fr.date_fr(obligation.applies_since)
    value, threshold = fr.euros(obligation.estimated_value), fr.euros(obligation.threshold)
    if not obligation.reaches_threshold:
        return [
            f"  Conclusion : l’article L2112-2-1 s’applique aux consultations engagées à compter "
            f"du {since}, mais la valeur estimée ({value} HT) est inférieure au seuil européen "
            f"({threshold} HT) : l’obligation ne s’impose pas à cette consultation."
        ]
    lines = [
        f"  Conclusion : l’obligation s’impose (consultation lancée le {fr.date_fr(launched)}, "
        f"l’article s’appliquant aux consultations engagées à compter du {since} ; valeur "
        f"estimée de {value} HT, au moins égale au seuil européen de {threshold} HT)."
    ]
    if not obligation.lots_without:
        lines.append("  Chaque lot porte la clause d’insertion : l’obligation est respectée.")
    for numero in obligation.lots_without:
        found = obligation.derogation_of(numero)
        if found is None:
            lines.append(
                f"  Lot {numero} : sans considération sociale et sans dérogation ; le CCAP ne "
                "peut pas être établi en l’état."
            )
        else:
            derogation = found.derogation
            lines.append(
                f"  Lot {numero} : sans considération sociale, couvert par la dérogation "
                f"« {derogation.code} » prévue à {derogation.legal_basis} ({derogation.label}) "
                f"[{derogation.reliability.label}]."
            )
    return lines


def _steps(trace: Trace, indent: str) -> list[str]:
    cited = {p.id: p for p in trace.parameters}
    lines = []
    for step in trace.steps:
        lines.append(f"{indent}{step.number}. {step.label} = {step.formula}")
        lines += [f"{indent}     {_operand(o, cited)}" for o in step.operands]
        lines.append(f"{indent}   → {fr.quantity(step.result, step.unit)}")
    return lines


def _operand(operand: Operand, cited: dict[str, ResolvedParameter]) -> str:
    where = ORIGIN_LABELS[operand.origin]
    source = f"{where} {operand.ref}"
    if operand.origin is Origin.ETAPE and not operand.ref.isdigit():
        source = "calcul précédent"
    parameter = cited.get(operand.ref) if operand.origin is Origin.PARAMETRE else None
    if parameter is not None:
        source += (
            f", depuis le {fr.date_fr(parameter.effective_from)} — {parameter.reference} "
            f"[{parameter.reliability.label}]"
        )
    if operand.unit == DATE and isinstance(operand.value, str):
        shown = fr.date_fr(date.fromisoformat(operand.value))
    else:
        shown = fr.quantity(operand.value, operand.unit)
    return f"{operand.name} = {shown} ({source})"


def _citation(parameter: ResolvedParameter) -> str:
    value = fr.quantity(parameter.value, parameter.unit)
    return (
        f"{parameter.id} = {value}, depuis le {fr.date_fr(parameter.effective_from)} — "
        f"{parameter.reference} [{parameter.reliability.label}]"
    )
