"""An award criterion holds the company to the hours it committed in its offer; a
commitment's modalities add up to its committed hours; the form admits what the CCAP admits."""

from __future__ import annotations

import dataclasses
import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from clausegen.calibration.calibrate import calibrate
from clausegen.cli.produce import CommitmentForms
from clausegen.cli.produce import compliance_files as produce_compliance_files
from clausegen.cli.views.compliance_table import compliance_table
from clausegen.documents.fragments import load_fragments
from clausegen.errors import InputFilesError
from clausegen.execution.commitments import CommitmentFile, load_commitment
from clausegen.execution.reconciliation import Statut, reconcile
from clausegen.execution.records import load_execution_records
from clausegen.inputs.loading import load_operation
from clausegen.law.parameters import load_parameters
from tests.docx_text import docx_text
from tests.helpers import SAMPLE, run

LIMOUX = Path("samples/entretien-parcs-limoux")
VERT_LIMOUXIN = LIMOUX / "engagements" / "lot-02-vert-limouxin.yaml"


def setting(sample: Path):
    parameters = load_parameters()
    operation = load_operation(sample / "operation.yaml")
    calibration = calibrate(operation, parameters, operation.consultation.date_lancement)
    data = load_execution_records(
        operation,
        sample / "operation.yaml",
        calibration,
        parameters,
        ledger=sample / "heures.csv",
        participants_file=sample / "participants.yaml",
        commitments=sample / "engagements",
    )
    return operation, parameters, calibration, data


@pytest.fixture(scope="module")
def limoux():
    return setting(LIMOUX)


def follow(limoux, closing: date, engagements: list[CommitmentFile] | None = None):
    operation, parameters, calibration, data = limoux
    return reconcile(
        operation,
        calibration,
        engagements if engagements is not None else data.engagements,
        data.registre,
        data.participants,
        parameters,
        closing,
    )


def test_the_offer_s_committed_hours_are_due_under_an_award_criterion(limoux):
    lot = follow(limoux, date(2027, 12, 31)).lots[1]
    assert (lot.requis, lot.engage, lot.heures_dues) == (128, 160, 160)
    assert (lot.realise, lot.ecart, lot.statut) == (105, 55, Statut.EN_COURS)


def test_the_penalty_counts_the_hours_missing_from_the_offer(limoux):
    operation, parameters, calibration, data = limoux
    # the ledger recorded up to the end of execution (March 2028), on lot 1 only: lot 2's
    # months without rows are months without hours, and its finding is made
    last = next(line for line in reversed(data.registre.lignes) if line.lot == 1)
    march = dataclasses.replace(last, mois=date(2028, 3, 1), row=last.row + 1)
    registre = dataclasses.replace(data.registre, lignes=(*data.registre.lignes, march))
    lot = reconcile(
        operation,
        calibration,
        data.engagements,
        registre,
        data.participants,
        parameters,
        date(2028, 3, 31),
    ).lots[1]
    assert lot.statut is Statut.INSUFFISANT
    assert lot.penalite is not None
    assert (lot.penalite.heures_manquantes, lot.penalite.montant_heures) == (55, 2200)
    [step] = [s for s in lot.penalite.trace.steps if s.label == "heures manquantes"]
    assert step.formula == "heures dues − heures réalisées"
    assert (
        lot.traces["du"].steps[-1].operands[1].ref == "lot-02-vert-limouxin.yaml: heures_engagees"
    )


def test_a_commitment_below_the_minimum_leaves_the_minimum_due(limoux):
    items = limoux[3].engagements
    low = items[1].engagement.model_copy(
        update={
            "heures_engagees": Decimal(100),
            "modalites": [
                items[1].engagement.modalites[0].model_copy(update={"montant_ht": Decimal(4000)})
            ],
        }
    )
    lot = follow(limoux, date(2027, 12, 31), [items[0], CommitmentFile(items[1].path, low)]).lots[1]
    assert (lot.engage, lot.heures_dues, lot.du, lot.ecart) == (100, 128, None, 23)


def test_an_execution_condition_keeps_the_lot_s_required_hours():
    operation, parameters, calibration, data = setting(SAMPLE)
    lots = reconcile(
        operation,
        calibration,
        data.engagements,
        data.registre,
        data.participants,
        parameters,
        date(2028, 6, 30),
    ).lots
    assert (lots[0].requis, lots[0].engage, lots[0].heures_dues, lots[0].du) == (
        2007,
        2070,
        2007,
        None,
    )


def test_the_statement_measures_against_the_offer(limoux):
    operation, parameters, _, _ = limoux
    reconciliation = follow(limoux, date(2027, 12, 31))
    produced = produce_compliance_files(operation, reconciliation, [], load_fragments(), parameters)
    [statement] = [f for f in produced.files if f.name == "conformite-84567123900000.docx"]
    text = " ".join(docx_text(statement.content).split())
    assert (
        "Vert Limouxin a réalisé 105 heures d’insertion sur le lot 2, soit 65,63 % des 160 heures "
        "engagées dans l’offre, qui constituent l’obligation contractuelle (minimum du lot : "
        "128 heures) ; l’exécution se poursuit et 55 heures restent à réaliser." in text
    )
    assert "55 des 160 heures d’insertion engagées dans l’offre restent à réaliser" in text
    assert "128 heures requises" not in text


