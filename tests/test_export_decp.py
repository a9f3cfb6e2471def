"""``clausegen export decp``: the DECP v2 schema, the eForms code lists, each mechanism's
values, the same values in the compliance statement and its manifest, exact CLI output."""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from clausegen.cli.produce import compliance_files
from clausegen.documents.decp_export import decp_export, lot_declarations
from tests.docx_text import docx_text
from tests.golden import assert_golden
from tests.helpers import OPERATION, SAMPLES, make_operation, run, size
from tests.test_compliance_statement import setting  # noqa: F401  (a fixture)
from tests.test_execution import follow

REFERENCE = Path(__file__).resolve().parents[2] / "shared/reference-data"
SCHEMA = REFERENCE / "decp/schema_decp_v2.0.3.json"
EXAMPLE = REFERENCE / "decp/format-commande-publique_marches_avec_modifications.json"
CODELISTS = REFERENCE / "eforms/eforms_social_codelists.csv"
pytestmark = pytest.mark.skipif(not SCHEMA.exists(), reason=f"{SCHEMA} is not on this machine")

REASON = "Le lot est exécuté par une entreprise unique agréée ; aucune heure n’y est possible."


def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def _codes() -> set[tuple[str, str]]:
    with CODELISTS.open(encoding="utf-8") as handle:
        return {(row["codelist"], row["code"]) for row in csv.DictReader(handle)}


def _exported(path: Path) -> dict[str, Any]:
    result = run("export", "decp", path)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return json.loads(result.stdout)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.parent.name)
def test_every_sample_validates_against_the_decp_schema_and_the_eforms_lists(sample):
    schema = _schema()
    validator = jsonschema.Draft7Validator(schema)
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))["marches"]["marche"][0]
    codes = _codes()
    exported = _exported(sample)
    operation = yaml.safe_load(sample.read_text(encoding="utf-8"))
    assert [lot["lot"] for lot in exported["lots"]] == [lot["numero"] for lot in operation["lots"]]
    for lot in exported["lots"]:
        # Each field against its own definition in the schema…
        for field, value in lot["decp"].items():
            jsonschema.validate(
                value,
                {
                    "$ref": f"#/definitions/marche/properties/{field}",
                    "definitions": schema["definitions"],
                },
                cls=jsonschema.Draft7Validator,
            )
        # …and a whole contract: the official example with this lot's fields.
        contract = {**copy.deepcopy(example), **lot["decp"]}
        document = {"marches": {"marche": [contract]}}
        errors = [e.message for e in validator.iter_errors(document)]
        assert errors == []
        for field, entries in lot["eforms"].items():
            for entry in entries:
                assert (entry["listName"], entry["code"]) in codes, (field, entry)


def test_a_value_outside_the_schema_would_be_refused():
    schema = _schema()
    broken = {"considerationSociale": ["Insertion"]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            broken,
            {
                "$ref": "#/definitions/marche/properties/considerationsSociales",
                "definitions": schema["definitions"],
            },
            cls=jsonschema.Draft7Validator,
        )


def _lot(parameters, **overrides) -> dict[str, Any]:
    operation = make_operation(**overrides)
    return decp_export(operation, size(operation, parameters))["lots"][0]


def _codes_of(lot: dict[str, Any]) -> dict[str, list[str]]:
    return {field: [e["code"] for e in entries] for field, entries in lot["eforms"].items()}


