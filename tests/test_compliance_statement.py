"""The compliance statement as a decision's ground: DECP values, confidentiality of small
counts, the buyer's finding, unrecorded exits, and the command's warnings."""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausegen.calibration.calibrate import calibrate
from clausegen.cli.produce import compliance_files
from clausegen.documents.fragments import load_fragments
from clausegen.documents.secrecy import (
    Shown,
    bounds,
    protect_group,
    protect_partition,
    protect_subsets,
)
from clausegen.execution.publics import Critere
from clausegen.execution.reconciliation import reconcile
from clausegen.execution.records import load_execution_records
from clausegen.inputs.loading import load_operation
from clausegen.inputs.operation import Dispositif
from clausegen.law.decp import SCHEMA_ORDER, considerations_sociales
from clausegen.law.parameters import load_parameters
from tests.docx_text import docx_text
from tests.helpers import OPERATION, SAMPLE, run
from tests.test_execution import COMPLIANT, SHORT, follow

DECP_SCHEMA = (
    Path(__file__).resolve().parents[2] / "shared/reference-data/decp/schema_decp_v2.0.3.json"
)
BREAKDOWNS = ("| Critère d’éligibilité |", "| Sexe et âge à l’entrée |", "| Situation au ")


@pytest.fixture(scope="module")
def setting():
    parameters = load_parameters()
    operation = load_operation(OPERATION)
    calibration = calibrate(operation, parameters, operation.consultation.date_lancement)
    return operation, parameters, calibration, load_fragments()


# --- DECP ---------------------------------------------------------------------------------


@pytest.mark.skipif(not DECP_SCHEMA.exists(), reason=f"{DECP_SCHEMA} is not on this machine")
def test_every_decp_value_is_in_the_schemas_enum_in_its_order():
    schema = json.loads(DECP_SCHEMA.read_text(encoding="utf-8"))
    enum = schema["definitions"]["marche"]["definitions"]["considerationSocialeArray"]["items"]
    assert tuple(enum["enum"]) == SCHEMA_ORDER
    for dispositif in Dispositif:
        for clause in (True, False):
            values = considerations_sociales(dispositif, clause=clause)
            assert values and set(values) <= set(enum["enum"])
            assert list(values) == sorted(values, key=SCHEMA_ORDER.index)


def test_the_decp_values_follow_the_dispositif():
    assert considerations_sociales(Dispositif.CONDITION_EXECUTION, clause=True) == (
        "Clause sociale",
    )
    assert considerations_sociales(Dispositif.CRITERE_ATTRIBUTION, clause=True) == (
        "Clause sociale",
        "Critère social",
    )
    assert considerations_sociales(Dispositif.MARCHE_RESERVE, clause=True) == (
        "Clause sociale",
        "Marché réservé",
    )
    assert considerations_sociales(Dispositif.MARCHE_RESERVE, clause=False) == ("Marché réservé",)
    assert considerations_sociales(Dispositif.CONDITION_EXECUTION, clause=False) == (
        "Pas de considération sociale",
    )


# --- statistical confidentiality -----------------------------------------------------------


@given(
    counts=st.lists(st.integers(min_value=0, max_value=40), min_size=2, max_size=7),
    threshold=st.integers(min_value=1, max_value=11),
)
def test_no_hidden_count_of_a_partition_can_be_worked_out(counts, threshold):
    cells = protect_partition(counts, threshold)
    assert [c.value for c in cells] == counts
    for cell in cells:
        if cell.shown is Shown.VALUE:
            assert cell.value >= threshold and cell.text == str(cell.value)
        else:
            assert cell.text in (f"<\u00a0{threshold}", "s")
    if sum(counts):
        assert all(low < high for low, high in bounds(cells, sum(counts)))


