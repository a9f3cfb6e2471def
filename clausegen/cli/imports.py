"""``clausegen import eforms``: an eForms notice that announces a contract → an
``operation.yaml`` skeleton."""

from __future__ import annotations

from pathlib import Path

import click

from clausegen.errors import escaped
from clausegen.inputs.eforms_notice import NBSP, read_notice
from clausegen.inputs.operation_skeleton import operation_skeleton
from clausegen.render.outputs import OutputFile, write_outputs


@click.group("import")
def import_group() -> None:
    """Read a consultation from the open-data formats buyers publish in."""


@import_group.command("eforms")
@click.argument("notice", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the operation to this file instead of the standard output.",
)
def eforms_command(notice: Path, output: Path | None) -> None:
    """Read the eForms notice NOTICE (XML) into an operation.yaml skeleton.

    NOTICE is a contract notice, a prior information notice or a voluntary ex-ante
    transparency notice (veat); the kind read is said on the standard error. Every field
    the notice does not give is left empty, marked « À COMPLÉTER » and listed on the
    standard error; the operation loads once they are filled.
    """
    reading = read_notice(notice)
    skeleton = operation_skeleton(reading)
    if output is not None:  # written first: a failure is then the only line on stderr
        write_outputs(output.parent, [OutputFile(output.name, skeleton.text.encode("utf-8"))])
    click.echo(f"Avis lu{NBSP}: {reading.kind}.", err=True)
    if output is None:
        click.echo(skeleton.text, nl=False)
    else:
        click.echo(f"Wrote {escaped(str(output))}.", err=True)
    if skeleton.to_fill:
        count = len(skeleton.to_fill)
        click.echo(f"{count} {'champs' if count > 1 else 'champ'} à compléter{NBSP}:", err=True)
        for field in skeleton.to_fill:
            click.echo(f"  {field}", err=True)
