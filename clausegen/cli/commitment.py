"""``clausegen commitment``: one lot's commitment form, blank or pre-filled."""

from __future__ import annotations

from pathlib import Path

import click

from clausegen.cli.delivery import Delivery, deliver, delivery_options
from clausegen.cli.options import Bounded, about, sized
from clausegen.cli.produce import CommitmentForms
from clausegen.documents.fragments import load_fragments
from clausegen.documents.manifest import input_digests, unverified_in
from clausegen.execution.commitments import load_commitment

LOT_MAX = 9999
"""--lot's upper bound."""


@click.command("commitment")
@click.argument("operation", type=click.Path(path_type=Path))
@click.option(
    "--lot", type=Bounded("a lot number", 1, LOT_MAX), required=True, help="The lot's number."
)
@click.option(
    "--company",
    type=click.Path(path_type=Path),
    help="A commitment file (.yaml/.json) to pre-fill the form; without it, a blank form.",
)
@delivery_options
def commitment_command(operation: Path, lot: int, company: Path | None, delivery: Delivery) -> None:
    """Write the commitment form of one lot of OPERATION, for a company to fill in or sign.

    It states the lot's required hours and the clause's penalties; with --company, the
    company, its planned modalities and hours, its contacts and signatory.
    """
    loaded, parameters, calibration = sized(operation)
    item = load_commitment(company) if company is not None else None
    inputs = input_digests(operation, *([company] if company is not None else []))
    with about(company or operation):
        forms = CommitmentForms(
            loaded, calibration, inputs, load_fragments(), parameters, delivery.templates
        )
        form = forms(lot, item.engagement if item else None)
    delivery.check(unverified_in(form.manifests))
    who = f"pre-filled for {item.engagement.entreprise.raison_sociale}" if item else "blank"
    click.echo(f"Commitment form of lot {lot} ({who}).")
    deliver(delivery, form.files)
