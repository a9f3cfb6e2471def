"""Each command's documents as files: composed by ``clausegen.documents``, then rendered.

The one place the two steps meet: a template is loaded and linted (render), the document is
composed and finished with what the template cites (documents), then rendered to its DOCX
and manifest (render). Every command, and any other face over the core, goes through here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from clausegen.calibration.calibrate import Calibration
from clausegen.documents.annex import plan_annex
from clausegen.documents.balance import compose_balance, resolve_fragment
from clausegen.documents.commitment import compose_commitment
from clausegen.documents.compliance import compose_compliance
from clausegen.documents.document import ComposedDocument, Document, finish_document
from clausegen.documents.fragments import DocumentFragments, load_fragments
from clausegen.documents.manifest import (
    FileDigest,
    Manifest,
    UnverifiedVersion,
    input_digests,
    unverified_versions,
)
from clausegen.documents.tender import compose_tender
from clausegen.execution.commitments import Commitment
from clausegen.execution.ledger import Ledger, LedgerRow
from clausegen.execution.participants import Participant
from clausegen.execution.reconciliation import Reconciliation, closing_date, reconcile
from clausegen.execution.records import ExecutionRecords, load_execution_records
from clausegen.execution.reporting import ReportingChecks, load_reporting
from clausegen.execution.spool import Spool, Spooled
from clausegen.inputs.operation import Operation
from clausegen.law.parameters import ParameterSet
from clausegen.render.files import document_files
from clausegen.render.outputs import OutputFile
from clausegen.render.templates import BUNDLED, CheckedTemplate, TemplateSet
from clausegen.render.tender_annex import TenderPdf


@dataclass(frozen=True)
class Producer:
    """One template, loaded and linted once, and the inputs every document of a run cites."""

    template: CheckedTemplate
    inputs: tuple[FileDigest, ...]
    registry: DocumentFragments

    @classmethod
    def load(
        cls,
        templates: TemplateSet,
        kind: str,
        inputs: tuple[FileDigest, ...],
        registry: DocumentFragments,
    ) -> Producer:
        return cls(CheckedTemplate.load(templates, kind, registry), inputs, registry)

    def finish(self, composed: ComposedDocument) -> Document:
        return finish_document(composed, self.template.reference, self.inputs, self.registry)

    def files(self, composed: ComposedDocument) -> list[OutputFile]:
        return document_files(self.finish(composed), self.template)


@dataclass(frozen=True)
class Produced:
    """Documents as files, and their manifests (what ``--strict`` and the report read)."""

    files: list[OutputFile]
    manifests: tuple[Manifest, ...]


@dataclass(frozen=True)
class TenderFiles(Produced):
    """The tender documents as files, and what their PDF step needs (with --pdf)."""

    pdf: TenderPdf | None


def tender_files(
    operation_file: Path,
    operation: Operation,
    calibration: Calibration,
    registry: DocumentFragments,
    parameters: ParameterSet,
    templates: TemplateSet = BUNDLED,
    *,
    annex: bool = False,
) -> TenderFiles:
    """The CCAP article and the RC mention, each DOCX then its manifest; with ``annex``, the
    blank commitment forms and the plan of the annex PDF too."""
    inputs = input_digests(operation_file)
    producer = Producer.load(templates, "tender", inputs, registry)
    documents = [
        producer.finish(composed)
        for composed in compose_tender(operation, calibration, registry, parameters)
    ]
    files = [f for document in documents for f in document_files(document, producer.template)]
    manifests = tuple(document.manifest for document in documents)
    if not annex:
        return TenderFiles(files, manifests, None)
    forms = CommitmentForms(operation, calibration, inputs, registry, parameters, templates)
    blank = [(lot, forms.document(lot.numero, None)) for lot in calibration.lots if lot.retenu]
    parts = files + [f for _, d in blank for f in document_files(d, forms.producer.template)]
    plan = plan_annex(operation, registry, documents, blank)
    manifests += tuple(document.manifest for _, document in blank)
    return TenderFiles(files, manifests, TenderPdf(plan, {f.name: f for f in parts}))


class CommitmentForms:
    """Commitment forms of an operation, their template loaded once for all of them."""

    def __init__(
        self,
        operation: Operation,
        calibration: Calibration,
        inputs: tuple[FileDigest, ...],
        registry: DocumentFragments,
        parameters: ParameterSet,
        templates: TemplateSet = BUNDLED,
    ) -> None:
        self.operation = operation
        self.calibration = calibration
        self.parameters = parameters
        self.producer = Producer.load(templates, "commitment", inputs, registry)

    def document(self, lot: int, engagement: Commitment | None) -> Document:
        """The finished form of ``lot``, blank or pre-filled with ``engagement``."""
        composed = compose_commitment(
            self.operation,
            self.calibration,
            lot,
            engagement,
            self.producer.registry,
            self.parameters,
        )
        return self.producer.finish(composed)

    def __call__(self, lot: int, engagement: Commitment | None) -> Produced:
        """The form of ``lot``: ``engagement-lot-NN[-SIRET].docx`` and its manifest."""
        document = self.document(lot, engagement)
        return Produced(document_files(document, self.producer.template), (document.manifest,))


def compliance_files(
    operation: Operation,
    reconciliation: Reconciliation,
    input_files: Iterable[Path],
    registry: DocumentFragments,
    parameters: ParameterSet,
    templates: TemplateSet = BUNDLED,
) -> Produced:
    """One statement per company: ``conformite-SIRET.docx`` and its manifest."""
    producer = Producer.load(templates, "compliance", input_digests(*input_files), registry)
    documents = [
        producer.finish(compose_compliance(operation, reconciliation, siret, registry, parameters))
        for siret in reconciliation.par_entreprise()
    ]
    return Produced(
        [f for document in documents for f in document_files(document, producer.template)],
        tuple(document.manifest for document in documents),
    )


@dataclass(frozen=True)
class ReconciledOperation:
    """One operation and its execution files, reconciled up to a closing date: what a
    compliance statement and the evaluation across operations both read."""

    operation: Operation
    calibration: Calibration
    parameters: ParameterSet
    records: ExecutionRecords
    closing: date
    reconciliation: Reconciliation
    inputs: tuple[Path, ...]
    """The files behind the figures, in the order the manifest lists them."""


@dataclass(frozen=True)
class ComplianceRun:
    """The statements of one ``compliance`` run, and what the run's warnings read."""

    operation: Operation
    records: ExecutionRecords
    closing: date
    reconciliation: Reconciliation
    statements: Produced


