"""The evaluation across operations: sums of the compliance statements, people once, the
report's golden text, the workbook read back, operations that disagree."""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from clausegen.cli.options import sized
from clausegen.cli.produce import compliance_run
from clausegen.documents.formatting import number, unbreakable
from clausegen.law.parameters import load_parameters
from clausegen.law.trades import trade_label
from clausegen.render.templates import BUNDLED
from tests.docx_text import docx_text
from tests.golden import assert_golden
from tests.helpers import ROOT, run

FOLDERS = [
    ROOT / "samples" / name
    for name in ("groupe-scolaire-jaures", "voirie-avenue-leclerc", "entretien-parcs-limoux")
]
START, END = "2027-01-01", "2028-06-30"
STEM = f"evaluation-{START}-{END}"
SHARED = "P03"


def _relative(folders: list[Path]) -> list[str]:
    return [str(folder.relative_to(ROOT)) for folder in folders]


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    out = tmp_path_factory.mktemp("evaluation")
    result = run("evaluate", *_relative(FOLDERS), "--from", START, "--to", END, "-o", out)
    assert result.exit_code == 0, result.output
    return out, result


@pytest.fixture(scope="module")
def statements():
    """Each sample's compliance run as ``scripts/samples.sh`` makes it: closed at the
    ledger's last month (all before the evaluation's end)."""
    runs = []
    for folder in FOLDERS:
        ledger = folder / "heures.xlsx"
        reporting = folder / "comptes-rendus.csv"
        runs.append(
            compliance_run(
                folder / "operation.yaml",
                commitments=folder / "engagements",
                ledger=ledger if ledger.exists() else folder / "heures.csv",
                participants_file=folder / "participants.yaml",
                reporting=reporting if reporting.exists() else None,
                period_end=None,
                templates=BUNDLED,
                before_start=lambda closing, start: AssertionError(closing, start),
            )
        )
    return runs


def _sheet(out: Path, name: str) -> list[tuple[object, ...]]:
    book = load_workbook(BytesIO((out / f"{STEM}.xlsx").read_bytes()))
    return list(book[name].iter_rows(values_only=True))


def test_the_totals_are_the_sums_of_the_three_compliance_statements(evaluated, statements):
    out, _ = evaluated
    lots = [lot for r in statements for lot in r.reconciliation.lots]
    expected = {
        "Heures requises": sum((lot.requis for lot in lots), Decimal(0)),
        "Heures engagées": sum((lot.engage for lot in lots), Decimal(0)),
        "Heures réalisées": sum((lot.realise for lot in lots), Decimal(0)),
        "Pénalités HT": sum(
            (lot.penalite.montant for lot in lots if lot.penalite is not None), Decimal(0)
        ),
    }
    totals = {row[0]: row[1] for row in _sheet(out, "Totaux")[1:]}
    for name, value in expected.items():
        assert Decimal(str(totals[name])) == value, name
    assert expected["Heures réalisées"] == Decimal("4626.00")
    assert len(statements[0].statements.files) > 0  # the statements were made, not skipped
    rows = _sheet(out, "Opérations")[1:]
    for row, r in zip(rows, statements, strict=True):
        assert row[6] == len(r.reconciliation.lots)
        assert Decimal(str(row[9])) == sum((lot.realise for lot in r.reconciliation.lots), 0)


def test_the_committed_hours_by_modality_add_up_to_the_committed_total(statements):
    """Every commitment's modalities add up to its committed hours (the others are refused),
    so the report's table by modality shows the same total as its headline."""
    lots = [lot for r in statements for lot in r.reconciliation.lots]
    by_modality = sum((line.engage for lot in lots for line in lot.modalites), Decimal(0))
    assert by_modality == sum((lot.engage for lot in lots), Decimal(0)) == Decimal(4880)


def test_the_shared_participant_is_counted_once(evaluated, statements):
    out, result = evaluated
    per_operation = [
        {i for lot in r.reconciliation.lots for i in lot.effectifs.ids} for r in statements
    ]
    assert all(SHARED in ids for ids in per_operation)
    union = set().union(*per_operation)
    assert len(union) == sum(len(ids) for ids in per_operation) - 2
    assert f"{len(union)} people counted once" in result.stdout
    sexes = {row[0]: row[1] for row in _sheet(out, "Personnes par sexe")[1:]}
    assert sum(v for v in sexes.values() if isinstance(v, int)) == len(union)


