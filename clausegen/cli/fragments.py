"""``clausegen fragments``: read and compare the versioned legal fragments."""

from __future__ import annotations

from datetime import datetime

import click

from clausegen.cli.options import ISO_DATE, day
from clausegen.cli.views.fragments_text import fragment_diff, fragment_list, fragment_show
from clausegen.documents.fragments import load_fragments


@click.group("fragments")
def fragments_group() -> None:
    """Read the versioned legal fragments the documents are made of."""


@fragments_group.command("list")
@click.option("--at", type=ISO_DATE, help="Show the version in force on this date (YYYY-MM-DD).")
def fragments_list(at: datetime | None) -> None:
    """Every fragment with its versions, or the version in force on a date."""
    click.echo(fragment_list(load_fragments(), day(at)), nl=False)


@fragments_group.command("show")
@click.argument("fragment_id")
@click.option("--at", type=ISO_DATE, help="Show the version in force on this date (YYYY-MM-DD).")
def fragments_show(fragment_id: str, at: datetime | None) -> None:
    """The text of FRAGMENT_ID (its newest version, or the one in force on a date)."""
    click.echo(fragment_show(load_fragments().get(fragment_id), day(at)), nl=False)


@fragments_group.command("diff")
@click.argument("fragment_id")
@click.argument("first", type=ISO_DATE)
@click.argument("second", type=ISO_DATE)
def fragments_diff(fragment_id: str, first: datetime, second: datetime) -> None:
    """A unified diff of FRAGMENT_ID's versions in force on FIRST and SECOND."""
    fragment = load_fragments().get(fragment_id)
    click.echo(fragment_diff(fragment, first.date(), second.date()), nl=False)
