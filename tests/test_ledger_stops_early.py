"""A closing date past a ledger that stops before the end of execution: the hours are known
up to the ledger's last month only, so the compliance statement closes there, states no
end-of-execution finding and no penalty for missing hours, and says what to do — decided by
``closing_date`` and ``execution_ended``, as the evaluation decides it."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from clausegen.cli.produce import compliance_files
from clausegen.documents.fragments import load_fragments
from clausegen.execution.reconciliation import Statut, closing_date, hours_known_to, reconcile
from tests.docx_text import docx_text
from tests.helpers import run
from tests.test_award_criterion import LIMOUX, setting

VERT_LIMOUXIN = "conformite-84567123900000.docx"


@pytest.fixture(scope="module")
def limoux():
    return setting(LIMOUX)


def follow(limoux, closing: date, registre=None):
    operation, parameters, calibration, data = limoux
    return reconcile(
        operation,
        calibration,
        data.engagements,
        registre if registre is not None else data.registre,
        data.participants,
        parameters,
        closing,
    )


def statement_text(limoux, reconciliation) -> str:
    operation, parameters, _, _ = limoux
    produced = compliance_files(operation, reconciliation, [], load_fragments(), parameters)
    [statement] = [f for f in produced.files if f.name == VERT_LIMOUXIN]
    return " ".join(docx_text(statement.content).split())


def test_a_closing_date_after_the_ledger_closes_at_its_last_month(limoux):
    reconciliation = follow(limoux, date(2028, 6, 30))
    assert (reconciliation.arrete_au, reconciliation.arrete_demande) == (
        date(2027, 12, 31),
        date(2028, 6, 30),
    )
    assert not reconciliation.fin_execution_atteinte
    lot = reconciliation.lots[1]
    assert (lot.realise, lot.ecart, lot.statut, lot.penalite) == (105, 55, Statut.EN_COURS, None)


def test_the_ledger_s_last_month_is_the_whole_ledger_s_not_the_lot_s(limoux):
    """Lot 2's last row is in October 2027, the ledger's in December: November and December
    were recorded for every lot, and lot 2 did no hours in them."""
    _, _, _, data = limoux
    assert max(line.mois for line in data.registre.lignes if line.lot == 2) == date(2027, 10, 1)
    assert hours_known_to(data.registre) == date(2027, 12, 31)
    reconciliation = follow(limoux, date(2027, 12, 31))
    assert reconciliation.arrete_demande is None
    assert reconciliation.lots[1].periodes[-1].periode.code == "2027-12"


def test_a_ledger_up_to_the_end_of_execution_is_closed_at_the_date_asked(limoux):
    operation, _, _, data = limoux
    assert operation.execution is not None
    last = data.registre.lignes[-1]
    march = dataclasses.replace(last, mois=date(2028, 3, 1), row=last.row + 1)
    registre = dataclasses.replace(data.registre, lignes=(*data.registre.lignes, march))
    after = date(2028, 6, 30)
    assert closing_date(after, registre, operation.execution) == after
    assert closing_date(after, data.registre, operation.execution) == date(2027, 12, 31)
    assert closing_date(date(2027, 11, 30), data.registre, operation.execution) == date(
        2027, 11, 30
    )
    reconciliation = follow(limoux, after, registre)
    assert (reconciliation.arrete_au, reconciliation.arrete_demande) == (after, None)
    assert reconciliation.lots[1].statut is Statut.INSUFFISANT


def test_the_statement_says_up_to_when_the_hours_are_known_and_states_no_finding(limoux):
    text = statement_text(limoux, follow(limoux, date(2028, 6, 30)))
    assert (
        "Les heures sont arrêtées au 31 décembre 2027, pour une exécution prévue du "
        "1er avril 2027 au 31 mars 2028. L’arrêté était demandé au 30 juin 2028, mais le "
        "registre des heures s’arrête en décembre 2027 : aucune heure n’est connue après ce "
        "mois, et les mois suivants ne sont pas comptés comme des mois sans heures. Le bilan "
        "de fin de marché n’est donc pas établi ; il le sera au vu du registre des heures "
        "complété jusqu’au 31 mars 2028." in text
    )
    assert "Bilan de fin de marché non établi" in text  # the summary's result
    assert (
        "Le bilan de fin de marché du lot 2 n’est pas établi : le registre des heures "
        "s’arrête en décembre 2027, avant la fin de l’exécution (31 mars 2028). Au "
        "31 décembre 2027, 55 des 160 heures d’insertion engagées dans l’offre restaient à "
        "réaliser ; aucune pénalité pour heures non réalisées n’est constatée." in text
    )
    assert "55 heures restaient alors à réaliser" in text
    for finding in ("n’ont pas été réalisées", "pénalité encourue", "se poursuit", "décide"):
        assert finding not in text


def test_a_date_within_execution_says_the_months_after_the_ledger_are_not_counted(limoux):
    text = statement_text(limoux, follow(limoux, date(2028, 2, 15)))
    assert (
        "L’arrêté était demandé au 15 février 2028, mais le registre des heures s’arrête en "
        "décembre 2027 : aucune heure n’est connue après ce mois, et les mois suivants ne sont "
        "pas comptés comme des mois sans heures. Les heures des mois suivants seront comptées "
        "au vu du registre des heures complété jusqu’au 15 février 2028." in text
    )
    assert "Bilan de fin de marché non établi" not in text
    assert "l’exécution se poursuit et 55 heures restent à réaliser" in text


def test_the_command_warns_and_its_table_states_no_finding(tmp_path):
    result = run(
        "compliance",
        LIMOUX / "operation.yaml",
        "--commitments",
        LIMOUX / "engagements",
        "--ledger",
        LIMOUX / "heures.csv",
        "--participants",
        LIMOUX / "participants.yaml",
        "--period-end",
        "2028-06-30",
        "-o",
        tmp_path / "out",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        "Hours counted up to 2027-12-31 (the ledger's last month; 2028-06-30 asked);"
    )
    [row] = [line for line in result.stdout.splitlines() if "Vert Limouxin" in line]
    assert "no finding (ledger stops early)" in row and "€" not in row
    assert (
        "Warning: [registre] --period-end 2028-06-30: the ledger stops at 2027-12, so hours "
        "are counted up to 2027-12-31 only, not as zero after it; no end-of-execution finding "
        "and no penalty for missing hours is stated (execution ends 2028-03-31); give the "
        "ledger up to 2028-03, or a --period-end on or before 2027-12-31.\n" in result.stderr
    )