def test_golden_text_of_the_report(evaluated):
    out, result = evaluated
    assert_golden(docx_text((out / f"{STEM}.docx").read_bytes()), "evaluation/evaluation.txt")
    assert_golden(result.stdout.replace(str(out), "OUT"), "evaluation/evaluation.stdout.txt")
    assert result.stderr == ""


def test_the_workbook_holds_numbers_and_its_sources(evaluated):
    out, _ = evaluated
    book = load_workbook(BytesIO((out / f"{STEM}.xlsx").read_bytes()))
    assert book.sheetnames == [
        "Opérations",
        "Acheteurs",
        "Lots par dispositif",
        "Lots par division CPV",
        "Lots par métier",
        "Heures par modalité",
        "Heures par structure",
        "Personnes par critère",
        "Personnes par sexe",
        "Personnes par âge",
        "Situation des personnes",
        "Entreprises",
        "Structures",
        "Écarts et pénalités",
        "Totaux",
        "Sources",
    ]
    operations = _sheet(out, "Opérations")
    assert [row[0] for row in operations[1:]] == ["2026-TRX-042", "2027-VRD-015", "2027-SRV-004"]
    for row in operations[1:]:
        assert all(isinstance(value, int | float) for value in row[5:10]), row
    companies = {row[0]: row for row in _sheet(out, "Entreprises")[1:]}
    assert companies["Bâti Sud Construction"][2] == 3
    assert companies["Bâti Sud Construction"][4] == "2026-TRX-042, 2027-VRD-015"
    criteria = [row[1] for row in _sheet(out, "Personnes par critère")[1:]]
    assert all((isinstance(v, int) and v >= 5) or v == "<\u00a05" for v in criteria)
    sources = _sheet(out, "Sources")[1:]
    assert {row[1] for row in sources} == {"2026-TRX-042", "2027-VRD-015", "2027-SRV-004"}
    assert "samples/voirie-avenue-leclerc/heures.csv" in {row[2] for row in sources}


def test_the_same_bytes_twice(evaluated, tmp_path):
    out, _ = evaluated
    result = run("evaluate", *_relative(FOLDERS), "--from", START, "--to", END, "-o", tmp_path)
    assert result.exit_code == 0
    for suffix in (".docx", ".xlsx", ".manifest.json"):
        assert (tmp_path / f"{STEM}{suffix}").read_bytes() == (out / f"{STEM}{suffix}").read_bytes()


def _copy(folder: Path, tmp_path: Path) -> Path:
    copy = tmp_path / folder.name
    shutil.copytree(folder, copy)
    return copy


def test_a_participant_with_two_birth_dates_is_an_error(tmp_path):
    copy = _copy(FOLDERS[1], tmp_path)
    people = copy / "participants.yaml"
    people.write_text(people.read_text().replace("1968-05-21", "1968-05-12", 1))
    result = run(
        "evaluate",
        _relative(FOLDERS[:1])[0],
        copy,
        "--from",
        START,
        "--to",
        END,
        "-o",
        tmp_path / "out",
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: participant P03 has the birth date 1968-05-21 in "
        f"samples/groupe-scolaire-jaures and 1968-05-12 in {copy}: one id must be one person "
        "across operations; correct the participants file that is wrong, or give the two "
        "people different ids.\n"
    )
    assert not (tmp_path / "out").exists()


def test_the_same_lot_in_two_folders_is_an_error(tmp_path):
    copy = _copy(FOLDERS[2], tmp_path)
    result = run(
        "evaluate",
        _relative(FOLDERS[2:])[0],
        copy,
        "--from",
        START,
        "--to",
        END,
        "-o",
        tmp_path / "out",
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: lot {n} of consultation 2027-SRV-004 is in samples/entretien-parcs-limoux "
        f"and in {copy}: its hours would be counted twice; evaluate one of the two folders, "
        "or correct the consultation reference of the other."
        for n in (1, 2)
    ]