def test_the_terminal_table_shows_the_offer_s_hours_as_due(limoux):
    table = compliance_table(follow(limoux, date(2027, 12, 31)))
    [row] = [line for line in table.splitlines() if "Vert Limouxin" in line]
    # lot, company, required (the lot's minimum), committed, due (the offer's), realised…
    assert re.split(r" {2,}", row.strip())[2:7] == ["128", "160", "160", "105", "in progress"]


def form(sample: Path, company: Path) -> str:
    operation, parameters, calibration, _ = setting(sample)
    item = load_commitment(company)
    render = CommitmentForms(operation, calibration, (), load_fragments(), parameters)
    return " ".join(
        docx_text(render(item.engagement.lot, item.engagement).files[0].content).split()
    )


def test_the_form_commits_the_company_to_its_offer_under_an_award_criterion():
    text = form(LIMOUX, VERT_LIMOUXIN)
    assert (
        "réaliser au moins 160 heures d’insertion, volume engagé dans l’offre (minimum du "
        "lot : 128 heures), sur la durée du lot" in text
    )
    # handed in with the offer, before any award
    assert "| Montant de l’offre HT | 61 800,00 € |" in text
    assert "Montant attribué" not in text


def test_the_blank_form_asks_for_the_offer_s_hours_under_an_award_criterion():
    """Handed in with each offer: the candidate commits to the hours it offers, which the
    lot's minimum only bounds (a form saying « au moins 128 heures » would contradict the
    hours the candidate writes in its own table)."""
    operation, parameters, calibration, _ = setting(LIMOUX)
    render = CommitmentForms(operation, calibration, (), load_fragments(), parameters)
    text = " ".join(docx_text(render(2, None).files[0].content).split())
    assert (
        "réaliser au moins le nombre d’heures d’insertion qu’elle engage dans son offre, qui "
        "ne peut être inférieur à 128 heures, sur la durée du lot" in text
    )


def test_the_form_of_an_execution_condition_keeps_the_lot_s_hours():
    text = form(SAMPLE, SAMPLE / "engagements" / "lot-01-bati-sud.yaml")
    assert "réaliser au moins 2 007 heures d’insertion sur la durée du lot" in text
    assert "volume engagé dans l’offre" not in text
    assert "| Montant attribué HT | 2 089 500,00 € |" in text


def test_the_form_admits_what_the_ccap_admits():
    text = form(SAMPLE, SAMPLE / "engagements" / "lot-01-bati-sud.yaml")
    assert (
        "transmettre chaque mois au facilitateur l’état des heures réalisées, avec les "
        "justificatifs prévus au CCAP pour chaque modalité ;" in text
    )
    assert "désigner, pour chaque personne qu’elle embauche directement, un tuteur" in text
    assert "bulletins de salaire" not in text
    assert "Tuteur sur le chantier (embauche directe)" in text


def test_modalities_that_do_not_add_up_are_refused_by_the_statement(limoux, tmp_path):
    items = limoux[3].engagements
    short = items[1].engagement.model_copy(update={"heures_engagees": Decimal(170)})
    with pytest.raises(InputFilesError) as caught:
        follow(limoux, date(2027, 12, 31), [items[0], CommitmentFile(items[1].path, short)])
    assert str(caught.value) == (
        f"{VERT_LIMOUXIN}: modalites: the planned modalities add up to 160 h but "
        "heures_engagees is 170 h (the difference, 10 h, is planned under no modality; an "
        "amount counts as amount × the lot's labour share ÷ hourly cost); make them equal: "
        "plan every committed hour under a modality, or correct heures_engagees."
    )


def test_modalities_that_exceed_the_total_are_refused_by_the_form(tmp_path):
    company = tmp_path / "lot-01.yaml"
    source = (SAMPLE / "engagements" / "lot-01-bati-sud.yaml").read_text(encoding="utf-8")
    company.write_text(source.replace("heures_engagees: 2070", "heures_engagees: 2000"))
    result = run(
        *[
            "commitment",
            str(SAMPLE / "operation.yaml"),
            "--lot",
            "1",
            "--company",
            str(company),
            "-o",
            str(tmp_path / "out"),
        ]
    )
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {company}: modalites: the planned modalities add up to 2070 h but "
        "heures_engagees is 2000 h (they exceed it by 70 h; an amount counts as amount × the "
        "lot's labour share ÷ hourly cost); make them equal: plan every committed hour under a "
        "modality, or correct heures_engagees.\n"
    )
    assert not (tmp_path / "out").exists()


def test_an_offer_below_the_lot_s_minimum_is_warned_about(tmp_path):
    sample = tmp_path / "limoux"
    shutil.copytree(LIMOUX, sample)
    company = sample / "engagements" / VERT_LIMOUXIN.name
    text = company.read_text(encoding="utf-8")
    company.write_text(
        text.replace("heures_engagees: 160", "heures_engagees: 100").replace(
            "montant_ht: 6400.00", "montant_ht: 4000.00"
        ),
        encoding="utf-8",
    )
    result = run(
        "compliance",
        str(sample / "operation.yaml"),
        "--commitments",
        str(sample / "engagements"),
        "--ledger",
        str(sample / "heures.csv"),
        "--participants",
        str(sample / "participants.yaml"),
        "-o",
        str(tmp_path / "out"),
    )
    assert result.exit_code == 0, result.stderr
    assert (
        f"Warning: [engagement] {company}: heures_engagees 100 h is below the minimum of lot 2 "
        "(128 h); the statement holds the company to the minimum: check the hours committed "
        "in its offer.\n"
    ) in result.stderr
