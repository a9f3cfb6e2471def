"""``POST /documents/{tender,commitment,compliance,balance}``: the document commands over
HTTP, through the same functions (``clausegen.cli.produce``) and with the same errors.

Each answers a ZIP of the DOCX files, their manifests and, with ``?pdf=true``, their PDFs;
``tender`` with ``Accept: application/pdf`` answers the annex PDF alone; ``balance`` streams
its ZIP as the balances are made.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response, StreamingResponse

from clausegen.calibration.calibrate import calibrate
from clausegen.cli.options import about, sized
from clausegen.cli.produce import Balances, CommitmentForms, compliance_run, tender_files
from clausegen.cli.unverified import refuse_unverified
from clausegen.documents.balance import balance_stem
from clausegen.documents.fragments import load_fragments
from clausegen.documents.manifest import input_digests, unverified_in
from clausegen.errors import BalanceFailuresError, PdfConversionError
from clausegen.execution.commitments import load_commitment
from clausegen.execution.participants import Participant
from clausegen.execution.reconciliation import default_closing_date
from clausegen.execution.records import load_execution_records
from clausegen.inputs.loading import load_operation
from clausegen.law.parameters import load_parameters
from clausegen.render.batch import BatchJob, run_batch
from clausegen.render.outputs import OutputFile, OutputFolder
from clausegen.render.pdf_profile import DEFAULT_PROFILE, PdfProfile
from clausegen.render.templates import BUNDLED, TEMPLATE_KINDS, TemplateSet
from clausegen.render.tender_annex import ANNEX_PDF
from clausegen.service import conversion
from clausegen.service.archive import ZIP_MEDIA_TYPE, ZipStream
from clausegen.service.problems import ProblemError
from clausegen.service.responses import bounded, converter, staged, zip_response
from clausegen.service.settings import Settings
from clausegen.service.uploads import MAPPING_SUFFIXES, TABLE_SUFFIXES, Workspace

router = APIRouter(prefix="/documents", tags=["documents"])

PDF_MEDIA_TYPE = "application/pdf"
ERRORS_FILE = "erreurs.txt"
"""The last member of a streamed balance ZIP when some balances failed: the CLI's lines."""

OperationFile = Annotated[UploadFile, File(description="The operation, .yaml or .json.")]
Pdf = Annotated[bool, Query(description="Also the PDF of each document (LibreOffice).")]
PdfProfileParam = Annotated[
    PdfProfile,
    Query(
        description="How PDFs are exported: pdfa-2b-tagged (tagged PDF/A-2b, the default) "
        "or plain (LibreOffice's default export)."
    ),
]
Strict = Annotated[
    bool, Query(description="Refuse documents that depend on an unverified version.")
]
Templates = Annotated[
    list[UploadFile] | None,
    File(description="The buyer's own templates (tender.docx…); only with --allow-templates."),
]


async def _templates(
    uploads: list[UploadFile] | None, workspace: Workspace, settings: Settings
) -> TemplateSet:
    """The request's templates, saved under their kind's name; refused unless allowed."""
    if not uploads:
        return BUNDLED
    if not settings.allow_templates:
        detail = (
            "templates: this server does not take buyer templates (it was started without "
            "--allow-templates); leave the templates out to use clausegen's own."
        )
        raise ProblemError(403, detail, [{"field": "templates", "detail": detail}])
    names = {kind.file_name: kind.file_name for kind in TEMPLATE_KINDS.values()}
    given: set[str] = set()
    for upload in uploads:
        name = names.get(Path(upload.filename or "").name.lower())
        if name is None:
            detail = (
                f"templates: {upload.filename!r} is not a template name; name each template "
                f"after its command ({', '.join(names)})."
            )
            raise ProblemError(422, detail, [{"field": "templates", "detail": detail}])
        if name in given:
            detail = (
                f"templates: {name} is given twice ({upload.filename!r} the second time); "
                "send each kind's template once, the one to use."
            )
            raise ProblemError(422, detail, [{"field": "templates", "detail": detail}])
        given.add(name)
        workspace.path(f"modeles/{name}").write_bytes(await upload.read())
    return TemplateSet(workspace.folder / "modeles")


