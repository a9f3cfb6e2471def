"""The ``clausegen`` command line: the group, its commands, and the one place errors become
exit codes.

Exit codes: 0 done; 1 a ``ClausegenError`` (one ``Error: …`` line per problem on stderr);
2 a usage error (click's own); 130 interrupted (Ctrl-C), after saying what was written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from typing import Any

import click

from clausegen.cli.balance import balance_command
from clausegen.cli.calibrate import calibrate_command
from clausegen.cli.commitment import commitment_command
from clausegen.cli.compliance import compliance_command
from clausegen.cli.evaluate import evaluate_command
from clausegen.cli.fragments import fragments_group
from clausegen.cli.serve import serve_command
from clausegen.cli.templates import templates_group
from clausegen.cli.tender import tender_command
from clausegen.errors import ClausegenError, Interrupted


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn clausegen's errors into ``Error:`` lines and exit code 1, and Ctrl-C into exit
    code 130, in one place. A command interrupted while writing says what it wrote
    (``Interrupted``); interrupted before, it wrote nothing."""
    try:
        yield
    except KeyboardInterrupt:
        click.echo("Error: interrupted (Ctrl-C); nothing was written.", err=True)
        raise SystemExit(Interrupted.EXIT_CODE) from None
    except Interrupted as error:
        click.echo(f"Error: {error}", err=True)
        raise SystemExit(Interrupted.EXIT_CODE) from None
    except ClausegenError as error:
        for message in error.messages():
            click.echo(f"Error: {message}", err=True)
        raise SystemExit(1) from None


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        with _user_errors():
            return super().invoke(ctx)


@click.group(cls=_Group)
@click.version_option(version("clausegen"), prog_name="clausegen")
def main() -> None:
    """Size and write French public-procurement social insertion clauses."""


for command in (
    calibrate_command,
    tender_command,
    commitment_command,
    compliance_command,
    balance_command,
    evaluate_command,
    fragments_group,
    templates_group,
    serve_command,
):
    main.add_command(command)
