"""CPV 2008 division names: the sourced data, a known division, a number that is none, and
the evaluation report and workbook naming a lot's division (or saying it has none)."""

from __future__ import annotations

import shutil
from io import BytesIO

import pytest
from openpyxl import load_workbook

from clausegen.documents.evaluation import NOT_A_DIVISION, division_label
from clausegen.errors import InputError
from clausegen.law.cpv import bundled_cpv_divisions, division_name, load_cpv_divisions
from clausegen.law.dated import Reliability
from tests.docx_text import docx_text
from tests.helpers import ROOT, run

JAURES = ROOT / "samples" / "groupe-scolaire-jaures"


def test_a_known_division_has_its_official_name():
    assert division_name("45442100-8") == "Travaux de construction"
    assert division_name("45") == "Travaux de construction"
    assert division_name("77310000-6") == (
        "Services agricoles, sylvicoles, horticoles, d'aquaculture et d'apiculture"
    )


@pytest.mark.parametrize("code", ["99000000-1", "00", "46000000-0", "13"])
def test_a_number_that_is_no_division_has_no_name(code):
    assert division_name(code) is None


def test_the_data_holds_the_45_divisions_with_its_source():
    divisions = bundled_cpv_divisions()
    assert len(divisions.names) == 45
    assert (min(divisions.names), max(divisions.names)) == ("03", "98")
    assert divisions.reliability is Reliability.A_VERIFIER
    assert "213/2008" in divisions.reference
    assert divisions.source_url.startswith("https://")
    assert divisions.text_url.startswith("https://eur-lex.europa.eu/")


def test_the_report_label_is_the_name_in_french_typography():
    assert division_label("45") == "45 – Travaux de construction"
    assert division_label("77") == (
        "77 – Services agricoles, sylvicoles, horticoles, d’aquaculture et d’apiculture"
    )
    assert division_label("79").startswith("79 – Services aux entreprises\u00a0: droit,")
    assert "électriques\u202f; éclairage" in division_label("31")


def test_a_number_that_is_no_division_is_said_to_be_none():
    assert division_label("99") == (
        "99 – pas de division de ce numéro dans la nomenclature CPV 2008 (code à vérifier)"
    )
    assert NOT_A_DIVISION in division_label("00")


def test_a_broken_divisions_file_is_a_located_error(tmp_path):
    broken = tmp_path / "cpv_divisions.yaml"
    broken.write_text(
        "reference: R\nstatut: verifie\nsource: s\ntexte: t\n"
        'divisions:\n  "4": "Travaux"\n  "45": ""\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_cpv_divisions(broken)
    message = str(caught.value)
    assert str(broken) in message
    assert "divisions" in message


def test_the_evaluation_names_each_division_or_says_it_has_none(tmp_path):
    copy = tmp_path / "groupe-scolaire-jaures"
    shutil.copytree(JAURES, copy)
    operation = copy / "operation.yaml"
    text = operation.read_text(encoding="utf-8")
    assert "cpv: 45442100-8" in text  # the painting lot, moved to a number that is no division
    operation.write_text(text.replace("cpv: 45442100-8", "cpv: 99442100-8", 1), "utf-8")
    out = tmp_path / "out"
    result = run("evaluate", copy, "--from", "2027-01-01", "--to", "2028-06-30", "-o", out)
    assert result.exit_code == 0, result.output
    stem = out / "evaluation-2027-01-01-2028-06-30"
    report = docx_text(stem.with_suffix(".docx").read_bytes())
    assert "| 45\u00a0– Travaux de construction |" in report  # the number kept with its dash
    assert f"| 99\u00a0– {NOT_A_DIVISION} | 1 |" in report
    assert "Division 45" not in report
    book = load_workbook(BytesIO(stem.with_suffix(".xlsx").read_bytes()))
    rows = list(book["Lots par division CPV"].iter_rows(values_only=True))
    assert rows[0] == ("Division CPV", "Lots", "Heures requises", "Opérations")
    assert [row[:2] for row in rows[1:]] == [
        ("45 – Travaux de construction", 5),
        (f"99 – {NOT_A_DIVISION}", 1),
    ]
