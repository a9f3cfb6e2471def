"""The tender-file documents: golden text, the law by date, escaping, determinism, manifest."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from clausegen.calibration.calibrate import calibrate
from clausegen.cli.produce import tender_files as produce_tender_files
from clausegen.documents.fragments import load_fragments
from clausegen.inputs.loading import load_operation
from clausegen.inputs.operation import Operation
from clausegen.law.fragments import FragmentRegistry
from clausegen.law.parameters import ParameterSet
from tests.docx_text import docx_text, read_custom_properties
from tests.golden import assert_golden
from tests.helpers import OPERATION, SAMPLES, make_operation


@pytest.fixture(scope="module")
def registry() -> FragmentRegistry:
    return load_fragments()


def tender_files(
    operation: Operation,
    parameters: ParameterSet,
    registry: FragmentRegistry,
    source: Path = OPERATION,
) -> dict[str, bytes]:
    at = operation.consultation.date_lancement
    calibration = calibrate(operation, parameters, at)
    files = produce_tender_files(source, operation, calibration, registry, parameters).files  # type: ignore[arg-type]
    return {f.name: f.content for f in files}


def texts(files: dict[str, bytes]) -> tuple[str, str]:
    return (
        docx_text(files["ccap-clause-insertion.docx"]),
        docx_text(files["rc-clause-insertion.docx"]),
    )


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.parent.name)
def test_golden_text_of_each_sample(sample, parameters, registry):
    operation = load_operation(sample)
    ccap, rc = texts(tender_files(operation, parameters, registry, sample))
    assert_golden(ccap, f"tender/{sample.parent.name}/ccap.txt")
    assert_golden(rc, f"tender/{sample.parent.name}/rc.txt")


DISPOSITIFS = {
    "condition_execution": {"dispositif": "condition_execution"},
    "critere_attribution": {
        "dispositif": "critere_attribution",
        "critere": {"ponderation": "0.15"},
    },
    "marche_reserve": {"dispositif": "marche_reserve", "reservation": {"beneficiaires": "ea_esat"}},
}


@pytest.mark.parametrize("dispositif", sorted(DISPOSITIFS))
def test_golden_text_of_each_dispositif(dispositif, parameters, registry):
    """The same small operation under each legal instrument (the samples cover the rest)."""
    operation = make_operation(
        clause={**DISPOSITIFS[dispositif], "article_ccap": 7, "article_rc": 4}
    )
    ccap, rc = texts(tender_files(operation, parameters, registry))
    assert_golden(ccap, f"tender/dispositifs/{dispositif}.ccap.txt")
    assert_golden(rc, f"tender/dispositifs/{dispositif}.rc.txt")


def _ccap_launched_on(day: str, parameters, registry) -> tuple[str, dict]:
    data = load_operation(OPERATION).model_dump()
    data["consultation"]["date_lancement"] = date.fromisoformat(day)
    files = tender_files(Operation.model_validate(data), parameters, registry)
    manifest = json.loads(files["ccap-clause-insertion.manifest.json"])
    return docx_text(files["ccap-clause-insertion.docx"]), manifest


def _basis(manifest: dict) -> str:
    return next(f["citation"] for f in manifest["fragments"] if f["id"].startswith("ccap.fond"))


def test_before_the_code_the_basis_is_the_2015_ordinance(parameters, registry):
    text, manifest = _ccap_launched_on("2019-03-15", parameters, registry)
    assert "article\u00a038 de l’ordonnance n°\u00a02015-899 du 23\u00a0juillet\u00a02015" in text
    assert "L2112-2" not in text
    assert "CCAG\u2011Travaux auquel se réfère le marché ne comportant pas" in text
    assert "Pôle emploi" in text
    assert _basis(manifest) == "ccap.fondement.condition_execution@2016-04-01"


def test_in_2021_the_code_and_the_2021_ccag(parameters, registry):
    text, manifest = _ccap_launched_on("2021-06-01", parameters, registry)
    assert "En application de l’article\u00a0L2112-2 du code de la commande publique" in text
    assert "ordonnance n°\u00a02015-899" not in text
    assert "CCAG\u2011Travaux approuvé par arrêté du 30\u00a0mars\u00a02021" in text
    assert "L2112-2-1" not in text
    assert _basis(manifest) == "ccap.fondement.condition_execution@2019-04-01"


def test_in_september_2026_the_obligation_above_eu_thresholds(parameters, registry):
    text, manifest = _ccap_launched_on("2026-09-15", parameters, registry)
    assert "obligatoire en vertu de l’article\u00a0L2112-2-1 du même code" in text
    assert "seuil européen de 5\u202f404\u202f000,00\u00a0€\u00a0HT" in text
    assert "France Travail" in text
    assert _basis(manifest) == "ccap.fondement.condition_execution@2026-08-21"


def test_the_day_before_l2112_2_1_applies(parameters, registry):
    text, manifest = _ccap_launched_on("2026-08-20", parameters, registry)
    assert "L2112-2-1" not in text
    assert _basis(manifest) == "ccap.fondement.condition_execution@2019-04-01"


def test_the_day_l2112_2_1_applies(parameters, registry):
    text, manifest = _ccap_launched_on("2026-08-21", parameters, registry)
    assert "L2112-2-1" in text
    assert _basis(manifest) == "ccap.fondement.condition_execution@2026-08-21"


def test_below_the_eu_threshold_l2112_2_1_is_not_mentioned(parameters, registry):
    operation = make_operation()  # one lot of 1 000 000 €, works threshold 5 404 000 €
    ccap, _ = texts(tender_files(operation, parameters, registry))
    assert "L2112-2-1" not in ccap


SPECIAL_BUYER = 'Lyon & Métropole <Habitat> "Sud"'
SPECIAL_LOT = "Peinture d'intérieur & façades"
SHOWN_LOT = "Peinture d’intérieur & façades"  # its apostrophe made typographic on input


def test_special_characters_come_out_intact(parameters, registry):
    operation = make_operation(acheteur={"nom": SPECIAL_BUYER}, intitule=SPECIAL_LOT)
    files = tender_files(operation, parameters, registry)
    for name in ("ccap-clause-insertion.docx", "rc-clause-insertion.docx"):
        text = docx_text(files[name])
        header, body = text.split("=== body")
        assert f"[Header] {SPECIAL_BUYER} – consultation T\u2011001" in header
        assert f"| 1 | {SHOWN_LOT} | 1\u202f000\u202f000,00\u00a0€ |" in body
    ccap = docx_text(files["ccap-clause-insertion.docx"])
    assert f"l’acheteur, {SPECIAL_BUYER}, fait de la promotion" in ccap
    assert f"lot\u00a01 – {SHOWN_LOT} (code CPV" in ccap


def test_two_runs_give_identical_bytes(parameters, registry):
    operation = load_operation(OPERATION)
    first = tender_files(operation, parameters, registry)
    second = tender_files(load_operation(OPERATION), parameters, load_fragments())
    assert first == second


def test_the_manifest_lists_exactly_the_fragments_used(parameters, registry):
    operation = load_operation(OPERATION)
    files = tender_files(operation, parameters, registry)
    at = operation.consultation.date_lancement
    for stem, kind in (("ccap-clause-insertion", "ccap"), ("rc-clause-insertion", "rc")):
        manifest = json.loads(files[f"{stem}.manifest.json"])
        plan = registry.plans[kind]
        expected = [
            registry.resolve(fragment_id, at)
            for section in plan.sections
            for fragment_id in section.fragment_ids(
                operation.clause.dispositif, operation.consultation.ccag
            )
        ]
        assert [f["citation"] for f in manifest["fragments"]] == [e.citation for e in expected]
        assert [f["sha256"] for f in manifest["fragments"]] == [e.version.sha256 for e in expected]
        properties = read_custom_properties(files[f"{stem}.docx"])
        in_docx = sorted(v for k, v in properties.items() if k.startswith("clausegen.fragment."))
        assert in_docx == sorted(f"{e.citation} sha256:{e.version.sha256}" for e in expected)
        assert manifest["entrees"] == [
            {
                "fichier": "operation.yaml",
                "sha256": properties["clausegen.entree.01"].split("sha256:")[1],
            }
        ]
        assert manifest["date_reference"] == "2026-09-15"


def test_the_manifest_cites_every_parameter_behind_the_hours(parameters, registry):
    files = tender_files(load_operation(OPERATION), parameters, registry)
    manifest = json.loads(files["ccap-clause-insertion.manifest.json"])
    cited = {p["id"]: (p["valeur"], p["depuis"]) for p in manifest["parametres"]}
    assert cited["part_main_oeuvre.gros_oeuvre"] == ("0.40", "2016-04-01")
    assert cited["obligation_sociale.l2112_2_1_applicable"] == ("true", "2026-08-21")
    assert cited["seuils_ue.collectivite.travaux"] == ("5404000", "2026-01-01")


def test_a_smic_multiple_penalty_cites_the_smic(parameters, registry):
    operation = make_operation(
        clause={"penalite": {"multiple_smic_par_heure": "1.5", "par_jour_retard": "100"}}
    )
    files = tender_files(operation, parameters, registry)
    ccap = docx_text(files["ccap-clause-insertion.docx"])
    assert "1,5 fois le SMIC horaire brut en vigueur à la date du constat" in ccap
    # 1,5 × 12,02 = 18,03 € HT, the amount a missing hour costs at the launch date
    assert (
        "(12,02\u00a0€ au 15\u00a0septembre\u00a02026, soit 18,03\u00a0€\u00a0HT à cette date)"
        in ccap
    )
    manifest = json.loads(files["ccap-clause-insertion.manifest.json"])
    assert {"smic.horaire_brut"} <= {p["id"] for p in manifest["parametres"]}


def test_core_properties_come_from_the_input(parameters, registry):
    files = tender_files(load_operation(OPERATION), parameters, registry)
    core = Document(io.BytesIO(files["ccap-clause-insertion.docx"])).core_properties
    assert core.author == "Ville de Carcassonne"
    assert core.created.date() == date(2026, 9, 15) == core.modified.date()
    assert core.subject == "2026-TRX-042 – Réhabilitation du groupe scolaire Jean Jaurès"


def _hours_rows(text: str) -> list[str]:
    """The hours table's lines: its header, each lot's row and the total."""
    body = text.split("=== body")[1]
    return [line for line in body.splitlines() if line.startswith(("| Lot |", "| 1 |", "| 2 |"))]


def test_the_table_states_each_lot_s_insertion_rate(parameters, registry):
    """Jaurès's lot 4 is sized at 10 %, the others at 7 %: a bidder reads each rate, so
    480 000 € × 70 % × 10 % ÷ 30 € = 1 120 h can be recomputed from the table alone."""
    operation = load_operation(OPERATION)
    for text in texts(tender_files(operation, parameters, registry)):
        assert "| Taux d’insertion |" in _hours_rows(text)[0]
        row = next(line for line in text.splitlines() if line.startswith("| 4 |"))
        assert "| 480\u202f000,00\u00a0€ | 10\u00a0% | 1\u202f120 |" in row
        assert "| 70\u00a0% | 30,00\u00a0€ |" in row
        assert "| 1 | Gros œuvre – démolition | 2\u202f150\u202f000,00\u00a0€ | 7\u00a0% |" in text
        assert "«\u00a0–\u00a0»" not in text  # every lot here has a rate


def test_a_lot_sized_without_a_rate_shows_a_dash_and_says_why(parameters, registry):
    operation = make_operation(
        clause={"calibrage": {"methode": "heures_par_montant", "euros_par_heure": "2000"}}
    )
    for text in texts(tender_files(operation, parameters, registry)):
        assert "| 1\u202f000\u202f000,00\u00a0€ | – | 500 |" in _hours_rows(text)[1]
        assert "«\u00a0–\u00a0»\u00a0: sans objet, la méthode du lot n’utilise pas de taux." in text
