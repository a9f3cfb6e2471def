"""``clausegen evaluate``: the evaluation across operations (report, workbook, manifest)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from clausegen.cli.delivery import Delivery, deliver, delivery_options
from clausegen.cli.options import ISO_DATE
from clausegen.cli.produce import Producer, reconcile_operation
from clausegen.cli.views.evaluation_workbook import workbook_bytes
from clausegen.documents.evaluation import compose_evaluation, evaluation_sheets
from clausegen.documents.fragments import load_fragments
from clausegen.documents.manifest import input_digests
from clausegen.errors import InputError, Problem
from clausegen.execution.evaluation import Evaluation, OperationInputs, evaluate, outside
from clausegen.execution.records import execution_period
from clausegen.inputs.loading import load_operation
from clausegen.law.parameters import ResolvedParameter, load_parameters
from clausegen.render.outputs import OutputFile

LEDGERS = ("heures.xlsx", "heures.csv")
REPORTING = ("comptes-rendus.csv", "comptes-rendus.xlsx")


@click.command("evaluate")
@click.argument("folders", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--from", "start", type=ISO_DATE, required=True, help="First day (YYYY-MM-DD).")
@click.option("--to", "end", type=ISO_DATE, required=True, help="Last day (YYYY-MM-DD).")
@delivery_options
def evaluate_command(
    folders: tuple[Path, ...], start: datetime, end: datetime, delivery: Delivery
) -> None:
    """Evaluate the operations of FOLDERS over a period: a report (DOCX, --pdf) and a
    workbook (XLSX) of the same figures.

    Each folder is an operation laid out like the samples: operation.yaml, engagements/,
    heures.xlsx or heures.csv, participants.yaml, and comptes-rendus.csv when kept. Each is
    reconciled as its compliance statements are, up to --to; the figures are their sums, and
    each person is counted once across operations.
    """
    first, last = start.date(), end.date()
    if last < first:
        raise click.BadParameter(
            f"{last.isoformat()} is before --from {first.isoformat()}.", param_hint="--to"
        )
    included, excluded, inputs = [], [], []
    for folder in folders:
        item, files = _operation(folder, first, last)
        (excluded if outside(item.operation, first, last) else included).append(item)
        inputs += [(str(folder), item.reference, str(path)) for path in files]
    if not included:
        raise click.UsageError(
            f"no operation of {', '.join(map(str, folders))} is executed between "
            f"{first.isoformat()} and {last.isoformat()}; widen the period."
        )
    parameters = load_parameters()
    evaluation = evaluate(included, excluded, first, last, parameters)
    cited = _cited(evaluation, included)
    structure = included[0].operation.facilitateur.structure
    composed = compose_evaluation(evaluation, structure, cited)
    producer = Producer.load(
        delivery.templates,
        "evaluation",
        input_digests(*(Path(path) for _, _, path in inputs)),
        load_fragments(),
    )
    files = producer.files(composed)
    stem = composed.filing.stem
    files.append(
        OutputFile(f"{stem}.xlsx", workbook_bytes(evaluation_sheets(evaluation, inputs), last))
    )
    warnings = tuple(
        f"[periode] {item.dossier}: the execution of {item.reference} "
        f"({item.operation.execution.debut.isoformat()} to "  # type: ignore[union-attr]
        f"{item.operation.execution.fin.isoformat()}) does not meet the period "  # type: ignore[union-attr]
        f"{first.isoformat()} to {last.isoformat()}; it is left out of the figures."
        for item in excluded
    )
    _summary(evaluation)
    deliver(delivery, files, warnings=warnings)


def _operation(folder: Path, first: date, last: date) -> tuple[OperationInputs, list[Path]]:
    """One folder's operation, reconciled up to ``last`` (or loaded only, when outside)."""
    operation_file = folder / "operation.yaml"
    ledger = next((folder / n for n in LEDGERS if (folder / n).exists()), None)
    missing = [
        name
        for name, path in (
            ("operation.yaml", operation_file),
            ("engagements/", folder / "engagements"),
            ("heures.xlsx or heures.csv", ledger),
            ("participants.yaml", folder / "participants.yaml"),
        )
        if path is None or not path.exists()
    ]
    if missing:
        raise InputError(
            path=folder,
            problems=[
                Problem(
                    "",
                    f"an operation folder needs {', '.join(missing)}; give the folder of one "
                    "operation laid out like the samples.",
                )
            ],
        )
    assert ledger is not None
    loaded = load_operation(operation_file)
    execution = execution_period(loaded, operation_file)
    reporting = next((folder / n for n in REPORTING if (folder / n).exists()), None)
    run = reconcile_operation(
        operation_file,
        commitments=folder / "engagements",
        ledger=ledger,
        participants_file=folder / "participants.yaml",
        reporting=reporting,
        period_end=max(last, execution.debut),
        before_start=lambda closing, start: AssertionError(closing, start),
    )
    item = OperationInputs(
        dossier=str(folder),
        operation=run.operation,
        calibration=run.calibration,
        reconciliation=run.reconciliation,
        participants=run.records.participants,
        parameters=run.parameters,
    )
    return item, list(run.inputs)


def _cited(evaluation: Evaluation, included: list[OperationInputs]) -> list[ResolvedParameter]:
    """The confidentiality threshold and each ETP divisor, once each."""
    cited = {(evaluation.seuil.id, evaluation.seuil.effective_from): evaluation.seuil}
    for line in evaluation.operations:
        divisor = line.etp_divisor
        cited.setdefault((divisor.id, divisor.effective_from), divisor)
    return [cited[key] for key in sorted(cited)]


def _summary(evaluation: Evaluation) -> None:
    click.echo(
        f"{len(evaluation.operations)} operation(s) from {evaluation.debut.isoformat()} to "
        f"{evaluation.fin.isoformat()}: {evaluation.requis} h required, {evaluation.engage} h "
        f"committed, {evaluation.realise} h realised, {evaluation.etp} ETP; "
        f"{evaluation.personnes.total} people counted once."
    )
