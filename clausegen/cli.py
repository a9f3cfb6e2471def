"""The ``clausegen`` command line: the only module that prints or exits.

Exit codes: 0 done; 1 a ``ClausegenError`` (one ``Error: …`` line per problem on stderr);
2 a usage error (click's own).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Any

import click

from clausegen.calibrage import calibrate
from clausegen.errors import (
    CalibrageError,
    ClausegenError,
    InputError,
    ParameterNotInForceError,
    Problem,
)
from clausegen.loading import load_operation
from clausegen.parameters import load_parameters
from clausegen.views.calibrage_csv import calibrage_csv
from clausegen.views.calibrage_json import calibrage_json
from clausegen.views.calibrage_table import calibrage_table
from clausegen.views.explication import explanation


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
    except (CalibrageError, ParameterNotInForceError) as error:
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
