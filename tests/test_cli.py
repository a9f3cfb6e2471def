"""The calibrate command: exact output of every format for every sample, and usage errors."""

from __future__ import annotations

import json
from importlib.metadata import version

import pytest

from tests.golden import assert_golden
from tests.helpers import SAMPLES, run

FORMATS = {
    "table": ("calibrate", "table.txt"),
    "explain": ("calibrate --explain", "explain.txt"),
    "json": ("calibrate --format json", "json"),
    "csv": ("calibrate --format csv", "csv"),
}


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.parent.name)
@pytest.mark.parametrize("output", sorted(FORMATS))
def test_sample_output_is_exactly_the_golden_file(sample, output):
    command, suffix = FORMATS[output]
    relative = sample.relative_to(sample.parents[2])
    result = run(*command.split(), str(relative))
    assert (result.exit_code, result.stderr) == (0, "")
    assert_golden(result.stdout, f"calibrate/{sample.parent.name}.{suffix}")


def test_json_is_valid_and_carries_the_trace_of_every_figure():
    result = run("calibrate", "--format", "json", "samples/groupe-scolaire-jaures/operation.yaml")
    document = json.loads(result.stdout)
    assert document["format"] == "clausegen.calibrage/1"
    assert document["totaux"]["heures"] == "5850"
    assert sum(int(lot["heures"]) for lot in document["lots"]) == 5850
    first = document["lots"][0]
    assert first["traces"]["heures"]["etapes"][-1]["resultat"] == first["heures"]
    cited = {p["id"] for p in document["parametres"]}
    for lot in document["lots"]:
        for trace in lot["traces"].values():
            assert set(trace["parametres"]) <= cited


def test_explain_goes_with_the_table_only():
    result = run("calibrate", "--format", "json", "--explain", "x.yaml")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: --explain goes with --format table; the JSON output already holds the full trace.\n"
    )


def test_unknown_format_is_a_usage_error():
    result = run("calibrate", "--format", "xml", "samples/groupe-scolaire-jaures/operation.yaml")
    assert result.exit_code == 2
    assert "Invalid value for '--format': 'xml' is not one of 'table', 'json', 'csv'." in (
        result.stderr
    )


def test_version():
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"clausegen, version {version('clausegen')}\n")
