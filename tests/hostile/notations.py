"""Class 2: values that should not be numbers.

YAML 1.1 reads ``190:20:30`` as 685 230, ``0x1F`` as 31, ``017`` as 15, ``1_000`` as 1000
and ``true`` as 1; Python reads full-width and other scripts' digits as numbers. Amounts,
hours, rates, lot numbers and identifiers take decimal notation with ASCII digits only.
"""

from __future__ import annotations

from collections.abc import Iterator

from tests.hostile.bases import (
    commitment_case,
    ledger_case,
    operation_case,
    participants_case,
)
from tests.hostile.runner import Case

NOT_DECIMALS = {
    "sexagesimal": "190:20:30",
    "hex": "0x1F",
    "octal-0o": "0o17",
    "binary": "0b101",
    "underscores": "1_000",
    "exponent": "1e3",
    "true": "true",
    "false": "false",
    "yes": "yes",
    "fullwidth": "１２３",
    "arabic-indic": "١٢٣",
    "quoted-hex": '"0x1F"',
    "quoted-fullwidth": '"１２３"',
    "decimal-comma": "12,5",
}

NOT_WHOLE = {
    "true": "true",
    "false": "false",
    "hex": "0x2",
    "sexagesimal": "1:30",
    "fraction": "1.5",
    "fullwidth": "１",
    "quoted-fullwidth": '"１"',
    "exponent": "1e0",
}

BAD_SIRETS = {
    "fullwidth": '"８１２３４５６７６０００１７"',
    "arabic-indic": '"٨١٢٣٤٥٦٧٦٠٠٠١٧"',
    "devanagari": '"८१२३४५६७६०००१७"',
    "superscript": '"⁸¹²³⁴⁵⁶⁷⁶⁰⁰⁰¹⁷"',
}

OPERATION_DECIMALS = (
    "lots[0].montant_estime_ht",
    "clause.cout_horaire",
    "clause.taux_insertion",
    "clause.penalite.par_jour_retard",
)
COMMITMENT_DECIMALS = ("heures_engagees", "montant_ht")


def _sweep(values: dict[str, str], fields: tuple[str, ...]) -> Iterator[tuple[str, str, str]]:
    """The first value in every field, each other value in the first field."""
    for number, (key, value) in enumerate(values.items()):
        for field in fields if number == 0 else fields[:1]:
            yield key, value, field


def cases() -> Iterator[Case]:
    for key, raw, field in _sweep(NOT_DECIMALS, OPERATION_DECIMALS):
        parent, _, name = field.rpartition(".")
        names = (parent, name) if parent == "clause.penalite" else (field,)
        yield operation_case(f"decimal-{key}-{field}", field, raw, names=names)
    for key, raw, field in _sweep(NOT_DECIMALS, COMMITMENT_DECIMALS):
        yield commitment_case(f"decimal-{key}-commitment-{field}", field, raw)
    for key, raw in NOT_DECIMALS.items():
        yield participants_case(
            f"decimal-{key}-training-hours",
            "participants[0].formations[0].heures",
            raw,
            names=("participants[0] (P01).formations[0].heures",),
        )
    for key, raw in NOT_WHOLE.items():
        yield operation_case(f"whole-{key}-lot-number", "lots[0].numero", raw)
        yield operation_case(f"whole-{key}-duration", "consultation.duree_mois", raw)
        yield commitment_case(f"whole-{key}-commitment-lot", "lot", raw)
    for key, raw in BAD_SIRETS.items():
        yield operation_case(f"siret-{key}-buyer", "acheteur.siret", raw)
        yield commitment_case(f"siret-{key}-commitment", "entreprise.siret", raw)
        yield participants_case(
            f"siret-{key}-employer",
            "participants[0].employeur.siret",
            raw,
            names=("participants[0] (P01).employeur.siret",),
        )
    for key, raw in {
        "json-true-lot": "true",
        "json-hex-string": '"0x1F"',
        "json-fullwidth-string": '"１２３"',
    }.items():
        yield operation_case(key, "lots[0].numero", raw, json_text=True)
    yield operation_case("json-true-amount", "lots[0].montant_estime_ht", "true", json_text=True)
    for column, values in {
        "heures": {
            "hex": "0x1F",
            "fullwidth": "１２",
            "exponent": "1e3",
            "true": "true",
            "sexagesimal": "1:30",
        },
        "lot": {"true": "true", "fullwidth": "１", "fraction": "1.5", "hex": "0x1"},
        "mois": {"fullwidth": "２０２７-０１"},
        "siret": {"fullwidth": "８１２３４５６７６０００１７"},
    }.items():
        for key, value in values.items():
            yield ledger_case(f"ledger-{key}-{column}", column, value)
    yield ledger_case("ledger-xlsx-boolean-hours", "heures", True, xlsx=True)
    yield ledger_case("ledger-xlsx-boolean-lot", "lot", False, xlsx=True)
    yield ledger_case("ledger-xlsx-fullwidth-hours", "heures", "１２", xlsx=True)
