"""The web form's pages and actions.

``GET /`` shows the form; ``POST /`` sizes it and shows it again, every problem next to its
input (the page works without JavaScript). ``POST /formulaire/calibrage`` returns the
calibrage panel alone, which the page's script fetches as the buyer types. The other actions
download the annex PDF, the DOCX files, the operation file, or load an operation file or an
eForms contract notice (read by ``POST /import/eforms``'s code, its fields left to fill
listed next to the inputs).
``GET /facilitateur`` is the facilitator's page: it posts the execution files to the API's
documents endpoints, which return the statements or the balances as a ZIP.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import jinja2
from fastapi import APIRouter, File, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

import clausegen.service.web.choices as choices
from clausegen.errors import ClausegenError, InputError, escaped
from clausegen.inputs.eforms_notice import MAX_NOTICE_BYTES
from clausegen.inputs.readers import read_mapping
from clausegen.service.open_data import skeleton_data
from clausegen.service.web.calibrage import calibrage_view
from clausegen.service.web.documents import ZIP_NAME, annex_pdf, tender_zip
from clausegen.service.web.execution_messages import catalogue
from clausegen.service.web.form import (
    LOT_FIELDS,
    OPERATION_FIELDS,
    FormState,
    blank_state,
    state_from_form,
    state_from_operation,
)
from clausegen.service.web.problems import TOP, placed
from clausegen.service.web.submission import OPERATION_FILE, Submission, submitted
from clausegen.service.web.upload_kinds import foreign_kind

HERE = Path(__file__).parent
MAX_UPLOAD_BYTES = 1_000_000
"""An operation file uploaded to the form: far above any real one."""

templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True
    )
)
router = APIRouter(tags=["formulaire"], include_in_schema=False)
"""The form's pages and actions (behind the access cookie when the server has a token)."""
assets = APIRouter(tags=["formulaire"], include_in_schema=False)
"""The pages' style sheets, script, fonts and icons: open, the token page uses them too."""
STATIC = HERE / "static"
MEDIA_TYPES = {
    ".css": "text/css",
    ".js": "text/javascript",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
}


@assets.get("/static/{name:path}", name="static")
def static_file(name: str) -> Response:
    """The page's style sheets, script, fonts and icons (DSFR's among them)."""
    path = (STATIC / name).resolve()
    if not path.is_relative_to(STATIC.resolve()) or not path.is_file():
        return Response("Fichier introuvable.", status_code=404, media_type="text/plain")
    media = MEDIA_TYPES.get(path.suffix, "application/octet-stream")
    return FileResponse(path, media_type=media, headers={"Cache-Control": "max-age=3600"})


def _fields(form: FormData) -> dict[str, str]:
    return {key: value for key, value in form.items() if isinstance(value, str)}


def _context(
    request: Request,
    state: FormState,
    submission: Submission | None,
    to_fill: dict[str, str] | None = None,
) -> dict:
    problems = list(submission.problems) if submission else []
    where = placed(problems, state)
    general = [*where.pop(TOP, []), *(submission.errors if submission else [])]
    view = None
    if submission is not None and submission.ok:
        assert submission.operation is not None and submission.calibration is not None
        view = calibrage_view(submission.operation, submission.calibration)
    return {
        "request": request,
        "state": state,
        "where": where,
        "general": general,
        "count": len(problems) + len(submission.errors if submission else []),
        "view": view,
        "choices": choices,
        "to_fill": to_fill or {},
        "dsfr": dsfr_installed(),
    }


def dsfr_installed() -> bool:
    """Whether the État's design system was fetched (``scripts/setup.sh``): the pages link
    its stylesheet only when it is there."""
    return (STATIC / "dsfr" / "dsfr.min.css").is_file()


def _page(request: Request, state: FormState, submission: Submission | None) -> HTMLResponse:
    status = 422 if submission is not None and not submission.ok else 200
    context = _context(request, state, submission)
    return templates.TemplateResponse(request, "formulaire.html", context, status_code=status)


@router.get("/", response_class=HTMLResponse)
def form_page(request: Request) -> HTMLResponse:
    """The empty form: one lot, the default mechanism and sizing method."""
    return _page(request, blank_state(), None)


@router.get("/facilitateur", response_class=HTMLResponse)
def facilitator_page(request: Request) -> HTMLResponse:
    """The facilitator's page: the execution files go to the API's compliance and balance
    endpoints, which return the statements or the balances as a ZIP; a refusal is worded in
    French from the page's catalogue (``execution_messages``)."""
    context = {
        "request": request,
        "dsfr": dsfr_installed(),
        "messages": catalogue(),
    }
    return templates.TemplateResponse(request, "facilitateur.html", context)


@router.post("/", response_class=HTMLResponse)
async def form_submitted(request: Request) -> HTMLResponse:
    """The form sized: the calibrage panel, or every problem next to its input."""
    state = state_from_form(_fields(await request.form()))
    with submitted(state) as submission:
        return _page(request, state, submission)


@router.post("/formulaire/calibrage", response_class=HTMLResponse)
async def calibrage_fragment(request: Request) -> HTMLResponse:
    """The calibrage panel alone, and the problems by input, for the page's script."""
    state = state_from_form(_fields(await request.form()))
    with submitted(state) as submission:
        context = _context(request, state, submission)
        return templates.TemplateResponse(request, "_calibrage.html", context)


