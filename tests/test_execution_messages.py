"""The facilitator's page's French catalogue covers every kind of problem the execution
files' readers emit; the API carries each problem's kind and values beside the CLI's message."""

from __future__ import annotations

import ast
from pathlib import Path

from clausegen.errors import InputError
from clausegen.execution.ledger import COLUMNS, REQUIRED_COLUMNS, column_problems
from clausegen.service.problems import clausegen_problem
from clausegen.service.web.execution_messages import WORDINGS, catalogue

READERS = ("inputs/tables.py", "inputs/files.py", "execution/ledger.py")
"""The modules whose problems the facilitator's page shows for an uploaded table."""

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
    return kinds


def test_every_kind_the_readers_emit_has_a_french_wording():
    root = Path(__file__).parent.parent / "clausegen"
    emitted = set().union(*(emitted_kinds(root / module) for module in READERS)) | CELL_KINDS
    assert {"month", "unknown_participant", "missing_columns", "not_utf8"} <= emitted
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
