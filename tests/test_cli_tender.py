"""`clausegen tender` and `clausegen fragments`: exact output, exit codes, files written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.golden import assert_golden
from tests.helpers import OPERATION, run


def test_tender_writes_two_documents_and_their_manifests(tmp_path):
    outdir = tmp_path / "dce"
    result = run("tender", OPERATION, "-o", str(outdir))
    assert result.exit_code == 0
    assert result.stdout == (
        f"Law as of 2026-09-15 (launch date); 4 files in {outdir}:\n"
        "  ccap-clause-insertion.docx\n"
        "  ccap-clause-insertion.manifest.json\n"
        "  rc-clause-insertion.docx\n"
        "  rc-clause-insertion.manifest.json\n"
    )
    # Lot 7 is excluded under a recorded derogation: no warning, only the unverified versions.
    assert result.stderr.startswith("Ces documents reposent sur")
    assert sorted(p.name for p in outdir.iterdir()) == [
        "ccap-clause-insertion.docx",
        "ccap-clause-insertion.manifest.json",
        "rc-clause-insertion.docx",
        "rc-clause-insertion.manifest.json",
    ]


def test_tender_into_a_file_instead_of_a_folder(tmp_path):
    target = tmp_path / "dce"
    target.write_text("x", encoding="utf-8")
    result = run("tender", OPERATION, "-o", str(target))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"Error: {target}: is a file; give a folder for the documents (-o).\n")


def test_tender_without_a_retained_lot_writes_nothing(tmp_path):
    path = Path("tests/fixtures/tender/every_lot_excluded.yaml")
    outdir = tmp_path / "dce"
    result = run("tender", str(path), "-o", str(outdir))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {path}: no lot carries the clause (every lot is excluded), so there is no "
        "clause to put in the tender file; include at least one lot.\n"
    )
    assert not outdir.exists()


def test_joint_reservation_before_the_asap_law(tmp_path):
    path = Path("tests/fixtures/tender/joint_reservation_in_2019.yaml")
    result = run("tender", str(path), "-o", str(tmp_path / "dce"))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {path}: clause.reservation.beneficiaires: a contract launched on 2019-06-03 "
        "cannot be reserved to EA/ESAT and SIAE together; that is possible for consultations "
        "launched from 2020-12-09 (marche_reserve.reservation_conjointe_autorisee). Choose "
        "ea_esat or siae.\n"
    )
    assert not (tmp_path / "dce").exists()


@pytest.mark.parametrize(
    ("args", "golden"),
    [
        (("fragments", "list"), "list.txt"),
        (("fragments", "list", "--at", "2019-03-15"), "list-2019-03-15.txt"),
        (("fragments", "show", "ccap.fondement.marche_reserve", "--at", "2021-06-01"), "show.txt"),
        (
            ("fragments", "diff", "ccap.fondement.condition_execution", "2019-03-15", "2021-06-01"),
            "diff-2019-2021.txt",
        ),
        (
            ("fragments", "diff", "ccap.fondement.condition_execution", "2026-08-20", "2026-08-21"),
            "diff-l2112-2-1.txt",
        ),
    ],
)
def test_fragments_commands(args, golden):
    result = run(*args)
    assert (result.exit_code, result.stderr) == (0, "")
    assert_golden(result.stdout, f"fragments/{golden}")


def test_diff_of_the_same_version():
    result = run("fragments", "diff", "ccap.lots", "2021-06-01", "2026-09-15")
    assert result.stdout == (
        "ccap.lots@2016-04-01 is in force on both 2021-06-01 and 2026-09-15; "
        "there is no difference.\n"
    )


def test_unknown_fragment_and_date_before_the_first_version():
    unknown = run("fragments", "show", "clause.penalite")
    assert (unknown.exit_code, unknown.stderr) == (
        1,
        "Error: No fragment 'clause.penalite' exists under legal_fragments/fragments. "
        "Did you mean: clause.penalites?\n",
    )
    early = run("fragments", "show", "ccap.lots", "--at", "2015-01-01")
    assert early.exit_code == 1
    assert early.stderr.startswith("Error: Fragment 'ccap.lots' has no version in force on ")


def test_a_badly_written_date_is_a_usage_error():
    result = run("fragments", "list", "--at", "15/09/2026")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--at': '15/09/2026' is not a date written YYYY-MM-DD "
        "(like 2027-03-15)."
    )


def test_separate_processes_give_identical_bytes(tmp_path):
    """Not only twice in one process: hash seeds and start-up state do not leak into files."""

    outputs = []
    for seed in ("1", "2"):
        outdir = tmp_path / f"run-{seed}"
        subprocess.run(
            [sys.executable, "-m", "clausegen", "tender", OPERATION, "-o", str(outdir)],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.append({p.name: p.read_bytes() for p in sorted(outdir.iterdir())})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 4