def reconcile_operation(
    operation_file: Path,
    *,
    commitments: Path,
    ledger: Path,
    participants_file: Path,
    reporting: Path | None,
    period_end: date | None,
    before_start: Callable[[date, date], Exception] | None = None,
) -> ReconciledOperation:
    """Load the operation and its execution files and reconcile them up to the closing date
    (``period_end``, else the ledger's last month; never past a ledger that stops before
    the end of execution: ``closing_date``).
    ``before_start(closing, start)`` is the error for a closing date before execution; a
    caller that never closes before execution (``clausegen evaluate`` bounds its date by
    the start) gives none."""
    from clausegen.cli.options import about, sized  # the command line's loading, shared

    loaded, parameters, calibration = sized(operation_file)
    records = load_execution_records(
        loaded,
        operation_file,
        calibration,
        parameters,
        ledger=ledger,
        participants_file=participants_file,
        commitments=commitments,
    )
    assert records.engagements is not None and loaded.execution is not None
    closing = closing_date(period_end, records.registre, loaded.execution)
    if closing < loaded.execution.debut:
        if before_start is None:
            raise ValueError(f"{closing} is before execution starts ({loaded.execution.debut})")
        raise before_start(closing, loaded.execution.debut)
    checks = ReportingChecks(
        lots={lot.numero: lot.retenu for lot in calibration.lots},
        companies={e.engagement.lot: e.engagement.entreprise.siret for e in records.engagements},
        execution=loaded.execution,
        rules=loaded.clause.comptes_rendus,
    )
    received = load_reporting(reporting, checks) if reporting is not None else None
    with about(operation_file):
        reconciliation = reconcile(
            loaded,
            calibration,
            records.engagements,
            records.registre,
            records.participants,
            parameters,
            period_end or closing,  # the date asked: the statement says when it is cut
            received,
        )
    inputs = [operation_file, *(e.path for e in records.engagements), ledger]
    inputs += [participants_file, *([reporting] if reporting is not None else [])]
    return ReconciledOperation(
        loaded, calibration, parameters, records, closing, reconciliation, tuple(inputs)
    )


