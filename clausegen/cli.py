"""The ``clausegen`` command line: the only module that prints or exits.

Exit codes: 0 done; 1 a ``ClausegenError`` (one ``Error: …`` line per problem on stderr);
2 a usage error (click's own).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import click

from clausegen.calibrage import Calibrage, calibrate
from clausegen.engagements import load_engagement
from clausegen.errors import (
    CalibrageError,
    ClausegenError,
    CompositionError,
    FragmentNotInForceError,
    InputError,
    ParameterNotInForceError,
    PdfConversionError,
    Problem,
)
from clausegen.fragments import load_fragments
from clausegen.loading import load_operation
from clausegen.model import Operation
from clausegen.parameters import ParameterSet, load_parameters
from clausegen.reconcile import default_closing_date, reconcile
from clausegen.render.batch import BatchJob, default_jobs, run_batch
from clausegen.render.documents import input_digests
from clausegen.render.execution import (
    BalanceRenderer,
    CommitmentRenderer,
    balance_stem,
    render_compliance,
)
from clausegen.render.libreoffice import (
    DEFAULT_TIMEOUT,
    convert_to_pdf,
    find_soffice,
)
from clausegen.render.outputs import OutputFile, ensure_folder, write_outputs
from clausegen.render.pdf_outputs import docx_only, with_pdfs
from clausegen.render.template_lint import lint_template
from clausegen.render.templates import KIND_FILES, TEMPLATE_KINDS, TemplateSet, kind_of
from clausegen.render.tender import render_tender
from clausegen.render.tender_annex import TenderPdf, blank_forms, convert_tender
from clausegen.suivi import load_suivi
from clausegen.views.calibrage_csv import calibrage_csv
from clausegen.views.calibrage_json import calibrage_json
from clausegen.views.calibrage_table import calibrage_table
from clausegen.views.compliance_table import compliance_table
from clausegen.views.explication import explanation
from clausegen.views.fragments_text import fragment_diff, fragment_list, fragment_show
from clausegen.views.template_context import context_json, context_text


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn clausegen's errors into ``Error:`` lines and exit code 1, in one place."""
    try:
        yield
    except ClausegenError as error:
        for message in error.messages():
            click.echo(f"Error: {message}", err=True)
        raise SystemExit(1) from None


@contextmanager
def _about(path: Path) -> Iterator[None]:
    """Name the operation file in errors the core raises about its content."""
    try:
        yield
    except (
        CalibrageError,
        CompositionError,
        FragmentNotInForceError,
        ParameterNotInForceError,
    ) as error:
        raise InputError(path=path, problems=[Problem("", str(error))]) from error


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        with _user_errors():
            return super().invoke(ctx)


@click.group(cls=_Group)
@click.version_option(version("clausegen"), prog_name="clausegen")
def main() -> None:
    """Size and write French public-procurement social insertion clauses."""


@main.command("calibrate")
@click.argument("operation", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="table for people; json (with the full trace) or csv for scripts.",
)
@click.option(
    "--explain", is_flag=True, help="After the table, every step and parameter, in French."
)
def calibrate_command(operation: Path, output_format: str, explain: bool) -> None:
    """Size the insertion hours of each lot of OPERATION (a .yaml or .json file).

    The law and parameters are those in force at the consultation's launch date.
    """
    if explain and output_format != "table":
        raise click.UsageError(
            "--explain goes with --format table; the JSON output already holds the full trace."
        )
    loaded = load_operation(operation)
    with _about(operation):
        sizing = calibrate(loaded, load_parameters(), loaded.consultation.date_lancement)
    if output_format == "json":
        click.echo(calibrage_json(loaded, sizing))
    elif output_format == "csv":
        click.echo(calibrage_csv(sizing), nl=False)
    else:
        click.echo(calibrage_table(loaded, sizing), nl=False)
        if explain:
            click.echo()
            click.echo(explanation(loaded, sizing), nl=False)


ISO_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


@dataclass(frozen=True)
class _Delivery:
    """Where and how a document command writes: folder, templates, PDF or not."""

    outdir: Path
    templates: TemplateSet
    soffice: str | None
    """LibreOffice, found before anything is rendered when --pdf is asked; else None."""
    timeout: float

    def convert(self, written: list[Path]) -> tuple[list[Path], PdfConversionError | None]:
        """The written documents as PDF, beside them, in one LibreOffice batch."""
        assert self.soffice is not None
        conversion = convert_to_pdf(
            docx_only(written), self.outdir, soffice=self.soffice, timeout=self.timeout
        )
        return conversion.pdfs, conversion.error


