"""The ``clausegen`` command line: the only module that prints or exits.

Exit codes: 0 done; 1 a ``ClausegenError`` (one ``Error: …`` line per problem on stderr);
2 a usage error (click's own).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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
    Problem,
)
from clausegen.fragments import load_fragments
from clausegen.loading import load_operation
from clausegen.model import Operation
from clausegen.parameters import ParameterSet, load_parameters
from clausegen.reconcile import default_closing_date, reconcile
from clausegen.render.documents import input_digests
from clausegen.render.execution import render_balances, render_commitment, render_compliance
from clausegen.render.outputs import OutputFile, write_outputs
from clausegen.render.tender import render_tender
from clausegen.suivi import load_suivi
from clausegen.views.calibrage_csv import calibrage_csv
from clausegen.views.calibrage_json import calibrage_json
from clausegen.views.calibrage_table import calibrage_table
from clausegen.views.compliance_table import compliance_table
from clausegen.views.explication import explanation
from clausegen.views.fragments_text import fragment_diff, fragment_list, fragment_show


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


@main.command("tender")
@click.argument("operation", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "outdir",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder to write the documents and their manifests into (created if needed).",
)
def tender_command(operation: Path, outdir: Path) -> None:
    """Write the tender-file clause of OPERATION: the CCAP article and the RC mention.

    Each DOCX comes with its manifest (the same in its custom properties and in a
    .manifest.json file): input digest, fragment versions, parameters, clausegen's version.
    """
    loaded = load_operation(operation)
    parameters = load_parameters()
    with _about(operation):
        at = loaded.consultation.date_lancement
        sizing = calibrate(loaded, parameters, at)
        files = render_tender(operation, loaded, sizing, load_fragments(), parameters)
    written = write_outputs(outdir, files)
    click.echo(f"Law as of {at.isoformat()} (launch date); {len(written)} files in {outdir}:")
    for path in written:
        click.echo(f"  {path.name}")
    for warning in sizing.avertissements:
        click.echo(f"Warning: [{warning.code}] {warning.message}", err=True)


ISO_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


OUTDIR = click.option(
    "-o",
    "--output",
    "outdir",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder to write the documents and their manifests into (created if needed).",
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


def _written(outdir: Path, files: list[OutputFile], *, listed: bool = True) -> None:
    written = write_outputs(outdir, files)
    if listed:
        click.echo(f"{len(written)} files in {outdir}:")
        for path in written:
            click.echo(f"  {path.name}")


@main.command("commitment")
@click.argument("operation", type=click.Path(path_type=Path))
@click.option("--lot", type=click.IntRange(min=1), required=True, help="The lot's number.")
@click.option(
    "--company",
    type=click.Path(path_type=Path),
    help="A commitment file (.yaml/.json) to pre-fill the form; without it, a blank form.",
)
@OUTDIR
def commitment_command(operation: Path, lot: int, company: Path | None, outdir: Path) -> None:
    """Write the commitment form of one lot of OPERATION, for a company to fill in or sign.

    It states the lot's required hours and the clause's penalties; with --company, the
    company, its planned modalities and hours, its contacts and signatory.
    """
    loaded, parameters, sizing = _sized(operation)
    item = load_engagement(company) if company is not None else None
    inputs = input_digests(operation, *([company] if company is not None else []))
    with _about(company or operation):
        files = render_commitment(
            loaded,
            sizing,
            lot,
            item.engagement if item else None,
            inputs,
            load_fragments(),
            parameters,
        )
    who = f"pre-filled for {item.engagement.entreprise.raison_sociale}" if item else "blank"
    click.echo(f"Commitment form of lot {lot} ({who}).")
    _written(outdir, files)


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
@OUTDIR
def compliance_command(
    operation: Path,
    commitments: Path,
    ledger: Path,
    participants_file: Path,
    period_end: datetime | None,
    outdir: Path,
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
        files = render_compliance(loaded, suivi, inputs, load_fragments())
    click.echo(
        f"Hours counted up to {closing.isoformat()}; law as of "
        f"{suivi.date_reference.isoformat()} (launch date)."
    )
    click.echo(compliance_table(suivi), nl=False)
    _written(outdir, files)
    for lot in suivi.lots_sans_engagement:
        click.echo(
            f"Warning: [engagement] Lot {lot} carries the clause but no commitment file covers "
            f"it in {commitments}.",
            err=True,
        )
    if suivi.lignes_apres_arrete:
        click.echo(
            f"Warning: [arrete] {suivi.lignes_apres_arrete} ledger row(s) after "
            f"{closing.isoformat()} are not counted.",
            err=True,
        )


@main.command("balance")
@click.argument("operation", type=click.Path(path_type=Path))
@LEDGER
@PARTICIPANTS
@click.option("--participant", "participant_id", help="Only this participant's balance (its id).")
@OUTDIR
def balance_command(
    operation: Path,
    ledger: Path,
    participants_file: Path,
    participant_id: str | None,
    outdir: Path,
) -> None:
    """Write the end-of-mission balance of each participant (or of one) of OPERATION.

    Eligibility, employer and modality, contract, job, hours by month, trainings, skills,
    exit and the facilitator's observations. These documents hold personal data.
    """
    loaded, parameters, sizing = _sized(operation)
    data = load_suivi(
        loaded, operation, sizing, parameters, ledger=ledger, participants_file=participants_file
    )
    people = list(data.participants.values())
    if participant_id is not None:
        if participant_id not in data.participants:
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
        people = [data.participants[participant_id]]
    inputs = input_digests(operation, ledger, participants_file)
    with _about(operation):
        files = render_balances(loaded, data.registre, people, inputs, load_fragments())
    if len(people) == 1:
        click.echo(f"End-of-mission balance of {people[0].id}.")
        _written(outdir, files)
    else:
        _written(outdir, files, listed=False)
        click.echo(f"{len(people)} end-of-mission balances and their manifests in {outdir}.")


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


if __name__ == "__main__":
    main()
