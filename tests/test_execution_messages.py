"""The facilitator's page's French catalogue covers every kind of problem the execution
files' readers emit; the API carries each problem's kind and values beside the CLI's message."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from clausegen.errors import InputError, Month, Problem
from clausegen.execution.commitments import Commitment, load_commitment
from clausegen.execution.ledger import COLUMNS, REQUIRED_COLUMNS, column_problems
from clausegen.execution.participants import Participant, load_participants
from clausegen.execution.reporting import ReportingChecks, load_reporting
from clausegen.inputs.operation import MAX_TEXT_LENGTH, ComptesRendus, Execution, Periodicite
from clausegen.inputs.validation import _models_in
from clausegen.service.problems import clausegen_problem
from clausegen.service.web.execution_messages import FIELDS, WORDINGS, catalogue
from tests.helpers import SAMPLE

NBSP = "\u00a0"

READERS = (
    "inputs/tables.py",
    "inputs/files.py",
    "execution/ledger.py",
    "execution/reporting.py",
    "execution/participants.py",
    "execution/commitments.py",
)
"""The modules whose problems the facilitator's page shows for the files it uploads."""

CELL_KINDS = {
    "missing",
    "siret",
    "number_notation",
    "number_too_long",
    "number_too_precise",
    "greater_than",
    "decimal_max_places",
    "whole_number_notation",
    "enum",
    "string_too_long",
    "control_character",
}
"""Kinds the ledger's row model gives a bad cell (pydantic's and the value validators')."""

FIELD_KINDS = {
    "missing",
    "extra_forbidden",
    "date_from_datetime_parsing",
    "date_parsing",
    "date_type",
    "enum",
    "literal_error",
    "string_pattern_mismatch",
    "list_type",
    "model_type",
    "string_type",
    "too_short",
    "greater_than",
    "less_than_equal",
    "decimal_parsing",
    "decimal_max_places",
    "siret",
}
"""Kinds pydantic and the value validators give a bad field of the participants or a
commitment (besides the custom ones the readers raise, found in their source)."""

_KIND_ARGUMENT = {"Problem": 2, "_error": 2, "report": 2, "PydanticCustomError": 0}


def emitted_kinds(module: Path) -> set[str]:
    """The kinds written as literals where ``module`` makes a problem."""
    kinds = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        position = _KIND_ARGUMENT.get(name)
        if position is not None and len(node.args) > position:
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                kinds.add(argument.value)
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        # a kind chosen before the problem is made: ``kind = "statement_month"``
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and any(getattr(target, "id", "") == "kind" for target in node.targets)
        ):
            kinds.add(node.value.value)
    return kinds


def test_every_kind_the_readers_emit_has_a_french_wording():
    root = Path(__file__).parent.parent / "clausegen"
    emitted = set().union(*(emitted_kinds(root / module) for module in READERS))
    emitted |= CELL_KINDS | FIELD_KINDS
    assert {"month", "unknown_participant", "missing_columns", "not_utf8"} <= emitted
    assert {"statement_quarter", "duplicate_statement", "no_reception"} <= emitted
    assert {"rome", "no_criterion", "notified_before_launch", "modality_structure"} <= emitted
    assert sorted(emitted - set(WORDINGS)) == []


def test_the_catalogue_has_french_spacing():
    wordings = catalogue()["wordings"]
    assert wordings["month"].startswith("«\u00a0{value}\u00a0» n’est pas un mois\u00a0:")


def test_the_api_carries_the_kind_and_values_beside_the_cli_message():
    problems = column_problems(("participant", "lot"), REQUIRED_COLUMNS, COLUMNS)
    error = InputError(path="/tmp/w/heures.csv", problems=problems)
    problem = clausegen_problem(error, "/tmp/w")
    [entry] = problem.errors
    assert entry["detail"] == f"heures.csv: {problems[0]}"
    assert entry["detail"].startswith("heures.csv: row 1: missing column(s) entreprise, siret")
    assert entry["kind"] == "missing_columns"
    assert entry["values"]["row"] == 1
    assert entry["values"]["columns"] == "entreprise, siret, mois, modalite, heures"


def _entries(error: InputError, workspace: Path) -> list[dict]:
    return clausegen_problem(error, str(workspace)).errors


