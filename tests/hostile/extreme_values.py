"""Class 1: impossible or extreme values.

Dates the calendar does not have, numbers too large, too long or too precise, nesting too
deep, aliases that expand without end, texts too long, control characters: in the
operation, the participants, a commitment and the ledger (CSV and XLSX).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tests.hostile.bases import (
    OPERATION,
    commitment_case,
    file_case,
    ledger_case,
    ledger_rows,
    ledger_text,
    operation_case,
    participants_case,
)
from tests.hostile.runner import Case

IMPOSSIBLE_DATES = {
    "feb30": "2026-02-30",
    "feb29-not-leap": "2027-02-29",
    "apr31": "2026-04-31",
    "month13": "2026-13-01",
    "month0": "2026-00-10",
    "day32": "2026-01-32",
    "year0": "0000-01-01",
    "timestamp-feb30": "2026-02-30 10:00:00",
    "timestamp-hour25": "2026-01-18T25:61:00",
}

EXTREME_NUMBERS = {
    "exp400": "1.0e+400",
    "exp400-bare": "1e400",
    "digits400": "9" * 400,
    "digits5000": "7" * 5000,
    "fraction400": "0." + "3" * 400,
    "tiny-exp": "1e-400",
    "quadrillion": "1000000000000000",
    "inf": ".inf",
}

CONTROL_TEXTS = {
    "nul": '"Ville\\0de Carcassonne"',
    "bell": '"Ville\\x07de Carcassonne"',
    "escape": '"Ville\\x1b[31mde Carcassonne"',
    "del": '"Ville\\x7fde Carcassonne"',
    "c1-next-line": '"Ville\\x85de Carcassonne"',
    "carriage-return": '"Ville\\rde Carcassonne"',
    "nonchar-fffe": '"Ville\\uFFFEde Carcassonne"',
}

OPERATION_DATES = ("consultation.date_lancement", "execution.debut", "execution.fin")
OPERATION_NUMBERS = (
    "lots[0].montant_estime_ht",
    "clause.cout_horaire",
    "clause.taux_insertion",
    "clause.penalite.par_heure_manquante",
    "clause.seuils.heures_minimum",
)
OPERATION_TEXTS = (
    "acheteur.nom",
    "lots[0].intitule",
    "consultation.objet",
    "consultation.reference",
    "facilitateur.email",
)
PARTICIPANT_DATES = ("date_naissance", "date_validation", "contrat.debut")
PARTICIPANT_TEXTS = ("nom", "observations", "employeur.raison_sociale", "poste.intitule")
COMMITMENT_NUMBERS = ("montant_ht", "heures_engagees", "modalites[0].heures")
COMMITMENT_TEXTS = ("entreprise.raison_sociale", "referent.nom", "modalites[1].partenaire")


def cases() -> Iterator[Case]:
    yield from _dates()
    yield from _numbers()
    yield from _texts()
    yield from _shapes()
    yield from _ledger()


def _sweep(values: dict[str, str], fields: tuple[str, ...]) -> Iterator[tuple[str, str, str]]:
    """``(key, value, field)``: the first value in every field, each other value in the
    first field (every value is tried, every field is tried, the corpus stays small)."""
    for number, (key, value) in enumerate(values.items()):
        for field in fields if number == 0 else fields[:1]:
            yield key, value, field


def _participant(name: str, field: str, value: str) -> Case:
    return participants_case(
        name, f"participants[0].{field}", value, names=(f"participants[0] (P01).{field}",)
    )


def _dates() -> Iterator[Case]:
    for key, value, field in _sweep(IMPOSSIBLE_DATES, OPERATION_DATES):
        yield operation_case(f"date-{key}-{field}", field, value)
    for key, value, field in _sweep(IMPOSSIBLE_DATES, PARTICIPANT_DATES):
        yield _participant(f"date-{key}-participant-{field}", field, value)
    for key, value in IMPOSSIBLE_DATES.items():
        yield commitment_case(f"date-{key}-commitment", "date_signature", value)
    yield operation_case(
        "date-feb30-json", "consultation.date_lancement", '"2026-02-30"', json_text=True
    )


def _numbers() -> Iterator[Case]:
    for key, value, field in _sweep(EXTREME_NUMBERS, OPERATION_NUMBERS):
        yield operation_case(f"number-{key}-{field}", field, value, names=_names(field))
    for key, value, field in _sweep(EXTREME_NUMBERS, COMMITMENT_NUMBERS):
        yield commitment_case(f"number-{key}-commitment-{field}", field, value)
    for key, value in EXTREME_NUMBERS.items():
        yield _participant(
            f"number-{key}-participant-weekly-hours", "contrat.heures_hebdomadaires", value
        )
    for key, raw in {
        "json-int5000": "7" * 5000,
        "json-exp400": "1.0e+400",
        "json-digits400": "9" * 400,
        "json-nan": "NaN",
        "json-infinity": "-Infinity",
    }.items():
        yield operation_case(key, "lots[0].montant_estime_ht", raw, json_text=True)
    yield operation_case("whole-number-digits400", "lots[0].numero", "9" * 400)
    yield operation_case("whole-number-huge-duration", "consultation.duree_mois", "9" * 30)


def _names(field: str) -> tuple[str, ...]:
    """A penalty's amount is checked with its model (``clause.penalite: par_…``)."""
    parent, _, key = field.rpartition(".")
    return (parent, key) if parent == "clause.penalite" else (field,)


