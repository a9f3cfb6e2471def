"""``clausegen evaluate``: the evaluation across operations (report, workbook, manifest)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import click

from clausegen.cli.delivery import Delivery, deliver, delivery_options
from clausegen.cli.options import ISO_DATE
from clausegen.cli.produce import Producer, reconcile_operation
from clausegen.cli.views.evaluation_workbook import workbook_bytes
from clausegen.documents.evaluation import compose_evaluation, evaluation_sheets
from clausegen.documents.fragments import load_fragments
from clausegen.documents.manifest import Manifest, input_digests, unverified_in
from clausegen.errors import InputError, Problem, escaped
from clausegen.execution.evaluation import Evaluation, OperationInputs, evaluate, outside
from clausegen.execution.reconciliation import default_closing_date
from clausegen.execution.records import execution_period
from clausegen.inputs.loading import load_operation
from clausegen.law.parameters import ResolvedParameter, load_parameters
from clausegen.render.files import document_files
from clausegen.render.outputs import OutputFile
from clausegen.render.templates import TemplateSet

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
    _check_each_folder_once(folders)
    scope = evaluation_scope([(folder, str(folder)) for folder in folders], first, last)
    if not scope.included:
        raise click.UsageError(nothing_in_period(scope, first, last))
    run = evaluation_files(scope, first, last, delivery.templates)
    delivery.check(unverified_in((run.manifest,)))
    _summary(run.evaluation)
    deliver(delivery, run.files, warnings=run.warnings)


def _check_each_folder_once(folders: Sequence[Path]) -> None:
    """A folder given twice (``samples/x`` and ``samples/x/``, or through a link) would have
    its hours counted twice: a usage error."""
    seen: dict[Path, Path] = {}
    for folder in folders:
        key = folder.resolve()
        if key in seen:
            raise click.BadParameter(
                f"{escaped(str(folder))} is the folder {escaped(str(seen[key]))} given again; "
                "its hours would be counted twice: give each operation folder once.",
                param_hint="FOLDERS",
            )
        seen[key] = folder


@dataclass(frozen=True)
class EvaluationScope:
    """The operations of the folders given: those in the period, those outside, and the
    files read for each (folder, consultation reference, file)."""

    included: list[OperationInputs]
    excluded: list[OperationInputs]
    sources: list[tuple[str, str, str]]
    paths: list[Path]


@dataclass(frozen=True)
class EvaluationFiles:
    """The report (DOCX and manifest), the workbook, and the warnings of one evaluation."""

    evaluation: Evaluation
    files: list[OutputFile]
    manifest: Manifest
    warnings: tuple[str, ...]


def evaluation_scope(
    folders: Sequence[tuple[Path, str]], first: date, last: date
) -> EvaluationScope:
    """Each folder (with the name messages give it) loaded and reconciled up to ``last``."""
    included, excluded = [], []
    sources: list[tuple[str, str, str]] = []
    paths: list[Path] = []
    for folder, name in folders:
        item, files = _operation(folder, name, last)
        (excluded if outside(item.operation, first, last) else included).append(item)
        sources += [(name, item.reference, _shown(path, folder, name)) for path in files]
        paths += files
    return EvaluationScope(included, excluded, sources, paths)


def _shown(path: Path, folder: Path, name: str) -> str:
    """A file as the folder's name shows it (``samples/x/heures.csv``)."""
    return str(Path(name) / path.relative_to(folder))


def nothing_in_period(scope: EvaluationScope, first: date, last: date) -> str:
    names = ", ".join(item.dossier for item in scope.excluded)
    return (
        f"no operation of {names} is executed between {first.isoformat()} and "
        f"{last.isoformat()}; widen the period."
    )


def evaluation_files(
    scope: EvaluationScope, first: date, last: date, templates: TemplateSet
) -> EvaluationFiles:
    """Add the operations up (conflicts refused) and make the report and the workbook."""
    parameters = load_parameters()
    evaluation = evaluate(scope.included, scope.excluded, first, last, parameters)
    cited = _cited(evaluation)
    facilitator = scope.included[0].operation.facilitateur
    composed = compose_evaluation(evaluation, facilitator, cited)
    producer = Producer.load(
        templates,
        "evaluation",
        input_digests(*scope.paths),
        load_fragments(),
    )
    document = producer.finish(composed)
    files = document_files(document, producer.template)
    workbook = workbook_bytes(evaluation_sheets(evaluation, scope.sources), last)
    files.append(OutputFile(f"{composed.filing.stem}.xlsx", workbook))
    warnings = tuple(
        f"[periode] {item.dossier}: the execution of {item.reference} "
        f"({item.operation.execution.debut.isoformat()} to "  # type: ignore[union-attr]
        f"{item.operation.execution.fin.isoformat()}) does not meet the period "  # type: ignore[union-attr]
        f"{first.isoformat()} to {last.isoformat()}; it is left out of the figures."
        for item in scope.excluded
    )
    return EvaluationFiles(evaluation, files, document.manifest, warnings)


def _operation(folder: Path, name: str, last: date) -> tuple[OperationInputs, list[Path]]:
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
            path=name,
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
        # up to the end of the period, of execution or of the ledger, whichever comes first;
        # never before execution starts (no before_start)
        period_end=max(min(last, execution.fin), execution.debut),
    )
    item = OperationInputs(
        dossier=name,
        operation=run.operation,
        calibration=run.calibration,
        reconciliation=run.reconciliation,
        participants=run.records.participants,
        parameters=run.parameters,
        heures_enregistrees_au=default_closing_date(run.records.registre, execution),
    )
    return item, list(run.inputs)


def _cited(evaluation: Evaluation) -> list[ResolvedParameter]:
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

    def hours(value: Decimal) -> str:
        return format(value.normalize(), "f")

    uncommitted = evaluation.sans_engagement
    required = sum((lot.requis for lot in uncommitted), Decimal(0))
    click.echo(
        f"{evaluation.lots_atteints} of {evaluation.lots_suivis} lot(s) followed met their "
        f"objective; {len(uncommitted)} lot(s) carrying the clause without a commitment "
        f"({hours(required)} h required); {hours(evaluation.heures_manquantes)} h missing "
        f"at the end of execution, {hours(evaluation.heures_restantes)} h still to do at the "
        "last record of "
        f"{evaluation.lots_restants} lot(s) without an end-of-execution finding; "
        f"{evaluation.penalites} € HT of penalties."
    )
