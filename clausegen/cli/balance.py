"""``clausegen balance``: each participant's end-of-mission balance, in a batch."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import click

from clausegen.cli.delivery import Delivery, delivery_options
from clausegen.cli.options import ISO_DATE, LEDGER, PARTICIPANTS, about, day, sized
from clausegen.cli.produce import Balances
from clausegen.documents.balance import balance_stem, exit_to_record, missing_tutor
from clausegen.documents.fragments import load_fragments
from clausegen.documents.manifest import input_digests
from clausegen.errors import (
    BalanceFailuresError,
    InputError,
    Problem,
)
from clausegen.execution.participants import Participant
from clausegen.execution.reconciliation import default_closing_date
from clausegen.execution.records import load_execution_records
from clausegen.render.batch import BatchJob, default_jobs, run_batch
from clausegen.render.outputs import ensure_folder
from clausegen.render.pdf_outputs import with_pdfs


@click.command("balance")
@click.argument("operation", type=click.Path(path_type=Path))
@LEDGER
@PARTICIPANTS
@click.option(
    "--commitments",
    type=click.Path(path_type=Path),
    help="The folder of commitment files: the tutor and référent of a participant whose "
    "record names none.",
)
@click.option(
    "--period-end",
    type=ISO_DATE,
    help="State each balance as of this date (YYYY-MM-DD): hours up to it, and the "
    "situation of those with no exit; default: the ledger's last month.",
)
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
    commitments: Path | None,
    period_end: datetime | None,
    participant_id: str | None,
    jobs: int | None,
    quiet: bool,
    delivery: Delivery,
) -> None:
    """Write the end-of-mission balance of each participant (or of one) of OPERATION.

    Eligibility, contract and job, tasks entrusted, hours by month, trainings, savoir-être
    and savoir-faire with their progress, the remarks of the tutor, the company référent
    and the facilitator, the outcome and the next steps. These documents hold personal
    data. Balances are written one by one as they are rendered, by several processes; one
    that fails is reported and the others are written (exit code 1).
    """
    loaded, parameters, calibration = sized(operation)
    data = load_execution_records(
        loaded,
        operation,
        calibration,
        parameters,
        ledger=ledger,
        participants_file=participants_file,
        commitments=commitments,
    )
    assert loaded.execution is not None
    closing = day(period_end) or default_closing_date(data.registre, loaded.execution)
    if closing < loaded.execution.debut:
        raise click.BadParameter(
            f"{closing.isoformat()} is before execution starts "
            f"({loaded.execution.debut.isoformat()}).",
            param_hint="--period-end",
        )
    people = _chosen(data.participants, participant_id, participants_file)
    engagements = [item.engagement for item in data.engagements or ()]
    files = [operation, *(item.path for item in data.engagements or ()), ledger]
    inputs = input_digests(*files, participants_file)
    with about(operation):
        balances = Balances(
            loaded,
            data.registre,
            inputs,
            load_fragments(),
            delivery.templates,
            arrete_au=closing,
            engagements=engagements,
        )
    delivery.check(balances.unverified)
    warnings = _warnings(people, balances, closing, participants_file, commitments)
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
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
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


def _warnings(
    people: dict[str, Participant],
    balances: Balances,
    closing: date,
    participants_file: Path,
    commitments: Path | None,
) -> list[str]:
    """Direct hires no tutor follows; contracts over with no exit recorded. By id, never
    by name: the terminal and its logs are not the balance."""
    warnings = []
    for person in people.values():
        rows = balances.rows.get(person.id, [])
        missing = missing_tutor(person, rows, balances.engagements)
        if missing is not None:
            lots = ", ".join(str(lot) for lot in missing.lots)
            elsewhere = (
                f"or tuteur in the commitment of lot {lots} in {commitments}"
                if commitments is not None
                else "or pass --commitments with the company's commitment naming its tuteur"
            )
            warnings.append(
                f"[tuteur] Participant {person.id} is a direct hire (embauche_directe) and no "
                f"tutor is named: fill tuteur for {person.id} in {participants_file}, "
                f"{elsewhere}."
            )
        ended = exit_to_record(person, closing)
        if ended is not None:
            warnings.append(
                f"[sortie] Participant {person.id}: the contract ended on {ended.isoformat()} "
                f"and no exit is recorded: fill sortie (type, date) for {person.id} in "
                f"{participants_file}."
            )
    return warnings


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
