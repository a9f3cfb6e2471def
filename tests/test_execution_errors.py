"""One broken commitments / ledger / participants file per error message, each message exact.

Each case runs the real command and compares its stderr with a reviewed golden file under
tests/golden/errors/; the exit code is 1 and nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden import assert_golden
from tests.helpers import SAMPLE, run

FIXTURES = Path("tests/fixtures")
LEDGERS = sorted((FIXTURES / "broken_ledger").iterdir())
PARTICIPANTS = sorted((FIXTURES / "broken_participants").glob("*.yaml"))
COMMITMENTS = sorted(p for p in (FIXTURES / "broken_commitments").iterdir() if p.is_dir())
REPORTING = sorted((FIXTURES / "broken_reporting").iterdir())


def compliance(tmp_path: Path, **files: Path):
    paths = {
        "commitments": SAMPLE / "engagements",
        "ledger": SAMPLE / "heures.csv",
        "participants": SAMPLE / "participants.yaml",
        **files,
    }
    args = [f"--{key}={value}" for key, value in paths.items()]
    return run(*["compliance", str(SAMPLE / "operation.yaml"), *args, "-o", str(tmp_path / "out")])


@pytest.mark.parametrize("reporting", REPORTING, ids=lambda p: p.stem)
def test_each_broken_reporting_file(reporting, tmp_path):
    result = compliance(tmp_path, reporting=reporting)
    check(result, tmp_path, f"errors/reporting/{reporting.stem}.txt")


def check(result, tmp_path: Path, golden: str) -> None:
    assert (result.exit_code, result.stdout) == (1, "")
    assert not (tmp_path / "out").exists()
    assert_golden(result.stderr, golden)


@pytest.mark.parametrize("ledger", LEDGERS, ids=lambda p: p.stem)
def test_each_broken_ledger(ledger, tmp_path):
    check(compliance(tmp_path, ledger=ledger), tmp_path, f"errors/ledger/{ledger.stem}.txt")


@pytest.mark.parametrize("participants", PARTICIPANTS, ids=lambda p: p.stem)
def test_each_broken_participants_file(participants, tmp_path):
    result = compliance(tmp_path, participants=participants)
    check(result, tmp_path, f"errors/participants/{participants.stem}.txt")


@pytest.mark.parametrize("folder", COMMITMENTS, ids=lambda p: p.name)
def test_each_broken_commitments_folder(folder, tmp_path):
    check(
        compliance(tmp_path, commitments=folder), tmp_path, f"errors/commitments/{folder.name}.txt"
    )


def test_the_operation_needs_an_execution_period(tmp_path):
    operation = tmp_path / "operation.yaml"
    text = (SAMPLE / "operation.yaml").read_text(encoding="utf-8")
    operation.write_text(text.replace("execution:\n  debut: 2027-01-04\n  fin: 2028-06-30\n", ""))
    result = run(
        *[
            "balance",
            str(operation),
            f"--ledger={SAMPLE / 'heures.csv'}",
            f"--participants={SAMPLE / 'participants.yaml'}",
            "-o",
            str(tmp_path / "out"),
        ],
    )
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {operation}: execution: the execution period is needed to follow the hours; "
        "add execution: {debut: YYYY-MM-DD, fin: YYYY-MM-DD}.\n"
    )


def test_a_commitment_form_for_a_lot_without_clause(tmp_path):
    result = run(*["commitment", str(SAMPLE / "operation.yaml"), "--lot", "7", "-o", str(tmp_path)])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {SAMPLE / 'operation.yaml'}: lot 7 carries no insertion clause (choix de "
        "l’acheteur), so it has no commitment form.\n"
    )


def test_a_company_file_for_another_lot(tmp_path):
    company = SAMPLE / "engagements" / "lot-04-peintures-audoises.yaml"
    result = run(
        *[
            "commitment",
            str(SAMPLE / "operation.yaml"),
            "--lot",
            "1",
            "--company",
            str(company),
            "-o",
            str(tmp_path),
        ],
    )
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {company}: the company file commits to lot 4, not lot 1; give the lot of the "
        "file (--lot) or the file of the lot.\n"
    )


def test_an_unknown_participant_asked_for(tmp_path):
    result = run(
        *[
            "balance",
            str(SAMPLE / "operation.yaml"),
            f"--ledger={SAMPLE / 'heures.csv'}",
            f"--participants={SAMPLE / 'participants.yaml'}",
            "--participant",
            "P42",
            "-o",
            str(tmp_path / "out"),
        ],
    )
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {SAMPLE / 'participants.yaml'}: no participant 'P42'; give --participant one "
        "of the ids in this file.\n"
    )


def test_cells_repeated_on_several_rows_are_reported_on_each(tmp_path):
    """A ledger's repeated cells are validated once, yet every row gets its own problems."""
    header = (SAMPLE / "heures.csv").read_text("utf-8").splitlines()[0]
    company = "Bâti Sud Construction;81234567600017"
    ledger = tmp_path / "heures.csv"
    rows = [
        f"P01;1;{company};2027-13;embauche_directe;;40;",
        f"P01;1;{company};2027-01;embauche_directe;;40;",
        f"P03;1;{company};2027-13;embauche_directe;;40;",
        f"P0 1;1;{company};2027-02;embauche_directe;;40;",
        f"P0 1;1;{company};2027-03;embauche_directe;;40;",
    ]
    ledger.write_text("\n".join([header, *rows]) + "\n", "utf-8")
    result = compliance(tmp_path, ledger=ledger)
    assert (result.exit_code, result.stdout) == (1, "")
    located = [line.split(": ")[2] for line in result.stderr.splitlines()]
    assert located == [
        "row 2, column mois",
        "row 4, column mois",
        "row 5, column participant",
        "row 6, column participant",
    ]
