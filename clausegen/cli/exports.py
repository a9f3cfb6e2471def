"""``clausegen export decp``: each lot's social consideration as DECP v2 and eForms codes."""

from __future__ import annotations

import json
from pathlib import Path

import click

from clausegen.calibration.calibrate import calibrate
from clausegen.cli.options import about
from clausegen.documents.decp_export import decp_export
from clausegen.errors import escaped
from clausegen.inputs.loading import load_operation
from clausegen.law.parameters import load_parameters
from clausegen.render.outputs import OutputFile, write_outputs


def decp_json(operation: Path) -> str:
    """The export of the operation file ``operation``, as indented JSON text."""
    loaded = load_operation(operation)
    with about(operation):
        calibration = calibrate(loaded, load_parameters(), loaded.consultation.date_lancement)
    data = decp_export(loaded, calibration)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@click.group("export")
def export_group() -> None:
    """Write a consultation in the open-data formats buyers publish in."""


@export_group.command("decp")
@click.argument("operation", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the JSON to this file instead of the standard output.",
)
def decp_command(operation: Path, output: Path | None) -> None:
    """Each lot of OPERATION's DECP v2 considerationsSociales and eForms BT-06, BT-775 and
    BT-71 codes, as JSON.

    A lot the sizing retains carries the clause; the dispositif decides the values.
    """
    text = decp_json(operation)
    if output is None:
        click.echo(text, nl=False)
        return
    write_outputs(output.parent, [OutputFile(output.name, text.encode("utf-8"))])
    click.echo(f"Wrote {escaped(str(output))}.")