def _delivery_options(command: Callable[..., None]) -> Callable[..., None]:
    """-o, --templates, --pdf and --pdf-timeout, passed to ``command`` as ``delivery``."""

    @functools.wraps(command)
    def wrapper(
        *args: Any,
        outdir: Path,
        templates: Path | None,
        pdf: bool,
        pdf_timeout: float,
        **kwargs: Any,
    ) -> None:
        template_set = TemplateSet(templates)
        for path in template_set.unused():
            click.echo(
                f"Warning: [modele] {path} is not used: a template is named after its "
                f"command ({KIND_FILES}).",
                err=True,
            )
        soffice = find_soffice() if pdf else None
        command(*args, delivery=_Delivery(outdir, template_set, soffice, pdf_timeout), **kwargs)

    options = [
        click.option(
            "-o",
            "--output",
            "outdir",
            type=click.Path(path_type=Path),
            required=True,
            help="Folder to write the documents and their manifests into (created if needed).",
        ),
        click.option(
            "--templates",
            type=click.Path(exists=True, file_okay=False, path_type=Path),
            help=f"A folder of the buyer's own templates ({KIND_FILES}); a kind missing "
            "there is taken from clausegen's.",
        ),
        click.option(
            "--pdf",
            is_flag=True,
            help="Also write each document as PDF (headless LibreOffice, one process).",
        ),
        click.option(
            "--pdf-timeout",
            type=click.FloatRange(min=1),
            default=DEFAULT_TIMEOUT,
            show_default=True,
            metavar="SECONDS",
            help="Time LibreOffice may take on one document before it is stopped and retried.",
        ),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


Converter = Callable[[list[Path]], tuple[list[Path], PdfConversionError | None]]


def _deliver(
    delivery: _Delivery,
    files: list[OutputFile],
    *,
    heading: str = "",
    warnings: tuple[str, ...] = (),
    convert: Converter | None = None,
) -> None:
    """Write ``files``, then their PDFs when asked; list them, warn, report a failed PDF."""
    written = write_outputs(delivery.outdir, files)
    error = None
    if delivery.soffice is not None:
        pdfs, error = (convert or delivery.convert)(written)
        written = with_pdfs(written, pdfs)
    click.echo(f"{heading}{len(written)} files in {delivery.outdir}:")
    for path in written:
        click.echo(f"  {path.name}")
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    if error is not None:
        raise error


@main.command("tender")
@click.argument("operation", type=click.Path(path_type=Path))
@_delivery_options
def tender_command(operation: Path, delivery: _Delivery) -> None:
    """Write the tender-file clause of OPERATION: the CCAP article and the RC mention.

    Each DOCX comes with its manifest (the same in its custom properties and in a
    .manifest.json file): input digest, fragment versions, parameters, clausegen's version.
    With --pdf, also their PDFs and the annex for the tender file: CCAP article, RC mention
    and a blank commitment form per lot, bookmarked, in one PDF.
    """
    loaded = load_operation(operation)
    parameters = load_parameters()
    registry = load_fragments()
    templates = delivery.templates
    with _about(operation):
        at = loaded.consultation.date_lancement
        sizing = calibrate(loaded, parameters, at)
        files = render_tender(operation, loaded, sizing, registry, parameters, templates)
        job = None
        if delivery.soffice is not None:
            inputs = input_digests(operation)
            forms = blank_forms(loaded, sizing, inputs, registry, parameters, templates)
            job = TenderPdf(loaded, sizing, registry, files, forms)

    def convert(written: list[Path]) -> tuple[list[Path], PdfConversionError | None]:
        assert job is not None and delivery.soffice is not None
        return convert_tender(job, written, soffice=delivery.soffice, timeout=delivery.timeout)

    _deliver(
        delivery,
        files,
        heading=f"Law as of {at.isoformat()} (launch date); ",
        warnings=tuple(f"[{w.code}] {w.message}" for w in sizing.avertissements),
        convert=convert,
    )


LEDGER = click.option(
    "--ledger",
    type=click.Path(path_type=Path),
    required=True,
    help="The hours ledger, .csv or .xlsx: one row per participant, lot, month and modality.",
)
PARTICIPANTS = click.option(
    "--participants",
    "participants_file",
    type=click.Path(path_type=Path),
    required=True,
    help="The participants file (.yaml or .json).",
)


def _sized(operation: Path) -> tuple[Operation, ParameterSet, Calibrage]:
    loaded = load_operation(operation)
    parameters = load_parameters()
    with _about(operation):
        sizing = calibrate(loaded, parameters, loaded.consultation.date_lancement)
    return loaded, parameters, sizing


@main.command("commitment")
@click.argument("operation", type=click.Path(path_type=Path))
@click.option("--lot", type=click.IntRange(min=1), required=True, help="The lot's number.")
@click.option(
    "--company",
    type=click.Path(path_type=Path),
    help="A commitment file (.yaml/.json) to pre-fill the form; without it, a blank form.",
)
@_delivery_options
def commitment_command(
    operation: Path, lot: int, company: Path | None, delivery: _Delivery
) -> None:
    """Write the commitment form of one lot of OPERATION, for a company to fill in or sign.

    It states the lot's required hours and the clause's penalties; with --company, the
    company, its planned modalities and hours, its contacts and signatory.
    """
    loaded, parameters, sizing = _sized(operation)
    item = load_engagement(company) if company is not None else None
    inputs = input_digests(operation, *([company] if company is not None else []))
    with _about(company or operation):
        render = CommitmentRenderer(
            loaded, sizing, inputs, load_fragments(), parameters, delivery.templates
        )
        files = render(lot, item.engagement if item else None)
    who = f"pre-filled for {item.engagement.entreprise.raison_sociale}" if item else "blank"
    click.echo(f"Commitment form of lot {lot} ({who}).")
    _deliver(delivery, files)


@main.command("compliance")
@click.argument("operation", type=click.Path(path_type=Path))
@click.option(
    "--commitments",
    type=click.Path(path_type=Path),
    required=True,
    help="The folder of commitment files, one per company and lot.",
)
@LEDGER
@PARTICIPANTS
@click.option(
    "--period-end",
    type=ISO_DATE,
    help="Count hours up to this date (YYYY-MM-DD); default: the ledger's last month.",
)
@_delivery_options
def compliance_command(
    operation: Path,
    commitments: Path,
    ledger: Path,
    participants_file: Path,
    period_end: datetime | None,
    delivery: _Delivery,
) -> None:
    """Write the buyer's compliance statement of each company holding a lot of OPERATION.

    Per lot: hours required, committed and realised by modality, participants counted (never
    named), exits, the finding and, at the end of execution, the penalty with its calculation.
    """
    loaded, parameters, sizing = _sized(operation)
    data = load_suivi(
        loaded,
        operation,
        sizing,
        parameters,
        ledger=ledger,
        participants_file=participants_file,
        commitments=commitments,
    )
    assert data.engagements is not None and loaded.execution is not None
    closing = _day(period_end) or default_closing_date(data.registre, loaded.execution)
    if closing < loaded.execution.debut:
        raise click.BadParameter(
            f"{closing.isoformat()} is before execution starts "
            f"({loaded.execution.debut.isoformat()}).",
            param_hint="--period-end",
        )
    with _about(operation):
        suivi = reconcile(
            loaded,
            sizing,
            data.engagements,
            data.registre,
            data.participants,
            parameters,
            closing,
        )
        inputs = [operation, *(e.path for e in data.engagements), ledger, participants_file]
        files = render_compliance(loaded, suivi, inputs, load_fragments(), delivery.templates)
    click.echo(
        f"Hours counted up to {closing.isoformat()}; law as of "
        f"{suivi.date_reference.isoformat()} (launch date)."
    )
    click.echo(compliance_table(suivi), nl=False)
    warnings = [
        f"[engagement] Lot {lot} carries the clause but no commitment file covers it in "
        f"{commitments}."
        for lot in suivi.lots_sans_engagement
    ]
    if suivi.lignes_apres_arrete:
        warnings.append(
            f"[arrete] {suivi.lignes_apres_arrete} ledger row(s) after {closing.isoformat()} "
            "are not counted."
        )
    _deliver(delivery, files, warnings=tuple(warnings))


@main.command("balance")
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
@_delivery_options
def balance_command(
    operation: Path,
    ledger: Path,
    participants_file: Path,
    participant_id: str | None,
    jobs: int | None,
    quiet: bool,
    delivery: _Delivery,
) -> None:
    """Write the end-of-mission balance of each participant (or of one) of OPERATION.

    Eligibility, employer and modality, contract, job, hours by month, trainings, skills,
    exit and the facilitator's observations. These documents hold personal data.
    Balances are written one by one as they are rendered, by several processes; one that
    fails is reported and the others are written (exit code 1).
    """
    loaded, parameters, sizing = _sized(operation)
    data = load_suivi(
        loaded, operation, sizing, parameters, ledger=ledger, participants_file=participants_file
    )
    people = data.participants
    if participant_id is not None:
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
        people = {participant_id: people[participant_id]}
    inputs = input_digests(operation, ledger, participants_file)
    with _about(operation):
        render = BalanceRenderer(
            loaded, data.registre, inputs, load_fragments(), delivery.templates
        )
    ensure_folder(delivery.outdir)
    job = BatchJob(records=people, render=render, outdir=delivery.outdir)
    keys = list(people)
    written: dict[str, tuple[Path, ...]] = {}
    failures: dict[str, str] = {}
    with _progress(len(keys), quiet, "Balances") as advance:
        for done in run_batch(job, keys, jobs or default_jobs()):
            advance()
            if done.failure is None:
                written[done.key] = done.written
            else:
                failures[done.key] = done.failure
    paths = [path for key in keys for path in written.get(key, ())]
    error = None
    if delivery.soffice is not None and paths:
        pdfs, error = delivery.convert(paths)
        paths = with_pdfs(paths, pdfs)
    if len(people) == 1 and not failures:
        click.echo(f"End-of-mission balance of {keys[0]}.")
        click.echo(f"{len(paths)} files in {delivery.outdir}:")
        for path in paths:
            click.echo(f"  {path.name}")
    else:
        what = "their manifests and PDFs" if delivery.soffice else "their manifests"
        click.echo(f"{len(written)} end-of-mission balances and {what} in {delivery.outdir}.")
    for key in keys:
        if key in failures:
            click.echo(
                f"Error: participant {key} ({balance_stem(key)}.docx): {failures[key]}", err=True
            )
    if failures:
        click.echo(
            f"Error: {len(failures)} of {len(keys)} balances failed; the others are written.",
            err=True,
        )
    if error is not None:
        raise error
    if failures:
        raise SystemExit(1)


@contextmanager
def _progress(total: int, quiet: bool, label: str) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr when it is a terminal (not with --quiet): call to advance."""
    if quiet or total < 2 or not sys.stderr.isatty():
        yield lambda: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield lambda: bar.update(1)


@main.group("fragments")
def fragments_group() -> None:
    """Read the versioned legal fragments the documents are made of."""


@fragments_group.command("list")
@click.option("--at", type=ISO_DATE, help="Show the version in force on this date (YYYY-MM-DD).")
def fragments_list(at: datetime | None) -> None:
    """Every fragment with its versions, or the version in force on a date."""
    click.echo(fragment_list(load_fragments(), _day(at)), nl=False)


@fragments_group.command("show")
@click.argument("fragment_id")
@click.option("--at", type=ISO_DATE, help="Show the version in force on this date (YYYY-MM-DD).")
def fragments_show(fragment_id: str, at: datetime | None) -> None:
    """The text of FRAGMENT_ID (its newest version, or the one in force on a date)."""
    click.echo(fragment_show(load_fragments().get(fragment_id), _day(at)), nl=False)


@fragments_group.command("diff")
@click.argument("fragment_id")
@click.argument("first", type=ISO_DATE)
@click.argument("second", type=ISO_DATE)
def fragments_diff(fragment_id: str, first: datetime, second: datetime) -> None:
    """A unified diff of FRAGMENT_ID's versions in force on FIRST and SECOND."""
    fragment = load_fragments().get(fragment_id)
    click.echo(fragment_diff(fragment, first.date(), second.date()), nl=False)


@main.group("templates")
def templates_group() -> None:
    """Check a buyer's restyled templates, and list what a template can use."""


@templates_group.command("check")
@click.argument("target", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(list(TEMPLATE_KINDS)),
    help="The kind of a template file not named after its command (tender.docx…).",
)
def templates_check(target: Path, kind: str | None) -> None:
    """Lint TARGET, a template file or a folder of them, before use.

    Reports tags split across runs, curly quotes inside tags, tags left open, Jinja syntax
    errors, variables not in the document's context and unknown fragment ids, each with
    its paragraph or table cell. Exit code 1 when any.
    """
    if target.is_dir():
        if kind is not None:
            raise click.UsageError("--kind goes with a single template file, not a folder.")
        files = sorted(p for p in target.iterdir() if p.suffix.lower() == ".docx")
    else:
        files = [target]
    problems: list[str] = []
    registry = load_fragments()
    checked = 0
    for path in files:
        template_kind = TEMPLATE_KINDS[kind] if kind else kind_of(path)
        if template_kind is None:
            problems.append(
                f"{path}: cannot tell which document this template is for: name it after its "
                f"command ({KIND_FILES}), or check it alone with --kind."
            )
            continue
        checked += 1
        lint = lint_template(path, template_kind.context, registry)
        problems += [f"{path}: {problem}" for problem in lint.problems]
        if not lint.problems:
            cited = f"; cites {', '.join(lint.cited)}" if lint.cited else ""
            click.echo(f"{path}: {template_kind.name} template, no problem found{cited}.")
    if not files:
        problems.append(f"{target}: no .docx template in this folder ({KIND_FILES}).")
    for problem in problems:
        click.echo(f"Error: {problem}", err=True)
    if problems:
        raise SystemExit(1)


@templates_group.command("context")
@click.argument("kind", type=click.Choice(list(TEMPLATE_KINDS)))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people; json for the context's JSON Schema.",
)
def templates_context(kind: str, output_format: str) -> None:
    """The variables a template of KIND can use, with a description of each."""
    template_kind = TEMPLATE_KINDS[kind]
    if output_format == "json":
        click.echo(context_json(template_kind.context), nl=False)
    else:
        click.echo(context_text(kind, template_kind.documents, template_kind.context), nl=False)


if __name__ == "__main__":
    main()