def test_an_operation_outside_the_period_is_left_out_and_named(tmp_path):
    result = run(
        "evaluate", *_relative(FOLDERS), "--from", "2028-04-01", "--to", END, "-o", tmp_path
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Warning: [periode] samples/entretien-parcs-limoux: the execution of 2027-SRV-004 "
        "(2027-04-01 to 2028-03-31) does not meet the period 2028-04-01 to 2028-06-30; it "
        "is left out of the figures.\n"
    )
    text = docx_text((tmp_path / f"evaluation-2028-04-01-{END}.docx").read_bytes())
    left_out = unbreakable("2027-SRV-004")  # a reference never breaks across lines
    assert f"{left_out} – Entretien des parcs, jardins et espaces verts de la ville" in text
    assert f"[List Bullet] {left_out}" in text
    assert "2 operation(s)" in result.stdout


def test_a_folder_without_its_files_is_an_error(tmp_path):
    (tmp_path / "vide").mkdir()
    result = run(
        "evaluate", tmp_path / "vide", "--from", START, "--to", END, "-o", tmp_path / "out"
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path / 'vide'}: an operation folder needs operation.yaml, engagements/, "
        "heures.xlsx or heures.csv, participants.yaml; give the folder of one operation laid "
        "out like the samples.\n"
    )


def test_the_end_before_the_start_is_a_usage_error(tmp_path):
    result = run("evaluate", *_relative(FOLDERS[:1]), "--from", END, "--to", START, "-o", tmp_path)
    assert result.exit_code == 2
    assert "2027-01-01 is before --from 2028-06-30." in result.stderr


def test_the_chart_s_alternative_text_states_each_operation_s_figures(evaluated):
    out, _ = evaluated
    with zipfile.ZipFile(out / f"{STEM}.docx") as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    expected = (
        "Heures d’insertion par opération (graphique en barres)\u00a0: "
        "2026-TRX-042, 3\u202f426\u00a0h requises, 3\u202f490\u00a0h engagées et "
        "3\u202f235\u00a0h réalisées\u202f; 2027-VRD-015, 625\u00a0h requises, 930\u00a0h "
        "engagées et 966\u00a0h réalisées\u202f; 2027-SRV-004, 368\u00a0h requises, "
        "460\u00a0h engagées et 425\u00a0h réalisées."
    )
    assert f'descr="{expected}"' in body


def test_trades_are_named_as_their_labour_share_parameter_words_them(evaluated):
    out, _ = evaluated
    trades = {row[0] for row in _sheet(out, "Lots par métier")[1:]}
    assert {"Gros œuvre", "Maçonnerie", "Espaces verts"} <= trades
    assert not any("_" in trade for trade in trades)
    parameters = load_parameters()
    assert trade_label(parameters, "plomberie_cvc") == (
        "Plomberie, chauffage, ventilation, climatisation"
    )
    assert trade_label(parameters, "inconnu") == "inconnu"  # a lot with its own labour share


def _report(out: Path) -> str:
    """The report's text, its no-break spaces and hyphens made plain."""
    text = docx_text((out / f"{STEM}.docx").read_bytes())
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2011", "-")


def test_what_is_not_given_or_not_found_agrees_with_what_it_is_about(evaluated):
    """« Non renseignée » is the situation six months on; a lot in progress has no
    penalty because the end of its execution is not established (« fin d’exécution non
    constatée »), not a bare « non constatée » agreeing with nothing."""
    out, _ = evaluated
    text = _report(out)
    assert (
        "[Heading 3] Situation six mois après le parcours\n[Body Text] Non renseignée : les "
        "fichiers des participants"
    ) in text
    assert "| – (pénalité non constatée) |" in text
    assert "(non constatée)" not in text