def _texts() -> Iterator[Case]:
    for key, raw, field in _sweep(CONTROL_TEXTS, OPERATION_TEXTS):
        yield operation_case(f"text-{key}-{field}", field, raw)
    for key, raw, field in _sweep(CONTROL_TEXTS, PARTICIPANT_TEXTS):
        yield _participant(f"text-{key}-participant-{field}", field, raw)
    for key, raw, field in _sweep(CONTROL_TEXTS, COMMITMENT_TEXTS):
        yield commitment_case(f"text-{key}-commitment-{field}", field, raw)
    yield operation_case("text-json-nul", "lots[0].intitule", '"Gros\\u0000œuvre"', json_text=True)
    yield operation_case(
        "text-json-lone-surrogate", "acheteur.nom", '"Ville\\ud800"', json_text=True
    )
    yield operation_case("text-key-nul", "lots[0]", '{"numero\\0": 1}', names=("lots[0]",))
    yield operation_case("text-too-long-title", "lots[0].intitule", "A" * 20_000)
    yield operation_case("text-too-long-reference", "consultation.reference", "R" * 5_000)
    yield _participant("text-too-long-observations", "observations", "x" * 50_000)


def _many_lots(path: Path) -> None:
    import yaml

    operation = yaml.safe_load(OPERATION.read_text(encoding="utf-8"))
    lot = operation["lots"][0]
    operation["lots"] = [dict(lot, numero=number) for number in range(1, 1_002)]
    path.write_text(yaml.safe_dump(operation, allow_unicode=True), encoding="utf-8")


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _shapes() -> Iterator[Case]:
    for depth in (40, 1_000, 100_000):
        yield operation_case(f"nested-flow-{depth}", "lots[0].intitule", _nested(depth), names=())
        yield operation_case(
            f"nested-json-{depth}", "lots[0].intitule", _nested(depth), json_text=True, names=()
        )
    yield participants_case(
        "nested-participant", "participants[0].competences", _nested(5_000), names=()
    )

    def block_nesting(path: Path) -> None:
        path.write_text("".join("  " * i + "k:\n" for i in range(3_000)), encoding="utf-8")

    yield file_case("nested-block", "operation", "operation.yaml", block_nesting)
    yield file_case("lots-1001", "operation", "operation.yaml", _many_lots, names=("lots:",))

    def laughs(path: Path) -> None:
        lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
        for level in range(1, 12):
            refs = ", ".join([f"*a{level - 1}"] * 9)
            lines.append(f"a{level}: &a{level} [{refs}]")
        text = OPERATION.read_text(encoding="utf-8")
        path.write_text(text + "\n".join(lines) + "\n", encoding="utf-8")

    yield file_case("billion-laughs", "operation", "operation.yaml", laughs, names=("a",))

    def self_alias(path: Path) -> None:
        text = OPERATION.read_text(encoding="utf-8")
        path.write_text(text + "boucle: &b [*b, *b]\n", encoding="utf-8")

    yield file_case("recursive-alias", "operation", "operation.yaml", self_alias, names=("boucle",))


def _ledger() -> Iterator[Case]:
    for column in ("heures", "montant_ht"):
        for key, value in {"exp400": "1.0e+400", "digits400": "9" * 400}.items():
            yield ledger_case(f"ledger-{key}-{column}", column, value)
    yield ledger_case("ledger-month-13", "mois", "2027-13")
    yield ledger_case("ledger-lot-digits400", "lot", "9" * 400)
    yield ledger_case("ledger-cell-40k", "entreprise", "B" * 40_000)
    yield ledger_case(
        "ledger-cell-over-csv-field-limit", "entreprise", "B" * 200_000, names=("line 2",)
    )
    yield ledger_case("ledger-cell-40k-xlsx", "entreprise", "B" * 40_000, xlsx=True)
    yield ledger_case("ledger-nul", "entreprise", "Bâti\x00Sud")
    # Excel writes a control character as _x001B_, which openpyxl reads back as U+001B
    yield ledger_case("ledger-escape-xlsx", "participant", "P01_x001B_", xlsx=True)
    yield ledger_case("ledger-float-exp-xlsx", "heures", 1e300, xlsx=True)

    def many_errors(path: Path) -> None:
        header, *rows = ledger_rows()
        bad = [list(rows[0]) for _ in range(100_000)]
        for row in bad:
            row[header.index("heures")] = "-1"
        path.write_text(ledger_text([list(header), *bad]), encoding="utf-8")

    yield file_case(
        "ledger-100k-bad-rows",
        "ledger",
        "heures.csv",
        many_errors,
        names=("row 2, column heures", "and 99980 more problems not shown"),
        timeout=30,
    )