def test_a_reporting_problem_carries_its_kind_and_its_dates_in_french(tmp_path):
    checks = ReportingChecks(
        lots={4: True},
        companies={4: "82345678500026"},
        execution=Execution(debut=date(2027, 1, 4), fin=date(2028, 6, 30)),
        rules=ComptesRendus(periodicite=Periodicite.TRIMESTRIELLE, jour_limite=5),
    )
    path = tmp_path / "comptes-rendus.csv"
    path.write_text(
        "siret;lot;periode;date_reception\n"
        "82345678500026;4;2027-T2;2027-06-01\n"
        "82345678500026;4;2027-04;2027-07-04\n"
        "82345678500026;4;2026-T3;2026-10-01\n"
    )
    with pytest.raises(InputError) as raised:
        load_reporting(path, checks)
    early, month, outside = _entries(raised.value, tmp_path)
    assert early["detail"].startswith(
        "comptes-rendus.csv: row 2, column date_reception: 2027-06-01"
    )
    assert early["kind"] == "received_before_period_end"
    assert early["values"] == {
        "row": 2,
        "column": "date_reception",
        "value": f"1er{NBSP}juin{NBSP}2027",
        "period": "2027-T2",
        "end": f"30{NBSP}juin{NBSP}2027",
    }
    assert (month["kind"], month["values"]["value"]) == ("statement_quarter", "2027-04")
    assert outside["kind"] == "statement_outside_execution"
    assert outside["values"]["start"] == f"4{NBSP}janvier{NBSP}2027"


def test_several_rows_are_a_list_and_a_month_is_in_french(tmp_path):
    problem = Problem(
        "rows 4, 5, column heures",
        "participant P01 has 300 h in 2027-03, above…",
        "monthly_hours",
        {"row": [4, 5], "column": "heures", "month": Month(date(2027, 3, 1))},
    )
    [entry] = _entries(InputError(path=tmp_path / "heures.csv", problems=[problem]), tmp_path)
    assert entry["values"] == {"row": [4, 5], "column": "heures", "month": f"mars{NBSP}2027"}


def test_a_participant_field_keeps_its_kind_and_names_the_participant_by_id(tmp_path):
    path = tmp_path / "participants.yaml"
    text = (SAMPLE / "participants.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("code_rome: F1703}", "code_rome: Z1703}", 1), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_participants(path)
    [entry] = _entries(raised.value, tmp_path)
    assert entry["detail"] == (
        "participants.yaml: participants[0] (P01).poste.code_rome: 'Z1703' is not a ROME code: "
        "a letter from A to N and four digits, as in F1703."
    )
    assert entry["kind"] == "rome"
    assert entry["values"] == {"value": "Z1703", "participant": "P01", "field": "poste.code_rome"}
    assert "Benali" not in str(entry)


def test_a_commitment_field_names_the_company_and_the_lot(tmp_path):
    source = sorted((SAMPLE / "engagements").glob("*.yaml"))[0]
    path = tmp_path / "engagement-01.yaml"
    text = source.read_text(encoding="utf-8").replace("    heures: 720", "    heures: -5", 1)
    path.write_text(text.replace("inconnu", "") + "inconnu: 1\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_commitment(path)
    hours, unknown = _entries(raised.value, tmp_path)
    assert hours["kind"] == "greater_than"
    assert hours["values"] == {
        "gt": 0,
        "field": "modalites[0].heures",
        "value": -5,
        "company": "Bâti Sud Construction",
        "lot": 1,
    }
    assert unknown["kind"] == "extra_forbidden"
    assert (unknown["values"]["field"], unknown["values"]["key"]) == ("", "inconnu")


def test_every_field_label_names_a_field_of_the_participants_or_a_commitment():
    def paths(model: type, prefix: str = "") -> set[str]:
        found = set()
        for name, info in model.model_fields.items():
            path = prefix + name
            found.add(path)
            for inner in _models_in(info.annotation):
                listed = "list" in str(info.annotation)
                found |= paths(inner, path + ("[]." if listed else "."))
            if "list[" in str(info.annotation):
                found.add(path + "[]")
        return found

    known = paths(Participant) | paths(Commitment)
    assert sorted(set(FIELDS) - known) == []
    assert {"contrat.debut", "formations[].heures", "modalites[].heures"} <= set(FIELDS)


def test_a_participant_name_is_never_among_the_values(tmp_path):
    path = tmp_path / "participants.yaml"
    text = (SAMPLE / "participants.yaml").read_text(encoding="utf-8")
    long_name = "Benali" + "i" * MAX_TEXT_LENGTH
    path.write_text(text.replace("nom: Benali", f"nom: {long_name}", 1), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_participants(path)
    [entry] = _entries(raised.value, tmp_path)
    assert entry["kind"] == "string_too_long"
    assert entry["values"]["participant"] == "P01"
    assert entry["values"]["field"] == "nom"
    assert "Benali" not in str(entry["values"])