def test_a_lone_small_count_takes_a_second_one_with_it():
    assert [c.text for c in protect_partition([2, 5], 5)] == ["<\u00a05", "s"]
    assert [c.text for c in protect_partition([4, 4], 5)] == ["s", "<\u00a05"]
    assert [c.text for c in protect_partition([10, 3, 0], 5)] == ["10", "<\u00a05", "<\u00a05"]
    assert [c.text for c in protect_partition([6, 6], 5)] == ["6", "6"]
    assert [c.text for c in protect_subsets([1, 7, 0], 12, 5)] == ["<\u00a05", "7", "<\u00a05"]


def test_a_small_group_prints_no_count_but_no_one_is_zero():
    assert protect_group(0, 5).text == "0"
    assert [protect_group(n, 5).text for n in (1, 4)] == ["<\u00a05"] * 2
    assert protect_group(5, 5).text == "5"


def test_a_criterion_of_a_small_group_reads_the_same_whether_zero_or_not():
    assert {c.text for c in protect_subsets([0, 1, 3, 0], 3, 5)} == {"<\u00a05"}
    assert {c.text for c in protect_partition([0, 3, 0], 5)} == {"<\u00a05"}


def test_a_criterion_met_by_all_but_a_few_is_masked():
    """7 people, 7 on RSA: « 7 » would tell the company that each of its people is."""
    assert [c.text for c in protect_subsets([7, 6, 2, 5, 0], 7, 5)] == [
        "s",
        "s",
        "<\u00a05",
        "s",
        "<\u00a05",
    ]
    assert [c.text for c in protect_subsets([5, 6], 11, 5)] == ["5", "6"]


def _breakdown_cells(text: str, lot: int) -> list[str]:
    """The counts of every breakdown table of ``lot`` in a statement's text."""
    section = text.split(f"[Heading 2] Lot\u00a0{lot} – ")[1].split("[Heading 3] Résultat")[0]
    cells, inside = [], False
    for line in section.splitlines():
        if line.startswith(BREAKDOWNS):
            inside = True
        elif inside and line.startswith("|"):
            cells.append(line.rstrip(" |").rsplit("| ", 1)[1])
        else:
            inside = False
    return cells


@pytest.mark.parametrize("kept", [1, 2, 3, 4])
def test_a_lot_of_one_to_four_people_shows_no_count_below_the_threshold(setting, tmp_path, kept):
    """Lot 4 with only its first ``kept`` participants: every breakdown cell hidden."""
    operation, parameters, calibration, registry = setting
    with (SAMPLE / "heures.csv").open(encoding="utf-8") as source:
        rows = list(csv.DictReader(source, delimiter=";"))
    people = list(dict.fromkeys(r["participant"] for r in rows if r["lot"] == "4"))[:kept]
    ledger = tmp_path / "heures.csv"
    with ledger.open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(r for r in rows if r["lot"] != "4" or r["participant"] in people)
    data = load_execution_records(
        operation,
        OPERATION,
        calibration,
        parameters,
        ledger=ledger,
        participants_file=SAMPLE / "participants.yaml",
        commitments=SAMPLE / "engagements",
    )
    reconciliation = reconcile(
        operation,
        calibration,
        data.engagements,
        data.registre,
        data.participants,
        parameters,
        date(2028, 6, 30),
    )
    lot = next(lot for lot in reconciliation.lots if lot.numero == 4)
    assert lot.effectifs.total == kept
    produced = compliance_files(operation, reconciliation, [], registry, parameters)
    docx = next(f.content for f in produced.files if f.name == f"conformite-{SHORT}.docx")
    text = docx_text(docx)
    section = text.split("[Heading 2] Lot\u00a04 – ")[1].split("[Heading 3] Résultat")[0]
    assert "| Personnes ayant effectué des heures | <\u00a05 |" in section
    assert "| Heures en moyenne par personne | – |" in section
    assert "moyenne non publiée" in section
    criteria = section.split("| Critère d’éligibilité | Personnes |\n")[1].split("[Table")[0]
    assert [row.split(" | ")[0].lstrip("| ") for row in criteria.splitlines()] == [
        c.label for c in Critere
    ]
    cells = _breakdown_cells(text, 4)
    assert len(cells) == len(Critere) + 5 + 6
    assert set(cells) == {"<\u00a05"}, cells
    # No date of a person: the months of validation are not given.
    assert "validée par le facilitateur avant que ses heures ne soient retenues." in section
    assert not re.search(r"validée (en|entre) ", section)
    assert not re.search(rf"\| {kept} \|", section.split("[Heading 3] Participants")[1])


