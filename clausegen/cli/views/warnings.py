"""A calibration's warnings in French words, for the table, the JSON output and stderr."""

from __future__ import annotations

from clausegen.calibration.warnings import (
    AnruRateWarning,
    CalibrationWarning,
    MissingDerogation,
    ObligationWarning,
    UnusedDerogationWarning,
    UnusedReason,
)
from clausegen.documents.formatting import date_fr, euros, percent

UNUSED_REASONS = {
    UnusedReason.NOT_IN_FORCE: "l’article L2112-2-1 du code de la commande publique ne "
    "s’applique pas encore à la date de lancement de la consultation",
    UnusedReason.BELOW_THRESHOLD: "la valeur estimée de la consultation n’atteint pas le seuil "
    "européen, si bien que l’article L2112-2-1 du code de la commande publique ne s’applique pas",
    UnusedReason.LOT_RETAINED: "le lot porte la clause d’insertion",
}


def warning_message(warning: CalibrationWarning) -> str:
    """The warning as French sentences that say what to do."""
    if isinstance(warning, AnruRateWarning):
        return (
            f"Lot {warning.lot} : le taux d’insertion fixé ({percent(warning.rate)}, "
            f"{warning.rate_field}) est inférieur au plancher de la charte ANRU "
            f"({percent(warning.floor)}, {warning.floor_id}) ; le plancher est retenu."
        )
    if isinstance(warning, UnusedDerogationWarning):
        return (
            f"{_lots(warning.lots).capitalize()} : la dérogation indiquée "
            f"(exclusion.derogation) est sans objet, car {UNUSED_REASONS[warning.reason]} ; "
            "elle n’est pas mentionnée dans les documents."
        )
    return _obligation_message(warning)


def _obligation_message(warning: ObligationWarning) -> str:
    several = len(warning.lots) > 1
    verb = "ne portent" if several else "ne porte"
    return (
        f"{_lots(warning.lots).capitalize()} {verb} aucune considération sociale, alors que la "
        f"consultation (valeur estimée : {euros(warning.estimated_value)} HT) atteint le seuil "
        f"européen de {euros(warning.threshold)} HT ({warning.threshold_id}) et relève de "
        "l’article L2112-2-1 du code de la commande publique, applicable aux consultations "
        f"engagées à compter du {date_fr(warning.applies_since)} : les conditions "
        "d’exécution de ses marchés doivent prendre en compte des considérations relatives au "
        "domaine social ou à l’emploi. "
        f"Incluez {'ces lots' if several else 'le lot'} dans la clause, ou indiquez la "
        f"dérogation légale qui s’applique ({missing_fields(warning.missing)} ; valeurs "
        f"possibles : {_codes(warning.codes)}) avec sa justification ; clausegen tender "
        "refuse d’écrire le CCAP sans elle."
    )


def missing_fields(missing: tuple[MissingDerogation, ...]) -> str:
    """Where each derogation goes: ``lots[6].exclusion.derogation`` (with ``motif: calibrage``
    for a lot the sizing left out)."""
    return " ; ".join(
        f"{m.field}, avec exclusion.motif : calibrage" if m.by_sizing else m.field for m in missing
    )


def _lots(lots: tuple[int, ...]) -> str:
    if len(lots) == 1:
        return f"lot {lots[0]}"
    return f"lots {', '.join(str(n) for n in lots[:-1])} et {lots[-1]}"


def _codes(codes: tuple[str, ...]) -> str:
    return ", ".join(codes[:-1]) + f" ou {codes[-1]}" if len(codes) > 1 else "".join(codes)


def warning_line(warning: CalibrationWarning) -> str:
    """``[code] message``, as the table and stderr show it."""
    return f"[{warning.code}] {warning_message(warning)}"
