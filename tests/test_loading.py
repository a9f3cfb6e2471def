"""Loading: JSON and YAML give the same operation; decimals stay exact; the core stays pure."""

from __future__ import annotations

import ast
import json
from decimal import Decimal
from pathlib import Path

from clausegen.loading import load_operation
from clausegen.readers import read_mapping
from tests.helpers import SAMPLES

RENDERING = Path("clausegen/render")
CORE = sorted(
    p for p in Path("clausegen").rglob("*.py") if p.name != "cli.py" and RENDERING not in p.parents
)
FORBIDDEN_IN_CORE = {"click", "docxtpl", "docx", "pypdf", "clausegen.render"}


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def test_json_and_yaml_give_the_same_operation(tmp_path):
    for sample in SAMPLES:
        as_json = tmp_path / f"{sample.parent.name}.json"
        as_json.write_text(json.dumps(_plain(read_mapping(sample))), encoding="utf-8")
        assert load_operation(as_json) == load_operation(sample)


def test_yaml_numbers_are_read_as_exact_decimals():
    data = read_mapping(Path("samples/groupe-scolaire-jaures/operation.yaml"))
    assert data["clause"]["taux_insertion"] == Decimal("0.07")
    assert str(data["clause"]["cout_horaire"]) == "30.00"


def test_the_core_never_imports_the_cli_or_rendering_libraries():
    assert len(CORE) > 10
    for path in CORE:
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        modules = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        }
        imported = {m.split(".")[0] for m in modules} | {
            ".".join(m.split(".")[:2]) for m in modules
        }
        assert not imported & FORBIDDEN_IN_CORE, path
        assert "date.today" not in source and "datetime.now" not in source, path
