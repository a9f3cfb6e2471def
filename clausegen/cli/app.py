"""The ``clausegen`` command line: the group, its commands, and the one place errors become
exit codes.

Exit codes: 0 done; 1 a ``ClausegenError`` (one ``Error: …`` line per problem on stderr);
2 a usage error (click's own); 130 interrupted (Ctrl-C), after saying what was written.
"""

from __future__ import annotations

import importlib
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from clausegen.errors import ClausegenError, Interrupted, escaped

COMMANDS = {
    "calibrate": (
        "clausegen.cli.calibrate:calibrate_command",
        "Size the insertion hours of each lot of OPERATION (a .yaml or .json file).",
    ),
    "tender": (
        "clausegen.cli.tender:tender_command",
        "Write the tender-file clause of OPERATION: the CCAP article and the RC mention.",
    ),
    "commitment": (
        "clausegen.cli.commitment:commitment_command",
        "Write the commitment form of one lot of OPERATION, for a company to fill in or sign.",
    ),
    "compliance": (
        "clausegen.cli.compliance:compliance_command",
        "Write the buyer's compliance statement of each company holding a lot of OPERATION.",
    ),
    "balance": (
        "clausegen.cli.balance:balance_command",
        "Write the end-of-mission balance of each participant (or of one) of OPERATION.",
    ),
    "fragments": (
        "clausegen.cli.fragments:fragments_group",
        "Read the versioned legal fragments the documents are made of.",
    ),
    "templates": (
        "clausegen.cli.templates:templates_group",
        "Check a buyer's restyled templates, and list what a template can use.",
    ),
    "evaluate": (
        "clausegen.cli.evaluate:evaluate_command",
        "Evaluate the operations of FOLDERS over a period: a report (DOCX, --pdf) and a "
        "workbook (XLSX) of the same figures.",
    ),
    "export": (
        "clausegen.cli.exports:export_group",
        "Write a consultation in the open-data formats buyers publish in.",
    ),
    "import": (
        "clausegen.cli.imports:import_group",
        "Read a consultation from the open-data formats buyers publish in.",
    ),
    "serve": (
        "clausegen.cli.serve:serve_command",
        "Serve the HTTP API: the same operations as the commands, OpenAPI at /docs.",
    ),
}
"""Each command: where it is defined (``module:attribute``), imported only when the command
runs or shows its own help, and the first paragraph of its help, which ``clausegen --help``
lists (a test checks they agree). A command's module imports what it needs (pypdf, docxtpl,
LibreOffice's plumbing…), so ``--help`` and ``calibrate`` pay for none of it."""


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
        click.echo(f"Error: {terminal_safe(str(error))}", err=True)
        raise SystemExit(Interrupted.EXIT_CODE) from None
    except ClausegenError as error:
        for message in error.messages():
            click.echo(f"Error: {terminal_safe(message)}", err=True)
        raise SystemExit(1) from None


def terminal_safe(message: str) -> str:
    """``message`` with the control and format characters it quotes from the user written
    as escapes (``escaped``), the line breaks between its lines kept (a file name's own are
    escaped where the name is quoted)."""
    return "\n".join(escaped(line) for line in message.split("\n"))


def load_command(name: str) -> click.Command:
    """The command ``name`` of ``COMMANDS``, its module imported."""
    module, attribute = COMMANDS[name][0].split(":")
    command = getattr(importlib.import_module(module), attribute)
    assert isinstance(command, click.Command)
    return command


class _Group(click.Group):
    """clausegen's group: its commands loaded when used (``COMMANDS``), and its errors turned
    into exit codes."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return load_command(cmd_name) if cmd_name in COMMANDS else None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands and their short help, as click cuts it, none of them imported."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))
        rows = [
            (name, click.Command(name, help=COMMANDS[name][1]).get_short_help_str(limit))
            for name in names
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        with _user_errors():
            return super().invoke(ctx)


@click.group(cls=_Group)
@click.version_option(package_name="clausegen", prog_name="clausegen")
def main() -> None:
    """Size and write French public-procurement social insertion clauses."""


def run() -> None:
    """The ``clausegen`` process (console script and ``python -m clausegen``): ``main``, with
    pydantic's plugin discovery off unless the user's environment says otherwise, and
    SIGTERM ending the command as Ctrl-C does its work: what it was writing is unwound
    (``_terminated``).

    clausegen uses no pydantic plugin, and discovering them scans every installed package's
    entry points when the first validator is built, a cost each command would pay at
    start-up. ``setdefault`` keeps a ``PYDANTIC_DISABLE_PLUGINS`` the user set; only this
    process is concerned, not a program that imports clausegen (nor the tests).
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    global _command_pid
    _command_pid = os.getpid()
    signal.signal(signal.SIGTERM, _terminated)
    main(prog_name="clausegen")


_command_pid: int | None = None
"""The command's own process: the one ``_terminated`` unwinds."""


def _terminated(signum: int, _frame: object) -> None:
    """SIGTERM (``kill``, a service manager, a scheduler's time limit): leave through every
    ``with`` and ``finally`` under way, so that the staging folder and the temporary folder
    holding validated participants (personal data) are removed, and workers stopped; exit
    code 143, as a process ended by that signal.

    A worker forked from the command inherits this handler until it sets its own
    (``workers``): there the signal ends it at once, as its pool expects, instead of
    unwinding the command's code it was forked from."""
    if os.getpid() != _command_pid:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    raise SystemExit(128 + signum)
