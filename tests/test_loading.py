"""Loading: JSON and YAML give the same operation; decimals stay exact."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from clausegen.inputs.loading import load_operation
from clausegen.inputs.readers import read_mapping
from tests.helpers import SAMPLES


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
