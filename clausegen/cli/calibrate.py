"""``clausegen calibrate``: each lot's hours, as a table, JSON or CSV, with its explanation.

Each view is imported by the branch that prints it: the table, the usual output, does not
pay for ``json``, ``csv`` or the explanation's module at start-up."""

from __future__ import annotations

from pathlib import Path

import click

from clausegen.calibration.calibrate import calibrate
from clausegen.cli.options import about
from clausegen.cli.views.calibration_table import calibration_table
from clausegen.inputs.loading import load_operation
from clausegen.law.parameters import load_parameters


@click.command("calibrate")
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
    with about(operation):
        calibration = calibrate(loaded, load_parameters(), loaded.consultation.date_lancement)
    if output_format == "json":
        from clausegen.cli.views.calibration_json import calibration_json

        click.echo(calibration_json(loaded, calibration))
    elif output_format == "csv":
        from clausegen.cli.views.calibration_csv import calibration_csv

        click.echo(calibration_csv(calibration), nl=False)
    else:
        click.echo(calibration_table(loaded, calibration), nl=False)
        if explain:
            from clausegen.cli.views.explanation import explanation

            click.echo()
            click.echo(explanation(loaded, calibration), nl=False)