@router.post("/formulaire/annexe")
async def annex_download(request: Request) -> Response:
    """The annex for the tender file, as PDF; the form with its problems when it has some."""
    return await _download_made(request, annex_pdf, "application/pdf", "annexe-dce.pdf")


@router.post("/formulaire/docx")
async def docx_download(request: Request) -> Response:
    """The CCAP article and the RC mention (DOCX) with their manifests, in a ZIP."""
    return await _download_made(request, tender_zip, "application/zip", ZIP_NAME)


async def _download_made(
    request: Request, make: Callable[[Submission], bytes], media_type: str, name: str
) -> Response:
    """The file ``make`` makes of the posted form, downloaded as ``name`` after the
    operation's stem; the form with its problems when it has some or ``make`` fails."""
    state = state_from_form(_fields(await request.form()))
    with submitted(state) as submission:
        if not submission.ok:
            return _page(request, state, submission)
        try:
            content = await run_in_threadpool(make, submission)
        except ClausegenError as error:
            submission.errors.append(str(error))
            return _page(request, state, submission)
        return _download(content, media_type, _stem(submission) + name)


@router.post("/formulaire/yaml")
async def yaml_download(request: Request) -> Response:
    """The operation file the form describes, as ``clausegen`` reads it (even if invalid:
    the buyer may finish it later)."""
    state = state_from_form(_fields(await request.form()))
    with submitted(state) as submission:
        return _download(submission.yaml_text.encode("utf-8"), "application/yaml", OPERATION_FILE)


@router.post("/formulaire/charger", response_class=HTMLResponse)
async def yaml_upload(
    request: Request, fichier: Annotated[UploadFile, File(description="operation.yaml")]
) -> HTMLResponse:
    """The form filled from an operation file, with the file's problems next to the inputs."""
    content = await fichier.read(MAX_UPLOAD_BYTES + 1)
    name = escaped(Path(fichier.filename or OPERATION_FILE).name)
    if len(content) > MAX_UPLOAD_BYTES:
        message = (
            f"{name}\u00a0: le fichier dépasse 1\u00a0Mo, ce n’est pas un fichier "
            "d’opération\u00a0; choisissez le fichier operation.yaml."
        )
        return _load_failed(request, [message])
    kind = foreign_kind(content)
    if kind is not None:
        message = (
            f"{name}\u00a0: ce fichier est {kind}, pas un fichier d’opération. Choisissez le "
            "fichier d’opération (.yaml, .yml ou .json) enregistré depuis ce formulaire "
            "(«\u00a0Enregistrer l’opération\u00a0») ou écrit à la main pour la ligne de "
            "commande."
        )
        return _load_failed(request, [message])
    with tempfile.TemporaryDirectory(prefix="clausegen-web-") as folder:
        suffix = ".json" if name.lower().endswith(".json") else ".yaml"
        path = Path(folder) / f"operation{suffix}"
        path.write_bytes(content)
        try:
            data = read_mapping(path)
        except InputError as error:
            return _load_failed(request, [f"{name}: {problem}" for problem in error.problems])
        except ClausegenError as error:
            return _load_failed(request, [str(error).replace(str(path), name)])
    state = state_from_operation(data)
    with submitted(state) as submission:
        return _page(request, state, submission)


@router.post("/formulaire/avis", response_class=HTMLResponse)
async def notice_upload(
    request: Request, avis: Annotated[UploadFile, File(description="avis eForms (.xml)")]
) -> HTMLResponse:
    """The form filled from an eForms contract notice, as ``POST /import/eforms`` reads it,
    each field the notice does not give listed, and shown under its input."""
    content = await avis.read(MAX_NOTICE_BYTES + 1)
    name = escaped(Path(avis.filename or "avis.xml").name)
    if len(content) > MAX_NOTICE_BYTES:
        message = (
            f"{name}\u00a0: le fichier dépasse {MAX_NOTICE_BYTES // 1024 // 1024}\u00a0Mo, ce "
            "n’est pas un avis eForms\u00a0; choisissez le fichier XML de l’avis de marché."
        )
        return _load_failed(request, [message])
    with tempfile.TemporaryDirectory(prefix="clausegen-web-") as folder:
        notice = Path(folder) / "avis.xml"
        notice.write_bytes(content)
        try:
            skeleton = await run_in_threadpool(skeleton_data, notice)
            path = Path(folder) / "operation.yaml"
            path.write_text(skeleton["operation"], encoding="utf-8")
            data = read_mapping(path)
        except InputError as error:
            return _load_failed(request, [f"{name}: {problem}" for problem in error.problems])
        except ClausegenError as error:
            return _load_failed(request, [str(error).replace(str(notice), name)])
    to_fill = {item["champ"]: item["indication"] for item in skeleton["a_completer"]}
    state = state_from_operation(data)
    context = _context(request, state, None, to_fill)
    context["inputs"] = {*OPERATION_FIELDS} | {
        f"lots[{index}].{name}" for index in range(len(state.lots)) for name in LOT_FIELDS
    }
    return templates.TemplateResponse(request, "formulaire.html", context)


def _load_failed(request: Request, messages: list[str]) -> HTMLResponse:
    context = _context(request, blank_state(), None)
    context["general"] = messages
    context["count"] = len(messages)
    return templates.TemplateResponse(request, "formulaire.html", context, status_code=422)


def _stem(submission: Submission) -> str:
    assert submission.operation is not None
    reference = submission.operation.consultation.reference
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in reference)
    return f"{safe}-"


def _download(content: bytes, media_type: str, name: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
