"""``clausegen balance``: each participant's end-of-mission balance, in a batch."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from clausegen.cli.delivery import Delivery, delivery_options
from clausegen.cli.options import LEDGER, PARTICIPANTS, about, sized
from clausegen.cli.produce import Balances
from clausegen.documents.balance import balance_stem
from clausegen.documents.fragments import load_fragments
from clausegen.documents.manifest import input_digests
from clausegen.errors import (
    BalanceFailuresError,
    InputError,
    Problem,
)
from clausegen.execution.participants import Participant
from clausegen.execution.records import load_execution_records
from clausegen.render.batch import BatchJob, default_jobs, run_batch
from clausegen.render.outputs import ensure_folder
from clausegen.render.pdf_outputs import with_pdfs


@click.command("balance")
@click.argument("operation", type=click.Path(path_type=Path))
@LEDGER
@PARTICIPANTS
@click.option("--participant", "participant_id", help="Only this participant's balance (its id).")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Processes rendering balances at once (default: the number of cores).",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@delivery_options
def balance_command(
    operation: Path,
    ledger: Path,
    participants_file: Path,
    participant_id: str | None,
    jobs: int | None,
    quiet: bool,
    delivery: Delivery,
) -> None:
    """Write the end-of-mission balance of each participant (or of one) of OPERATION.

    Eligibility, employer and modality, contract, job, hours by month, trainings, skills,
    exit and the facilitator's observations. These documents hold personal data.
    Balances are written one by one as they are rendered, by several processes; one that
    fails is reported and the others are written (exit code 1).
    """
    loaded, parameters, calibration = sized(operation)
    data = load_execution_records(
        loaded,
        operation,
        calibration,
        parameters,
        ledger=ledger,
        participants_file=participants_file,
    )
    people = _chosen(data.participants, participant_id, participants_file)
    inputs = input_digests(operation, ledger, participants_file)
    with about(operation):
        balances = Balances(loaded, data.registre, inputs, load_fragments(), delivery.templates)
    delivery.check(balances.unverified)
    ensure_folder(delivery.outdir)
    keys = list(people)
    job = BatchJob(records=people, render=balances, outdir=delivery.outdir)
    written, failures = _run(job, keys, jobs or default_jobs(), quiet)
    paths = [path for key in keys for path in written.get(key, ())]
    pdf_error = None
    if delivery.soffice is not None and paths:
        pdfs, pdf_error = delivery.convert(paths)
        paths = with_pdfs(paths, pdfs)
    _report(delivery, keys, written, paths, failed=bool(failures))
    if failures:
        raise BalanceFailuresError(
            failures=[(k, f"{balance_stem(k)}.docx", failures[k]) for k in keys if k in failures],
            total=len(keys),
            pdf_error=pdf_error,
        )
    if pdf_error is not None:
        raise pdf_error


def _chosen(
    people: dict[str, Participant], participant_id: str | None, participants_file: Path
) -> dict[str, Participant]:
    """Every participant, or only the one ``--participant`` names."""
    if participant_id is None:
        return people
    if participant_id not in people:
        raise InputError(
            path=participants_file,
            problems=[
                Problem(
                    "",
                    f"no participant '{participant_id}'; give --participant one "
                    "of the ids in this file.",
                )
            ],
        )
    return {participant_id: people[participant_id]}


def _run(
    job: BatchJob[Participant], keys: list[str], jobs: int, quiet: bool
) -> tuple[dict[str, tuple[Path, ...]], dict[str, str]]:
    """The files written for each participant, and why each failed one failed."""
    written: dict[str, tuple[Path, ...]] = {}
    failures: dict[str, str] = {}
    with _progress(len(keys), quiet, "Balances") as advance:
        for done in run_batch(job, keys, jobs):
            advance()
            if done.failure is None:
                written[done.key] = done.written
            else:
                failures[done.key] = done.failure
    return written, failures


def _report(
    delivery: Delivery,
    keys: list[str],
    written: dict[str, tuple[Path, ...]],
    paths: list[Path],
    *,
    failed: bool,
) -> None:
    """What was written: the files of a single balance, else a count."""
    if len(keys) == 1 and not failed:
        click.echo(f"End-of-mission balance of {keys[0]}.")
        click.echo(f"{len(paths)} files in {delivery.outdir}:")
        for path in paths:
            click.echo(f"  {path.name}")
    else:
        what = "their manifests and PDFs" if delivery.soffice else "their manifests"
        click.echo(f"{len(written)} end-of-mission balances and {what} in {delivery.outdir}.")


@contextmanager
def _progress(total: int, quiet: bool, label: str) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr when it is a terminal (not with --quiet): call to advance."""
    if quiet or total < 2 or not sys.stderr.isatty():
        yield lambda: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield lambda: bar.update(1)
