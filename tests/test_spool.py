"""Validated records kept on disk for a run (``Spool``), and the participants a batch of
balances validates on its workers and keeps there (``spool_participants``)."""

from __future__ import annotations

import json
import os
import pickle
import stat
import tempfile
from pathlib import Path

import pytest
import yaml

from clausegen.cli.options import sized
from clausegen.errors import InputError
from clausegen.execution.commitments import load_commitments
from clausegen.execution.participants import load_participants, spool_participants
from clausegen.execution.records import load_execution_records, load_spooled_records
from clausegen.execution.spool import Spool
from clausegen.workers import map_in_order, worker_pool
from tests.helpers import FOLLOW_UP, OPERATION, SAMPLE, run

PARTICIPANTS = SAMPLE / "participants.yaml"


def _put_in_worker(task: tuple[Spool, str]) -> object:
    spool, text = task
    return spool.put({"from": os.getpid(), "text": text})


def _get_in_worker(task: tuple[Spool, object]) -> object:
    spool, where = task
    return spool.get(where)  # type: ignore[arg-type]


def test_records_put_by_workers_are_read_back_by_the_command_and_the_reverse():
    with Spool() as spool:
        mine = [spool.put(("parent", number)) for number in range(3)]
        with worker_pool(2) as pool:
            theirs = list(map_in_order(_put_in_worker, [(spool, t) for t in "abcdef"], pool))
            read = list(map_in_order(_get_in_worker, [(spool, w) for w in mine], pool))
        assert read == [("parent", 0), ("parent", 1), ("parent", 2)]
        records = [spool.get(where) for where in theirs]
        assert [record["text"] for record in records] == list("abcdef")
        assert {record["from"] for record in records} - {os.getpid()}  # written by workers
        assert len({where.file for where in theirs}) >= 1
        assert all(where.file != mine[0].file for where in theirs)  # each its own file


def test_the_folder_is_private_and_removed_on_leaving_even_on_an_error():
    with pytest.raises(RuntimeError), Spool() as spool:
        folder = spool.folder
        spool.put("personal data")
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in folder.iterdir())
        raise RuntimeError
    assert not folder.exists()


def test_a_view_of_the_spool_in_another_process_never_removes_it():
    with Spool() as spool:
        view = pickle.loads(pickle.dumps(spool))
        assert view.folder == spool.folder
        where = spool.put("kept")
        view.close()  # not the owner: nothing removed
        assert spool.get(where) == "kept"
        assert spool.folder.exists()


def test_two_views_in_one_process_append_in_turn():
    with Spool() as spool:
        view = pickle.loads(pickle.dumps(spool))
        first = spool.put("one")
        second = view.put("two" * 100)
        third = spool.put("three")
        assert [spool.get(w) for w in (first, second, third)] == ["one", "two" * 100, "three"]


@pytest.mark.parametrize("workers", [1, 2])
def test_spooled_participants_are_the_participants(workers):
    expected = load_participants(PARTICIPANTS)
    with Spool() as spool:
        if workers == 1:
            spooled = spool_participants(PARTICIPANTS, spool, None)
        else:
            with worker_pool(workers) as pool:
                spooled = spool_participants(PARTICIPANTS, spool, pool)
        assert list(spooled) == list(expected)
        for key, person in spooled.items():
            assert person.date_validation == expected[key].date_validation
            assert spool.get(person.where) == expected[key]


def _problems(path: Path, spooled: bool) -> list[str]:
    with pytest.raises(InputError) as raised:
        if spooled:
            with Spool() as spool, worker_pool(2) as pool:
                spool_participants(path, spool, pool)
        else:
            load_participants(path)
    return raised.value.messages()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda people: people[7].update(sexe="X"), id="a bad value"),
        pytest.param(lambda people: people[9].update(id=people[2]["id"]), id="an id twice"),
        pytest.param(lambda people: people[12].pop("contrat"), id="a missing field"),
    ],
)
def test_a_broken_entry_gives_the_problems_reading_the_file_whole_gives(tmp_path, change):
    data = yaml.safe_load(PARTICIPANTS.read_text("utf-8"))
    change(data["participants"])
    broken = tmp_path / "participants.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    whole = _problems(broken, spooled=False)
    assert whole
    assert _problems(broken, spooled=True) == whole


