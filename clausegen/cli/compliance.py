"""``clausegen compliance``: each company's compliance statement, for the buyer."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from clausegen.cli.delivery import Delivery, deliver, delivery_options
from clausegen.cli.options import ISO_DATE, LEDGER, PARTICIPANTS, day
from clausegen.cli.produce import compliance_run
from clausegen.cli.views.compliance_table import compliance_table
from clausegen.documents.manifest import unverified_in
from clausegen.errors import escaped
from clausegen.execution.commitments import CommitmentFile
from clausegen.execution.participants import Participant
from clausegen.execution.reconciliation import (
    Reconciliation,
    exit_unrecorded,
)
from clausegen.execution.records import ExecutionRecords
from clausegen.inputs.operation import Dispositif, Operation


@click.command("compliance")
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
    "--reporting",
    type=click.Path(path_type=Path),
    help="The statements of hours received, .csv or .xlsx: one row per company, lot and "
    "period, with its reception date (and formal notice). Without it, no lateness is assessed.",
)
@click.option(
    "--period-end",
    type=ISO_DATE,
    help="Count hours up to this date (YYYY-MM-DD); default: the ledger's last month.",
)
@delivery_options
def compliance_command(
    operation: Path,
    commitments: Path,
    ledger: Path,
    participants_file: Path,
    reporting: Path | None,
    period_end: datetime | None,
    delivery: Delivery,
) -> None:
    """Write the buyer's compliance statement of each company holding a lot of OPERATION.

    Per lot: hours required, committed and realised by modality, the reporting periods with
    their statements, participants counted (never named), exits, the finding and the
    penalties with their calculation.
    """
    run = compliance_run(
        operation,
        commitments=commitments,
        ledger=ledger,
        participants_file=participants_file,
        reporting=reporting,
        period_end=day(period_end),
        templates=delivery.templates,
        before_start=_before_start,
    )
    loaded, data, closing = run.operation, run.records, run.closing
    reconciliation, statements = run.reconciliation, run.statements
    assert data.engagements is not None
    delivery.check(unverified_in(statements.manifests))
    click.echo(
        f"Hours counted up to {closing.isoformat()}"
        + (
            f" (the ledger's last month; {asked.isoformat()} asked)"
            if (asked := reconciliation.arrete_demande) is not None
            else ""
        )
        + f"; law as of {reconciliation.date_reference.isoformat()} (launch date)."
    )
    click.echo(compliance_table(reconciliation), nl=False)
    warnings = (
        *_warnings(reconciliation, commitments, closing),
        *_offer_warnings(reconciliation, loaded),
        *_contract_warnings(loaded, operation, data.engagements),
        *_participant_warnings(data, participants_file, closing),
    )
    deliver(delivery, statements.files, warnings=warnings)


def _before_start(closing: date, start: date) -> click.BadParameter:
    return click.BadParameter(
        f"{closing.isoformat()} is before execution starts ({start.isoformat()}).",
        param_hint="--period-end",
    )


def _warnings(reconciliation: Reconciliation, commitments: Path, closing: date) -> tuple[str, ...]:
    """Lots no commitment covers, a ledger that stops before the date asked, and ledger rows
    after the closing date."""
    warnings = _unknown_months(reconciliation)
    warnings += [
        f"[engagement] Lot {lot} carries the clause but no commitment file covers it in "
        f"{escaped(str(commitments))}."
        for lot in reconciliation.lots_sans_engagement
    ]
    if reconciliation.lignes_apres_arrete:
        warnings.append(
            f"[arrete] {reconciliation.lignes_apres_arrete} ledger row(s) after "
            f"{closing.isoformat()} are not counted."
        )
    return tuple(warnings)


def _unknown_months(reconciliation: Reconciliation) -> list[str]:
    """The date asked goes past a ledger that stops before the end of execution: the hours
    are closed at its last month, with no end-of-execution finding (``closing_date``)."""
    asked = reconciliation.arrete_demande
    if asked is None:
        return []
    known, end = reconciliation.arrete_au, reconciliation.execution.fin
    finding = (
        "no end-of-execution finding and no penalty for missing hours is stated (execution "
        f"ends {end.isoformat()}); "
        if asked >= end
        else ""
    )
    return [
        f"[registre] --period-end {asked.isoformat()}: the ledger stops at {known:%Y-%m}, "
        f"so hours are counted up to {known.isoformat()} only, not as zero after it; "
        f"{finding}give the ledger up to {min(asked, end):%Y-%m}, or a --period-end on or "
        f"before {known.isoformat()}."
    ]


def _offer_warnings(reconciliation: Reconciliation, operation: Operation) -> list[str]:
    """Under an award criterion, an offer that committed fewer hours than its lot's minimum:
    the CCAP admits no such offer, and the minimum stays due."""
    if operation.clause.dispositif is not Dispositif.CRITERE_ATTRIBUTION:
        return []
    return [
        f"[engagement] {escaped(str(lot.engagement_file))}: heures_engagees {lot.engage} h is "
        f"below the minimum of lot {lot.numero} ({lot.requis} h); the statement holds the "
        "company to the minimum: check the hours committed in its offer."
        for lot in reconciliation.lots
        if lot.engage < lot.requis
    ]


def _contract_warnings(
    operation: Operation, operation_file: Path, engagements: list[CommitmentFile]
) -> list[str]:
    """A company with the buyer's own SIRET; a contract notified after execution started."""
    warnings = []
    assert operation.execution is not None
    operation_name = escaped(str(operation_file))
    for item in engagements:
        engagement, name = item.engagement, escaped(str(item.path))
        if engagement.entreprise.siret == operation.acheteur.siret:
            warnings.append(
                f"[siret] {name}: entreprise.siret {engagement.entreprise.siret} is the "
                f"buyer's own (acheteur.siret in {operation_name}); a company cannot hold a "
                "contract of its own buyer: correct the company's SIRET."
            )
        contract = engagement.marche
        if contract is not None and contract.date_notification > operation.execution.debut:
            warnings.append(
                f"[marche] {name}: marche.date_notification "
                f"{contract.date_notification.isoformat()} is after the execution start "
                f"(execution.debut {operation.execution.debut.isoformat()} in "
                f"{operation_name}); check the date: a contract is notified before it is "
                "executed."
            )
    return warnings


def _participant_warnings(
    data: ExecutionRecords, participants_file: Path, closing: date
) -> list[str]:
    """People whose hours count up to ``closing``: an employer with no SIRET, a contract
    ended with no exit recorded. Named by their id and index, never by their name."""
    counted = {line.participant for line in data.registre.lignes if line.mois <= closing}
    warnings = []
    for index, person in enumerate(data.participants.values()):
        if person.id not in counted:
            continue
        where = f"{escaped(str(participants_file))}: participants[{index}] ({person.id})"
        if person.employeur.siret is None:
            warnings.append(
                f"[employeur] {where}.employeur.siret: the employer "
                f"{person.employeur.raison_sociale} has no SIRET; add it, so that the hours "
                "can be checked against the employer's records."
            )
        if exit_unrecorded(person, closing):
            warnings.append(_exit_warning(where, person, closing))
    return warnings


def _exit_warning(where: str, person: Participant, closing: date) -> str:
    assert person.contrat.fin is not None
    return (
        f"[sortie] {where}.sortie: the contract ended on {person.contrat.fin.isoformat()}, "
        f"before the closing date ({closing.isoformat()}), and no exit is recorded; the "
        'statement counts the person under "sortie non renseignée". Add sortie: '
        "{type: …, date: YYYY-MM-DD}."
    )