def test_the_sample_statements_hide_every_small_count(setting):
    _, reconciliation = follow(setting)
    operation, parameters, _, registry = setting
    produced = compliance_files(operation, reconciliation, [], registry, parameters)
    texts = {f.name: docx_text(f.content) for f in produced.files if f.name.endswith(".docx")}
    compliant = texts[f"conformite-{COMPLIANT}.docx"]
    # Lot 1, seven people: two women, five men; « 5 » alone would give the women by subtraction.
    assert "| Femmes | <\u00a05 |\n| Hommes | s |" in compliant
    assert "«\u00a0s\u00a0»\u00a0: case masquée pour qu’aucun effectif inférieur à 5" in compliant
    for name, text in texts.items():
        for lot in re.findall(r"\[Heading 2\] Lot\u00a0(\d+)", text):
            for cell in _breakdown_cells(text, int(lot)):
                assert not cell.isdigit() or int(cell) >= 5, (name, lot, cell)


# --- the finding ---------------------------------------------------------------------------


def test_unrecorded_exits_are_not_still_on_the_pathway(setting):
    _, reconciliation = follow(setting)
    lot1 = reconciliation.lots[0]
    assert (lot1.numero, lot1.effectifs.sortie_non_renseignee) == (1, ("P05",))
    assert lot1.effectifs.en_parcours == 0
    assert lot1.effectifs.total == sum(n for _, n in lot1.effectifs.sorties) + 1


def _statement_text(setting, reconciliation) -> str:
    operation, parameters, _, registry = setting
    produced = compliance_files(operation, reconciliation, [], registry, parameters)
    return docx_text(
        next(f.content for f in produced.files if f.name == f"conformite-{SHORT}.docx")
    )


def test_during_execution_the_buyer_decides_on_late_statements_only(setting):
    _, reconciliation = follow(setting, closing=date(2027, 12, 31))
    plain = _statement_text(setting, reconciliation).replace("\u00a0", " ").replace("\u202f", " ")
    assert (
        "☐ d’appliquer la pénalité calculée pour retard dans les comptes rendus, soit "
        "800,00 € HT ;" in plain
    )
    assert "heures non réalisées s’élèvent" not in plain


def test_a_statement_before_the_end_of_execution_is_a_constat_with_no_decision(setting):
    operation, parameters, _, registry = setting
    _, reconciliation = follow(setting, closing=date(2027, 12, 31), reporting=False)
    produced = compliance_files(operation, reconciliation, [], registry, parameters)
    text = docx_text(
        next(f.content for f in produced.files if f.name == f"conformite-{SHORT}.docx")
    )
    assert "[Title] Constat d’exécution de la clause d’insertion" in text
    plain = text.replace("\u00a0", " ").replace("\u202f", " ")
    assert (
        "L’exécution du lot 4 se poursuit : au 31 décembre 2027, 735 des 1 120 heures "
        "d’insertion requises restent à réaliser. L’atteinte de l’objectif sera constatée au "
        "vu du bilan de fin de marché." in plain
    )
    assert "☐" not in text and "[Body Text] Signature et cachet\u00a0:" in text


# --- warnings ------------------------------------------------------------------------------