def test_a_json_participants_file_is_read_whole_and_spooled(tmp_path):
    data = yaml.safe_load(PARTICIPANTS.read_text("utf-8"))
    as_json = tmp_path / "participants.json"
    as_json.write_text(json.dumps(data, default=str), "utf-8")
    with Spool() as spool:
        spooled = spool_participants(as_json, spool, None)
        assert list(spooled) == list(load_participants(PARTICIPANTS))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_balance_run_leaves_no_spool_behind(tmp_path, monkeypatch, jobs):
    """Done, or stopped by an input error: the temporary folder holding the participants is
    gone either way."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    done = run("balance", OPERATION, *FOLLOW_UP, "--jobs", jobs, "-o", tmp_path / "b")
    assert done.exit_code == 0, done.output
    assert list(temporary.iterdir()) == []
    broken = tmp_path / "heures.csv"
    rows = (SAMPLE / "heures.csv").read_text("utf-8").splitlines()
    broken.write_text("\n".join([rows[0], rows[1].replace("2027-", "1999-", 1), *rows[2:]]))
    failed = run(
        "balance",
        OPERATION,
        f"--ledger={broken}",
        f"--participants={PARTICIPANTS}",
        "--jobs",
        jobs,
        "-o",
        tmp_path / "c",
    )
    assert failed.exit_code == 1 and "Traceback" not in failed.output, failed.output
    assert list(temporary.iterdir()) == []
    assert not (tmp_path / "c").exists()


def test_warnings_and_documents_are_the_same_with_one_or_two_workers(tmp_path):
    one = run("balance", OPERATION, *FOLLOW_UP, "--jobs", "1", "-o", tmp_path / "one")
    two = run("balance", OPERATION, *FOLLOW_UP, "--jobs", "2", "-o", tmp_path / "two")
    assert (one.exit_code, two.exit_code) == (0, 0)
    assert "Warning:" in one.stderr
    assert two.stderr == one.stderr.replace(str(tmp_path / "one"), str(tmp_path / "two"))
    docx = sorted(p.name for p in (tmp_path / "one").glob("*.docx"))
    assert docx == sorted(p.name for p in (tmp_path / "two").glob("*.docx"))
    for name in docx:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


BROKEN_LEDGERS = sorted(Path("tests/fixtures/broken_ledger").iterdir())


def _loading_problems(ledger: Path, participants: Path, *, spooled: bool) -> list[str]:
    """The problems loading the sample's follow-up with ``ledger`` and ``participants``
    gives: read in this process, or as a batch does (the participants validated and
    spooled by two workers)."""
    operation, parameters, calibration = sized(OPERATION)
    commitments = load_commitments(SAMPLE / "engagements", calibration)
    with pytest.raises(InputError) as raised:
        if spooled:
            with Spool() as spool, worker_pool(2) as pool:
                load_spooled_records(
                    operation,
                    OPERATION,
                    calibration,
                    parameters,
                    spool,
                    pool,
                    ledger=ledger,
                    participants_file=participants,
                    engagements=commitments,
                )
        else:
            load_execution_records(
                operation,
                OPERATION,
                calibration,
                parameters,
                ledger=ledger,
                participants_file=participants,
                commitments=SAMPLE / "engagements",
            )
    return [str(raised.value.path), *raised.value.messages()]


@pytest.mark.parametrize("ledger", BROKEN_LEDGERS, ids=lambda p: p.stem)
def test_a_batch_loading_gives_the_same_problems(ledger):
    """Every broken ledger: the same problems, in the same order, as loading in this
    process."""
    serial = _loading_problems(ledger, PARTICIPANTS, spooled=False)
    assert serial[0] == str(ledger)
    assert _loading_problems(ledger, PARTICIPANTS, spooled=True) == serial


@pytest.mark.parametrize("ledger", ["missing_and_unknown_columns.csv", "unknown_participant.csv"])
def test_the_participants_problem_comes_first_even_when_the_ledger_has_one(ledger, tmp_path):
    data = yaml.safe_load(PARTICIPANTS.read_text("utf-8"))
    data["participants"][3]["sexe"] = "X"
    broken = tmp_path / "participants.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    path = Path("tests/fixtures/broken_ledger") / ledger
    serial = _loading_problems(path, broken, spooled=False)
    assert serial[0] == str(broken)
    assert _loading_problems(path, broken, spooled=True) == serial


def test_rows_left_out_for_their_participant_are_not_counted_together(tmp_path):
    """Two identical rows of an unknown person: two unknown participants, no repeated row
    (rows are taken together once each is valid)."""
    rows = (SAMPLE / "heures.csv").read_text("utf-8").splitlines()
    first = rows[1].split(";")
    first[0] = "INCONNU"
    ledger = tmp_path / "heures.csv"
    ledger.write_text("\n".join([rows[0], ";".join(first), ";".join(first), *rows[2:]]) + "\n")
    problems = _loading_problems(ledger, PARTICIPANTS, spooled=True)
    assert problems == _loading_problems(ledger, PARTICIPANTS, spooled=False)
    assert sum("no participant 'INCONNU'" in p for p in problems) == 2
    assert not any("same participant, lot" in p for p in problems)