def _wants_pdf(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return PDF_MEDIA_TYPE in accept and ZIP_MEDIA_TYPE not in accept


@router.post(
    "/tender",
    summary="The CCAP article and the RC mention (clausegen tender)",
    responses={200: {"content": {ZIP_MEDIA_TYPE: {}, PDF_MEDIA_TYPE: {}}}},
)
async def tender(
    request: Request,
    operation: OperationFile,
    templates: Templates = None,
    pdf: Pdf = False,
    pdf_profile: PdfProfileParam = DEFAULT_PROFILE,
    strict: Strict = False,
) -> Response:
    """A ZIP of the CCAP article and RC mention (DOCX and manifests; with ``pdf``, their PDFs
    and the annex with a blank commitment form per lot); with ``Accept: application/pdf``,
    the annex PDF alone."""
    settings: Settings = request.app.state.settings
    annex_only = _wants_pdf(request)
    workspace = Workspace(request)
    try:
        path = await workspace.save(operation, "operation", "operation", MAPPING_SUFFIXES)
        template_set = await _templates(templates, workspace, settings)
    except BaseException:
        workspace.close()
        raise

    def work() -> list[OutputFile]:
        loaded = load_operation(path)
        parameters = load_parameters()
        with about(path):
            calibration = calibrate(loaded, parameters, loaded.consultation.date_lancement)
            made = tender_files(
                path,
                loaded,
                calibration,
                load_fragments(),
                parameters,
                template_set,
                annex=pdf or annex_only,
            )
        if strict:
            refuse_unverified(unverified_in(made.manifests))
        job = made.pdf

        def convert(
            out: OutputFolder, documents: list[Path]
        ) -> tuple[list[str], PdfConversionError | None]:
            assert job is not None
            return conversion.convert_annex(
                job, out, documents, timeout=settings.pdf_timeout, profile=pdf_profile
            )

        return staged(made.files, workspace.folder / "sortie", convert if job else None)

    files = await bounded(request, workspace, work)
    if annex_only:
        annex = next(f for f in files if f.name == ANNEX_PDF)
        return Response(
            annex.content,
            media_type=PDF_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{ANNEX_PDF}"'},
        )
    return zip_response(files, "tender")


@router.post("/commitment", summary="One lot's commitment form (clausegen commitment)")
async def commitment(
    request: Request,
    operation: OperationFile,
    lot: Annotated[int, Form(ge=1, le=9999, description="The lot's number.")],
    company: Annotated[
        UploadFile | None, File(description="A commitment file to pre-fill the form.")
    ] = None,
    templates: Templates = None,
    pdf: Pdf = False,
    pdf_profile: PdfProfileParam = DEFAULT_PROFILE,
    strict: Strict = False,
) -> Response:
    """A ZIP of the lot's commitment form (blank, or pre-filled from ``company``), its
    manifest and, with ``pdf``, its PDF."""
    settings: Settings = request.app.state.settings
    workspace = Workspace(request)
    try:
        path = await workspace.save(operation, "operation", "operation", MAPPING_SUFFIXES)
        company_path = await workspace.save_if_given(
            company, "company", "engagement", MAPPING_SUFFIXES
        )
        template_set = await _templates(templates, workspace, settings)
    except BaseException:
        workspace.close()
        raise

    def work() -> list[OutputFile]:
        loaded, parameters, calibration = sized(path)
        item = load_commitment(company_path) if company_path is not None else None
        inputs = input_digests(path, *([company_path] if company_path is not None else []))
        with about(company_path or path):
            forms = CommitmentForms(
                loaded, calibration, inputs, load_fragments(), parameters, template_set
            )
            form = forms(lot, item.engagement if item else None)
        if strict:
            refuse_unverified(unverified_in(form.manifests))
        convert = converter(settings, pdf_profile) if pdf else None
        return staged(form.files, workspace.folder / "sortie", convert)

    return zip_response(await bounded(request, workspace, work), "commitment")


async def _execution_files(
    workspace: Workspace,
    ledger: UploadFile,
    participants: UploadFile,
    commitments: list[UploadFile] | None,
) -> tuple[Path, Path, Path | None]:
    """The ledger, the participants file and the commitments folder, as the server names
    them (``heures.csv``, ``participants.yaml``, ``engagements/engagement-01.yaml``…)."""
    ledger_path = await workspace.save(ledger, "ledger", "heures", TABLE_SUFFIXES)
    people = await workspace.save(participants, "participants", "participants", MAPPING_SUFFIXES)
    folder = None
    if commitments:
        folder = workspace.path("engagements/.keep").parent
        for index, upload in enumerate(commitments, start=1):
            await workspace.save(
                upload, "commitments", f"engagements/engagement-{index:02d}", MAPPING_SUFFIXES
            )
    return ledger_path, people, folder


def _before_start(closing: date, start: date) -> ProblemError:
    detail = f"period_end: {closing.isoformat()} is before execution starts ({start.isoformat()})."
    return ProblemError(422, detail, [{"field": "period_end", "detail": detail}])


Ledger = Annotated[UploadFile, File(description="The hours ledger, .csv or .xlsx.")]
Participants = Annotated[UploadFile, File(description="The participants, .yaml or .json.")]
PeriodEnd = Annotated[
    date | None, Form(description="Count hours up to this date (default: the ledger's last month).")
]


@router.post("/compliance", summary="Each company's compliance statement (clausegen compliance)")
async def compliance(
    request: Request,
    operation: OperationFile,
    commitments: Annotated[list[UploadFile], File(description="The commitment files.")],
    ledger: Ledger,
    participants: Participants,
    reporting: Annotated[
        UploadFile | None, File(description="The statements of hours received, .csv/.xlsx.")
    ] = None,
    period_end: PeriodEnd = None,
    templates: Templates = None,
    pdf: Pdf = False,
    pdf_profile: PdfProfileParam = DEFAULT_PROFILE,
    strict: Strict = False,
) -> Response:
    """A ZIP of each company's compliance statement, its manifest and, with ``pdf``, its PDF."""
    settings: Settings = request.app.state.settings
    workspace = Workspace(request)
    try:
        path = await workspace.save(operation, "operation", "operation", MAPPING_SUFFIXES)
        ledger_path, people, folder = await _execution_files(
            workspace, ledger, participants, commitments
        )
        reporting_path = await workspace.save_if_given(
            reporting, "reporting", "comptes-rendus", TABLE_SUFFIXES
        )
        template_set = await _templates(templates, workspace, settings)
    except BaseException:
        workspace.close()
        raise

    def work() -> list[OutputFile]:
        statements = compliance_run(
            path,
            commitments=folder,
            ledger=ledger_path,
            participants_file=people,
            reporting=reporting_path,
            period_end=period_end,
            templates=template_set,
            before_start=_before_start,
        ).statements
        if strict:
            refuse_unverified(unverified_in(statements.manifests))
        convert = converter(settings, pdf_profile) if pdf else None
        return staged(statements.files, workspace.folder / "sortie", convert)

    return zip_response(await bounded(request, workspace, work), "compliance")


@router.post(
    "/balance",
    summary="Each participant's end-of-mission balance (clausegen balance), streamed",
    responses={200: {"content": {ZIP_MEDIA_TYPE: {}}}},
)
async def balance(
    request: Request,
    operation: OperationFile,
    ledger: Ledger,
    participants: Participants,
    commitments: Annotated[
        list[UploadFile] | None, File(description="The commitment files (tutors, référents).")
    ] = None,
    period_end: PeriodEnd = None,
    participant: Annotated[str | None, Form(description="Only this participant (its id).")] = None,
    templates: Templates = None,
    pdf: Pdf = False,
    pdf_profile: PdfProfileParam = DEFAULT_PROFILE,
    strict: Strict = False,
) -> StreamingResponse:
    """A ZIP streamed as the balances are made: each ``bilan-ID.docx`` and its manifest
    (and, with ``pdf``, the PDFs at the end); a balance that fails is listed, with the CLI's
    message, in a last member ``erreurs.txt``. Errors in the inputs come before any byte,
    as a problem detail."""
    settings: Settings = request.app.state.settings
    limiter = request.app.state.limiter
    workspace = Workspace(request)
    try:
        path = await workspace.save(operation, "operation", "operation", MAPPING_SUFFIXES)
        ledger_path, people_path, folder = await _execution_files(
            workspace, ledger, participants, [c for c in commitments or [] if c.filename]
        )
        template_set = await _templates(templates, workspace, settings)
    except BaseException:
        workspace.close()
        raise
    started = time.monotonic()

    def prepare() -> tuple[Balances, BatchJob, dict[str, Participant]]:
        loaded, parameters, calibration = sized(path)
        data = load_execution_records(
            loaded,
            path,
            calibration,
            parameters,
            ledger=ledger_path,
            participants_file=people_path,
            commitments=folder,
        )
        assert loaded.execution is not None
        closing = period_end or default_closing_date(data.registre, loaded.execution)
        if closing < loaded.execution.debut:
            raise _before_start(closing, loaded.execution.debut)
        people = data.participants
        if participant is not None:
            if participant not in people:
                detail = (
                    f"participant: no participant '{participant}' in the participants file; "
                    "give one of its ids."
                )
                raise ProblemError(422, detail, [{"field": "participant", "detail": detail}])
            people = {participant: people[participant]}
        files = [path, *(item.path for item in data.engagements or ()), ledger_path]
        with about(path):
            balances = Balances(
                loaded,
                data.registre,
                input_digests(*files, people_path),
                load_fragments(),
                template_set,
                arrete_au=closing,
                engagements=[item.engagement for item in data.engagements or ()],
            )
        if strict:
            refuse_unverified(balances.unverified)
        return balances, BatchJob(render=balances), people

    _, job, people = await limiter.run(prepare, cleanup=lambda: None, hold=True, request=request)
    slot = limiter.held(asyncio.get_running_loop())

    def stream() -> Iterator[bytes]:
        archive = ZipStream()
        failures: list[tuple[str, str, str]] = []
        made: list[Path] = []
        try:
            for done in run_batch(job, people, None):
                if done.failure is not None:
                    failures.append((done.key, f"{balance_stem(done.key)}.docx", done.failure))
                    continue
                for output in done.files:
                    yield archive.add(output)
                    if output.name.endswith(".docx"):
                        made.append(workspace.path(f"sortie/{output.name}"))
                        made[-1].write_bytes(output.content)
                if time.monotonic() - started > settings.time_budget:
                    failures.append(
                        (
                            "…",
                            "…",
                            "the server's time budget ran out; the "
                            "remaining balances were not made: ask for them again.",
                        )
                    )
                    break
            pdf_error = None
            if pdf and made:
                into = workspace.path("pdf/.keep").parent
                done_pdf = conversion.convert(
                    made,
                    lambda pdf: Path(shutil.move(pdf, into / pdf.name)),
                    timeout=settings.pdf_timeout,
                    profile=pdf_profile,
                )
                for pdf_path in done_pdf.pdfs:
                    yield archive.add(OutputFile(pdf_path.name, pdf_path.read_bytes()))
                pdf_error = done_pdf.error
            if failures or pdf_error is not None:
                error = BalanceFailuresError(
                    failures=failures, total=len(people), pdf_error=pdf_error
                )
                text = "".join(f"{line}\n" for line in error.messages())
                yield archive.add(OutputFile(ERRORS_FILE, text.encode()))
            yield archive.close()
        finally:
            workspace.close()
            slot.release()

    return StreamingResponse(
        stream(),
        media_type=ZIP_MEDIA_TYPE,
        headers={"Content-Disposition": 'attachment; filename="balance.zip"'},
    )
