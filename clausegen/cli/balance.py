"""``clausegen balance``: each participant's end-of-mission balance, in a batch."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from multiprocessing.pool import Pool
from pathlib import Path

import click

from clausegen.cli.delivery import Delivery, delivery_options
from clausegen.cli.options import ISO_DATE, LEDGER, PARTICIPANTS, Bounded, about, day, sized
from clausegen.cli.produce import BalanceMaker, SpooledBalance, rows_by_participant
from clausegen.documents.balance import balance_stem, exit_after, exit_to_record, missing_tutor
from clausegen.documents.fragments import load_fragments
from clausegen.documents.manifest import input_digests
from clausegen.errors import (
    BalanceFailuresError,
    ClausegenError,
    InputError,
    Interrupted,
    OutputError,
    Problem,
    escaped,
)
from clausegen.execution.commitments import load_commitments
from clausegen.execution.participants import SpooledParticipant
from clausegen.execution.reconciliation import default_closing_date
from clausegen.execution.records import execution_period, load_spooled_records
from clausegen.execution.spool import Spool, Spooled
from clausegen.render.batch import BatchJob, batch_workers, run_batch
from clausegen.render.outputs import OutputFile, OutputFolder, folder_wide, place, staged_name
from clausegen.render.pdf_outputs import docx_only, with_pdfs
from clausegen.workers import default_jobs

JOBS_MAX = 256
"""--jobs' upper bound."""


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
    type=Bounded("a number of processes", 1, JOBS_MAX),
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
    execution_period(loaded, operation)
    engagements = load_commitments(commitments, calibration) if commitments else None
    files = [operation, *(item.path for item in engagements or ()), ledger, participants_file]
    with about(operation):
        maker = BalanceMaker(
            loaded,
            input_digests(*files),
            load_fragments(),
            delivery.templates,
            engagements=[item.engagement for item in engagements or ()],
        )
    delivery.check(maker.unverified)
    workers = 1 if participant_id is not None else jobs or default_jobs()
    with Spool() as spool, OutputFolder(delivery.outdir) as out:
        spooled = _SpooledBalances(maker, spool, participants_file, commitments)
        job = BatchJob(render=spooled.render, notes=spooled.notes, staging=out.area())
        with batch_workers(job, workers) as pool:  # before the input: see render.batch
            data = load_spooled_records(
                loaded,
                operation,
                calibration,
                parameters,
                spool,
                pool,
                ledger=ledger,
                participants_file=participants_file,
                engagements=engagements,
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
            rows = rows_by_participant(data.registre, closing)
            records = {
                key: SpooledBalance(person.where, tuple(rows.get(key, ())), closing)
                for key, person in people.items()
            }
            del data, rows  # the records hold what the balances need
            run = _BalanceRun(delivery.outdir, list(people))
            try:
                run.render_and_write(job, records, out, spool, pool, quiet)
            except KeyboardInterrupt:
                raise Interrupted(written=run.written_line(delivery)) from None
        warnings = run.warnings(spool)
    try:
        paths = run.paths()
        pdf_error = run.convert(delivery) if delivery.soffice is not None and paths else None
    except KeyboardInterrupt:
        raise Interrupted(written=run.written_line(delivery)) from None
    click.echo(run.report(delivery))
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    keys = run.keys
    if run.failures or run.stopped is not None:
        raise BalanceFailuresError(
            failures=[
                (k, f"{balance_stem(k)}.docx", run.failures[k]) for k in keys if k in run.failures
            ],
            total=len(keys),
            pdf_error=pdf_error,
            stopped=run.stopped,
            written=len(run.written),
        )
    if pdf_error is not None:
        raise pdf_error


def _chosen(
    people: dict[str, SpooledParticipant], participant_id: str | None, participants_file: Path
) -> dict[str, SpooledParticipant]:
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


@dataclass(frozen=True)
class _SpooledBalances:
    """Each balance made, and its warnings found, in the process that renders it, from the
    participant read back from the spool."""

    maker: BalanceMaker
    spool: Spool
    participants_file: Path
    commitments: Path | None

    @cached_property
    def participants_name(self) -> str:
        """The participants file as the warnings quote it (``escaped``), made once a run."""
        return escaped(str(self.participants_file))

    @cached_property
    def commitments_name(self) -> str:
        return escaped(str(self.commitments))

    def render(self, record: SpooledBalance) -> list[OutputFile]:
        return self.maker.render(record.record(self.spool))

    def notes(self, record: SpooledBalance) -> tuple[str, ...]:
        """Direct hires no tutor follows; contracts over with no exit recorded; exits after
        the closing date. By id, never by name: the terminal and its logs are not the
        balance."""
        person = self.spool.get(record.where)
        warnings = []
        missing = missing_tutor(person, record.rows, self.maker.engagements)
        if missing is not None:
            lots = ", ".join(str(lot) for lot in missing.lots)
            elsewhere = (
                f"or tuteur in the commitment of lot {lots} in {self.commitments_name}"
                if self.commitments is not None
                else "or pass --commitments with the company's commitment naming its tuteur"
            )
            warnings.append(
                f"[tuteur] Participant {person.id} is a direct hire (embauche_directe) and no "
                f"tutor is named: fill tuteur for {person.id} in {self.participants_name}, "
                f"{elsewhere}."
            )
        ended = exit_to_record(person, record.arrete_au)
        if ended is not None:
            warnings.append(
                f"[sortie] Participant {person.id}: the contract ended on {ended.isoformat()} "
                f"and no exit is recorded: fill sortie (type, date) for {person.id} in "
                f"{self.participants_name}."
            )
        later = exit_after(person, record.arrete_au)
        if later is not None:
            warnings.append(
                f"[sortie] Participant {person.id}: the exit (sortie) is dated "
                f"{later.isoformat()}, after the balance's closing date "
                f"{record.arrete_au.isoformat()}: the balance does not state it; pass "
                f"--period-end {later.isoformat()} or later for a balance that does."
            )
        return tuple(warnings)


class _BalanceRun:
    """What a balance run wrote: each record's files as they come, its failures, and what
    stopped it (a full disk) if anything did; then its PDFs."""

    def __init__(self, outdir: Path, keys: list[str]) -> None:
        self.outdir = outdir
        self.keys = keys
        self.written: dict[str, tuple[str, ...]] = {}
        """Each balance's files, by name, once committed."""
        self.failures: dict[str, str] = {}
        self.stopped: OutputError | None = None
        self.notes: dict[str, Spooled] = {}
        """Each balance's warnings, kept on disk until they are printed (``Spool``)."""
        self.pdfs: list[Path] | None = None

    def render_and_write(
        self,
        job: BatchJob[SpooledBalance],
        records: dict[str, SpooledBalance],
        out: OutputFolder,
        spool: Spool,
        pool: Pool | None,
        quiet: bool,
    ) -> None:
        """Each balance committed as soon as it is written (its DOCX and manifest, all or
        none, by the process that rendered it); a failure that would hit every later balance
        (a full disk) stops the run."""
        outcomes = run_batch(job, records, pool)
        with closing(outcomes), _progress(len(self.keys), quiet, "Balances") as advance:
            for done in outcomes:
                advance()
                if done.notes:
                    self.notes[done.key] = spool.put(done.notes)
                if done.stops:
                    self.stopped = done.write_error
                    return
                if done.failure is not None:
                    self.failures[done.key] = done.failure
                    continue
                out.take(done.staged)
                try:
                    out.commit()
                    # names apart from the paths: a path's parts are interned, and 20 000
                    # of them kept would keep Python's table of interned strings that large
                    self.written[done.key] = tuple(map(staged_name, done.staged))
                except OutputError as error:
                    out.discard()
                    if folder_wide(error):
                        self.stopped = error
                        return
                    self.failures[done.key] = str(error)

    def warnings(self, spool: Spool) -> list[str]:
        """The warnings of the balances made, in the participants' order."""
        return [
            note for key in self.keys if key in self.notes for note in spool.get(self.notes[key])
        ]

    def paths(self) -> list[Path]:
        """The files written, in the participants' order."""
        return [self.outdir / name for key in self.keys for name in self.written.get(key, ())]

    def convert(self, delivery: Delivery) -> ClausegenError | None:
        """The written balances as PDF, each moved into place as soon as it is made."""
        assert delivery.soffice is not None
        self.pdfs = []
        pdfs = self.pdfs

        def store(pdf: Path) -> Path:
            pdfs.append(place(pdf, self.outdir))
            return pdfs[-1]

        documents = docx_only(self.paths())
        try:
            conversion = delivery.converter().convert(
                documents, store=store, timeout=delivery.timeout, profile=delivery.profile
            )
        except OutputError as error:
            return error.then(
                f"{len(pdfs)} of {len(documents)} PDFs are written; the others are not."
            )
        return conversion.error

    def _balances(self) -> str:
        count = len(self.written)
        balances = "end-of-mission balance" if count == 1 else "end-of-mission balances"
        if self.pdfs is None:
            return f"{count} {balances} and their manifests"
        if len(self.pdfs) == count:
            return f"{count} {balances} and their manifests and PDFs"
        return f"{count} {balances} and their manifests, and {len(self.pdfs)} of their PDFs,"

    def report(self, delivery: Delivery) -> str:
        """What was written: the files of a single balance, else a count."""
        if len(self.keys) == 1 and self.written:
            paths = with_pdfs(self.paths(), self.pdfs or [])
            listing = "".join(f"\n  {path.name}" for path in paths)
            return (
                f"End-of-mission balance of {self.keys[0]}.\n"
                f"{len(paths)} files in {escaped(str(delivery.outdir))}:{listing}"
            )
        if not self.written:
            return "No end-of-mission balance was written."
        return f"{self._balances()} in {escaped(str(delivery.outdir))}."

    def written_line(self, delivery: Delivery) -> str:
        """What was on disk when Ctrl-C came."""
        if not self.written:
            return "nothing was written."
        complete = len(self.written) == len(self.keys) and (
            self.pdfs is None or len(self.pdfs) == len(self.keys)
        )
        rest = "" if complete else "; the others were not"
        return f"{self._balances()} were written in {escaped(str(delivery.outdir))}{rest}."


@contextmanager
def _progress(total: int, quiet: bool, label: str) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr when it is a terminal (not with --quiet): call to advance."""
    if quiet or total < 2 or not sys.stderr.isatty():
        yield lambda: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield lambda: bar.update(1)