def compliance_run(
    operation_file: Path,
    *,
    commitments: Path,
    ledger: Path,
    participants_file: Path,
    reporting: Path | None,
    period_end: date | None,
    templates: TemplateSet,
    before_start: Callable[[date, date], Exception],
) -> ComplianceRun:
    """Load and reconcile the operation (``reconcile_operation``) and make each company's
    statement."""
    from clausegen.cli.options import about

    run = reconcile_operation(
        operation_file,
        commitments=commitments,
        ledger=ledger,
        participants_file=participants_file,
        reporting=reporting,
        period_end=period_end,
        before_start=before_start,
    )
    with about(operation_file):
        statements = compliance_files(
            run.operation,
            run.reconciliation,
            run.inputs,
            load_fragments(),
            run.parameters,
            templates,
        )
    return ComplianceRun(run.operation, run.records, run.closing, run.reconciliation, statements)


class BalanceMaker:
    """What every balance of an operation shares, prepared once: the operation, the template,
    the fragment, the commitments. A batch prepares it before reading its input and starting
    its workers, which share it; each balance's own record then comes to them."""

    def __init__(
        self,
        operation: Operation,
        inputs: tuple[FileDigest, ...],
        registry: DocumentFragments,
        templates: TemplateSet = BUNDLED,
        *,
        engagements: Sequence[Commitment] = (),
    ) -> None:
        self.operation = operation
        self.engagements = tuple(engagements)
        self.producer = Producer.load(templates, "balance", inputs, registry)
        self.fragment = resolve_fragment(registry, operation.consultation.date_lancement)

    @property
    def unverified(self) -> tuple[UnverifiedVersion, ...]:
        """The unverified versions every balance uses: its fragment and those its template
        cites (a balance cites no parameter)."""
        at = self.operation.consultation.date_lancement
        cited = [self.producer.registry.resolve(i, at) for i in self.producer.template.cited]
        return unverified_versions([self.fragment, *cited], ())

    def render(self, record: BalanceRecord) -> list[OutputFile]:
        """One balance: ``bilan-ID.docx`` and its manifest."""
        composed = compose_balance(
            self.operation,
            record.participant,
            record.rows,
            self.fragment,
            record.arrete_au,
            self.engagements,
        )
        return self.producer.files(composed)


def rows_by_participant(registre: Ledger, arrete_au: date) -> dict[str, list[LedgerRow]]:
    """Each participant's ledger rows up to ``arrete_au``, in the ledger's order."""
    rows: dict[str, list[LedgerRow]] = defaultdict(list)
    for line in registre.lignes:
        if line.participant is not None and line.mois <= arrete_au:
            rows[line.participant].append(line)
    return rows


class Balances:
    """One participant's balance at a time, from participants held in memory (the service,
    a single balance): ``bilan-ID.docx`` and its manifest."""

    def __init__(
        self,
        operation: Operation,
        registre: Ledger,
        inputs: tuple[FileDigest, ...],
        registry: DocumentFragments,
        templates: TemplateSet = BUNDLED,
        *,
        arrete_au: date,
        engagements: Sequence[Commitment] = (),
    ) -> None:
        self.maker = BalanceMaker(operation, inputs, registry, templates, engagements=engagements)
        self.arrete_au = arrete_au
        self.rows = rows_by_participant(registre, arrete_au)

    @property
    def unverified(self) -> tuple[UnverifiedVersion, ...]:
        return self.maker.unverified

    def record(self, participant: Participant) -> BalanceRecord:
        """What one balance needs beyond what every balance shares."""
        return BalanceRecord(participant, tuple(self.rows.get(participant.id, ())), self.arrete_au)

    def render(self, record: BalanceRecord) -> list[OutputFile]:
        return self.maker.render(record)

    def __call__(self, participant: Participant) -> list[OutputFile]:
        return self.render(self.record(participant))


@dataclass(frozen=True, slots=True)
class BalanceRecord:
    """One participant, their ledger rows up to the balance's date, and that date: what a
    worker rendering balances is handed, rather than the whole input."""

    participant: Participant
    rows: tuple[LedgerRow, ...]
    arrete_au: date


@dataclass(frozen=True, slots=True)
class SpooledBalance:
    """What a worker is handed for one balance when participants are kept on disk
    (``Spool``): where the participant is, their ledger rows up to the balance's date, and
    that date; the worker reads the participant back (``BalanceRecord``)."""

    where: Spooled
    rows: tuple[LedgerRow, ...]
    arrete_au: date

    def record(self, spool: Spool) -> BalanceRecord:
        return BalanceRecord(spool.get(self.where), self.rows, self.arrete_au)
