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

from clausegen.calibrage import calibrate
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
from clausegen.parameters import load_parameters
from clausegen.render.outputs import write_outputs
from clausegen.render.tender import render_tender
from clausegen.views.calibrage_csv import calibrage_csv
from clausegen.views.calibrage_json import calibrage_json
from clausegen.views.calibrage_table import calibrage_table
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