def test_the_command_warns_about_sirets_and_a_late_notification(tmp_path):
    operation = tmp_path / "operation.yaml"
    text = (SAMPLE / "operation.yaml").read_text(encoding="utf-8")
    operation.write_text(text.replace('siret: "21110069800011"', 'siret: "82345678500026"'))
    commitments = tmp_path / "engagements"
    shutil.copytree(SAMPLE / "engagements", commitments)
    late = commitments / "lot-02-bati-sud.yaml"
    late.write_text(
        late.read_text().replace("date_notification: 2026-12-21", "date_notification: 2027-02-01")
    )
    participants = tmp_path / "participants.yaml"
    people = (SAMPLE / "participants.yaml").read_text(encoding="utf-8")
    participants.write_text(
        people.replace(
            'employeur: {raison_sociale: GEIQ BTP Occitanie, siret: "85678901100033"}',
            "employeur: {raison_sociale: GEIQ BTP Occitanie}",
        )
    )
    result = run(
        "compliance",
        str(operation),
        f"--commitments={commitments}",
        f"--ledger={SAMPLE / 'heures.csv'}",
        f"--participants={participants}",
        "-o",
        str(tmp_path / "out"),
    )
    assert result.exit_code == 0
    warnings = result.stderr.splitlines()[3:]
    assert warnings == [
        f"Warning: [marche] {late}: marche.date_notification 2027-02-01 is after the "
        f"execution start (execution.debut 2027-01-04 in {operation}); check the date: a "
        "contract is notified before it is executed.",
        f"Warning: [siret] {commitments / 'lot-04-peintures-audoises.yaml'}: entreprise.siret "
        f"82345678500026 is the buyer's own (acheteur.siret in {operation}); a company cannot "
        "hold a contract of its own buyer: correct the company's SIRET.",
        f"Warning: [sortie] {participants}: participants[4] (P05).sortie: the contract ended "
        "on 2027-09-24, before the closing date (2028-06-30), and no exit is recorded; the "
        'statement counts the person under "sortie non renseignée". Add sortie: {type: …, '
        "date: YYYY-MM-DD}.",
        f"Warning: [employeur] {participants}: participants[9] (P10).employeur.siret: the "
        "employer GEIQ BTP Occitanie has no SIRET; add it, so that the hours can be checked "
        "against the employer's records.",
        f"Warning: [employeur] {participants}: participants[10] (P11).employeur.siret: the "
        "employer GEIQ BTP Occitanie has no SIRET; add it, so that the hours can be checked "
        "against the employer's records.",
    ]
    for name in ("Benali", "Garcia", "Mélissa"):
        assert name not in result.stderr


def test_a_lot_followed_through_amounts_only_names_no_one(tmp_path):
    """Limoux lot 2: hours invoiced by an ESAT, no person named: « 0 », no breakdown, and
    the modality's own label, not « structure d’insertion »."""
    folder = Path("samples/entretien-parcs-limoux")
    ledger = folder / "heures.xlsx"
    result = run(
        "compliance",
        folder / "operation.yaml",
        "--commitments",
        folder / "engagements",
        "--ledger",
        ledger if ledger.exists() else folder / "heures.csv",
        "--participants",
        folder / "participants.yaml",
        "-o",
        tmp_path,
    )
    assert result.exit_code == 0, result.output
    text = docx_text((tmp_path / "conformite-84567123900000.docx").read_bytes())
    section = text.split("[Heading 3] Participants")[1].split("[Heading 3] Résultat")[0]
    assert "| Personnes ayant effectué des heures | 0 |" in section
    assert "| Heures en moyenne par personne | – |" in section
    assert "<\u00a05" not in section and not section.count("| Personnes |")
    assert (
        "Aucune personne n’est suivie individuellement sur ce lot : les 105 heures réalisées "
        "sont déduites des montants facturés en sous-traitance (ESAT)."
        in section.replace("\u00a0", " ")
    )
    assert "autres heures" not in section and "structure d’insertion" not in section
    assert "structures d’insertion" not in section