@pytest.mark.parametrize(
    ("overrides", "values", "eforms"),
    [
        (
            {},
            ["Clause sociale"],
            {"BT-06-Lot": ["soc-obj"], "BT-775-Lot": ["opp"], "BT-71-Lot": ["none"]},
        ),
        (
            {"clause": {"dispositif": "critere_attribution", "critere": {"ponderation": "0.10"}}},
            ["Clause sociale", "Critère social"],
            {"BT-06-Lot": ["soc-obj"], "BT-775-Lot": ["opp"], "BT-71-Lot": ["none"]},
        ),
        (
            {"clause": {"dispositif": "marche_reserve", "reservation": {"beneficiaires": "siae"}}},
            ["Clause sociale", "Marché réservé"],
            {"BT-06-Lot": ["soc-obj"], "BT-775-Lot": ["opp"], "BT-71-Lot": ["res-ws"]},
        ),
        (
            {"exclusion": {"justification": REASON}},
            ["Pas de considération sociale"],
            {"BT-06-Lot": ["none"], "BT-775-Lot": [], "BT-71-Lot": ["none"]},
        ),
        (
            {
                "clause": {
                    "dispositif": "marche_reserve",
                    "reservation": {"beneficiaires": "ea_esat"},
                },
                "exclusion": {"justification": REASON},
            },
            ["Marché réservé"],
            {"BT-06-Lot": ["soc-obj"], "BT-775-Lot": ["opp"], "BT-71-Lot": ["res-ws"]},
        ),
    ],
    ids=["condition_execution", "critere_attribution", "marche_reserve", "none", "reserved_only"],
)
def test_each_mechanism_maps_to_its_values(parameters, overrides, values, eforms):
    lot = _lot(parameters, **overrides)
    assert lot["decp"]["considerationsSociales"] == {"considerationSociale": values}
    assert _codes_of(lot) == eforms


def test_a_lot_sized_at_zero_hours_declares_no_social_consideration(parameters):
    lot = _lot(parameters, clause={"seuils": {"montant_minimum_ht": "2000000"}})
    assert lot["decp"]["considerationsSociales"] == {
        "considerationSociale": ["Pas de considération sociale"]
    }


def test_the_statement_and_its_manifest_cite_the_exported_values(setting):  # noqa: F811
    _, reconciliation = follow(setting)
    operation, parameters, calibration, registry = setting
    exported = {d.lot: d for d in lot_declarations(operation, calibration)}
    produced = compliance_files(operation, reconciliation, [], registry, parameters)
    manifests = [f for f in produced.files if f.name.endswith(".manifest.json")]
    assert manifests
    for manifest_file in manifests:
        manifest = json.loads(manifest_file.content)
        cited = manifest["considerations_sociales"]
        assert cited, manifest_file.name
        for entry in cited:
            assert entry == exported[entry["lot"]].as_data()
        docx = next(
            f
            for f in produced.files
            if f.name == manifest_file.name.replace(".manifest.json", ".docx")
        )
        values = {v for e in cited for v in e["considerationsSociales"]["considerationSociale"]}
        assert ", ".join(sorted(values)) in docx_text(docx.content)


def test_the_works_sample_export_is_exactly_the_golden_file():
    result = run("export", "decp", OPERATION)
    assert (result.exit_code, result.stderr) == (0, "")
    assert_golden(result.stdout, "export/groupe-scolaire-jaures.decp.json")


def test_the_export_is_written_to_a_file(tmp_path):
    out = tmp_path / "sortie" / "decp.json"
    result = run("export", "decp", OPERATION, "-o", out)
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"Wrote {out}.\n", "")
    assert out.read_text(encoding="utf-8") == run("export", "decp", OPERATION).stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "Error: {path}: file not found; check the path.\n"),
        (
            OPERATION.read_text(encoding="utf-8").replace("cpv: 45210000-2", "cpv: 4521"),
            "Error: {path}: lots[0].cpv: '4521' is not a CPV code: write its 8 digits, a hyphen "
            "and its check digit, as in 45442100-8.\n",
        ),
    ],
    ids=["missing", "invalid"],
)
def test_a_broken_operation_is_a_clear_error(tmp_path, content, expected):
    path = tmp_path / "operation.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    out = tmp_path / "decp.json"
    result = run("export", "decp", path, "-o", out)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == expected.format(path=path)
    assert not out.exists()


def test_the_readme_example_is_the_real_output():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- export-decp-example -->\n```console\n")[1].split("```\n")[0]
    command, _, shown = block.partition("\n")
    assert run(*command.removeprefix("$ clausegen ").split()).stdout == shown