def test_each_operation_is_closed_as_its_compliance_statement_is(evaluated, statements):
    """At the ledger's last month at most: Limoux's ledger stops in December 2027, three
    months before its execution ends; Jaurès's reaches the period's end."""
    out, _ = evaluated
    closing = {row[0]: row[4].date() for row in _sheet(out, "Opérations")[1:]}
    assert closing == {r.operation.consultation.reference: r.closing for r in statements}
    assert closing["2027-SRV-004"] == date(2027, 12, 31)
    assert closing["2026-TRX-042"] == date(2028, 6, 30)
    limoux = next(line for line in _report(out).splitlines() if "Entretien des parcs" in line)
    assert limoux.endswith(
        "| 31 décembre 2027 (dernier relevé ; fin d’exécution le 31 mars 2028) |"
    )


def test_every_lot_has_the_result_and_penalty_of_its_compliance_statement(evaluated, statements):
    """The statement and the evaluation of one consultation never disagree: each lot the
    evaluation lists has the statement's result, hours missing and penalty; the lots it
    leaves out are those the statement finds met with no penalty."""
    out, _ = evaluated
    listed = {(row[0], row[1]): row for row in _sheet(out, "Écarts et pénalités")[1:]}
    for r in statements:
        reference = r.operation.consultation.reference
        for lot in r.reconciliation.lots:
            row = listed.get((reference, lot.numero))
            if row is None:
                assert lot.statut.value == "atteint" and lot.penalite is None
                continue
            penalty = lot.penalite.montant if lot.penalite is not None else None
            if lot.statut.value == "en_cours":
                assert row[4] == "Bilan de fin de marché non établi"
                assert (row[7], Decimal(str(row[8]))) == (None, lot.ecart)
                pending = "pénalité non constatée"
                assert row[9] == (pending if penalty is None else float(penalty))
            else:
                assert row[4] == lot.statut.label
                assert Decimal(str(row[7])) == lot.ecart
                assert row[9] == (None if penalty is None else float(penalty))


def test_a_lot_whose_ledger_stops_before_the_end_of_execution_has_no_finding(evaluated):
    """Limoux's lot 2 is in progress at its last record: its 55 hours are still to do, not
    missing, and no penalty is found; Jaurès's ledger reaches the end, its lot 4 is « non
    atteint », 375 hours missing."""
    out, _ = evaluated
    text = _report(out)
    rows = {line.split(" | ")[0]: line for line in text.splitlines() if line.startswith("| 20")}
    assert (
        "| Bilan de fin de marché non établi | 55 restant à réaliser au dernier relevé | "
        "– (pénalité non constatée) |"
    ) in rows["| 2027-SRV-004"]
    assert "| Objectif non atteint | 375 | 23 300,00 € HT |" in text
    assert (
        "| Heures manquantes en fin d’exécution | 375 ; 55 heures restant à réaliser au "
        "dernier relevé d’un lot sans bilan de fin de marché |"
    ) in text
    assert "| Pénalités calculées (avant décision de l’acheteur) | 23 300,00 € HT |" in text
    assert (
        "Bilan de fin de marché non établi pour 2027-SRV-004 : le registre des heures "
        "s’arrête au 31 décembre 2027, avant la fin de l’exécution (31 mars 2028)"
    ) in text
    totals = dict(row[:2] for row in _sheet(out, "Totaux")[1:])
    assert Decimal(str(totals["Heures manquantes"])) == Decimal(375)
    assert Decimal(str(totals["Heures restant à réaliser au dernier relevé"])) == Decimal(55)


def test_lots_without_a_commitment_count_in_the_rate_over_all_lots(evaluated, statements):
    """Jaurès's lots 3, 5 and 6 carry the clause but no commitment was handed in: the rate is
    given over the lots followed and over all lots carrying the clause, and they are listed
    among the gaps with their required hours."""
    out, _ = evaluated
    text = _report(out)
    realised = sum((lot.realise for r in statements for lot in r.reconciliation.lots), Decimal(0))
    followed = sum((lot.requis for r in statements for lot in r.reconciliation.lots), Decimal(0))
    every, uncommitted = Decimal(0), []
    for folder, r in zip(FOLDERS, statements, strict=True):
        _, _, calibration = sized(folder / "operation.yaml")
        committed = {lot.numero for lot in r.reconciliation.lots}
        for lot in calibration.lots:
            if lot.retenu:
                every += lot.heures
                if lot.numero not in committed:
                    uncommitted.append((r.operation.consultation.reference, lot))
    assert [(ref, lot.numero) for ref, lot in uncommitted] == [
        ("2026-TRX-042", 3),
        ("2026-TRX-042", 5),
        ("2026-TRX-042", 6),
    ]
    assert (realised, followed, every) == (Decimal(4626), Decimal(4419), Decimal(6843))
    rate = (realised / followed * 100).quantize(Decimal("0.01"))
    overall = (realised / every * 100).quantize(Decimal("0.01"))
    assert (rate, overall) == (Decimal("104.68"), Decimal("67.60"))
    assert (
        "| Heures réalisées | 4 626, soit 104,68 % des heures requises des 7 lots suivis et "
        "67,60 % des 6 843 heures requises des 10 lots portant la clause |"
    ) in text
    missing = sum((lot.heures for _, lot in uncommitted), Decimal(0))
    assert missing == Decimal(2424)
    assert (
        "| Lots sans engagement remis | 3 (2 424 heures requises, aucune heure enregistrée) |"
        in text
    )
    met = sum(
        1 for r in statements for lot in r.reconciliation.lots if lot.statut.value == "atteint"
    )
    assert f"| Lots ayant atteint leur objectif | {met} sur 7 suivis |" in text and met == 5
    rows = [line for line in text.splitlines() if "| Engagement non remis |" in line]
    assert [line.split(" | ")[1].split(" – ")[0] for line in rows] == ["3", "5", "6"]
    for line, (_, lot) in zip(rows, uncommitted, strict=True):
        hours = number(lot.heures).replace("\u202f", " ").replace("\u00a0", " ")
        assert line.endswith(f"| {hours} requises, aucune heure enregistrée | – |"), line


def test_the_report_names_no_parameter_nor_tool_and_its_manifest_keeps_them(evaluated):
    out, _ = evaluated
    body = _report(out).split("=== footer")[0]
    for jargon in ("paramètre", "clausegen", "confidentialite.", "etp.diviseur", "à vérifier"):
        assert jargon not in body, jargon
    assert "citée de mémoire" not in body
    assert "tout effectif inférieur à 5 personnes est remplacé par « < 5 »" in body
    assert "1 607 heures, durée annuelle de référence du temps plein (article L3121-41" in body
    manifest = json.loads((out / f"{STEM}.manifest.json").read_text(encoding="utf-8"))
    cited = {p["id"]: p for p in manifest["parametres"]}
    assert cited["confidentialite.effectif_minimum"]["statut"] == "a_verifier"
    assert cited["etp.diviseur.annuel_legal"]["reference"].endswith("du code du travail)")


def test_the_total_etp_is_the_total_hours_over_the_divisor(evaluated):
    out, _ = evaluated
    text = _report(out)
    assert "| Total | 7 | 4 419 | 4 880 | 4 626 | 2,88 |" in text  # 4 626 ÷ 1 607 = 2,879
    assert "| Équivalents temps plein réalisés | 2,88 |" in text  # not 2,01 + 0,60 + 0,26
    assert (
        "ETP : heures rapportées à 1 607 heures, durée annuelle d’un temps plein (1 ETP = un an "
        "de travail à temps plein, quelle que soit la durée du marché)." in text
    )


def test_the_people_on_several_operations_are_counted_under_the_secrecy_rule(evaluated):
    """One person works on two operations: « dont 1 » would single them out; and no table
    of people tells in which operations its people work."""
    out, _ = evaluated
    text = docx_text((out / f"{STEM}.docx").read_bytes())
    assert "| 16, dont <\u00a05 sur plusieurs opérations |" in text
    assert "dont 1 " not in text
    people = text.split("[Heading 2] Personnes en parcours")[1].split("[Heading 3]")[0]
    assert "| Personnes | Opérations |" not in people and "2027‑VRD‑015" not in people
    totals = dict(row[:2] for row in _sheet(out, "Totaux")[1:])
    assert totals["Personnes (comptées une fois)"] == 16
    assert totals["dont sur plusieurs opérations"] == "<\u00a05"
    for name in ("Personnes par critère", "Personnes par sexe", "Personnes par âge"):
        assert _sheet(out, name)[0] == ("Libellé", "Personnes")
