"""``POST /evaluation``: ``clausegen evaluate`` over HTTP, through the same functions.

The operations come as one ZIP, one folder per operation laid out like the samples
(``operation.yaml``, ``engagements/``, ``heures.csv`` or ``heures.xlsx``,
``participants.yaml``, ``comptes-rendus.csv`` when kept). The ZIP is unpacked into the
request's workspace member by member: a name that is absolute, climbs out (``..``), is a
link, or would unpack past the size limit is refused before anything is read. The answer
is a ZIP of the report, its manifest, the workbook, with ``?pdf=true`` the PDF, and, when
some operation is left out of the period, ``avertissements.txt``: the command's ``[periode]``
warnings, one a line (the compliance route has no other channel for warnings).
"""

from __future__ import annotations

import stat
import zipfile
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from clausegen.cli.evaluate import evaluation_files, evaluation_scope, nothing_in_period
from clausegen.cli.unverified import refuse_unverified
from clausegen.documents.manifest import unverified_in
from clausegen.render.outputs import OutputFile
from clausegen.render.pdf_profile import DEFAULT_PROFILE
from clausegen.render.templates import BUNDLED
from clausegen.service.documents import Pdf, PdfProfileParam, Strict
from clausegen.service.problems import ProblemError
from clausegen.service.responses import bounded, converter, staged, zip_response
from clausegen.service.settings import Settings
from clausegen.service.uploads import Workspace

router = APIRouter(tags=["documents"])

MAX_MEMBERS = 2000
"""Files a ZIP of operations may hold."""
WARNINGS_FILE = "avertissements.txt"
"""The ZIP member holding the evaluation's warnings, the lines the command prints."""
UNPACKED_FACTOR = 20
"""A ZIP may unpack to this many times the request body limit, no more (a ZIP bomb stops)."""


def _refused(detail: str) -> ProblemError:
    return ProblemError(422, detail, [{"field": "operations", "detail": detail}])


def unpack(archive: Path, into: Path, limit: int) -> list[tuple[Path, str]]:
    """The ZIP's operation folders (those holding an operation.yaml), each with its name in
    the ZIP, unpacked under ``into``; a dangerous or oversized ZIP is refused."""
    try:
        source = zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise _refused(
            "operations: the upload is not a ZIP file; zip the operation folders and send the .zip."
        ) from None
    with source:
        members = [info for info in source.infolist() if not info.is_dir()]
        if len(members) > MAX_MEMBERS:
            raise _refused(f"operations: the ZIP holds more than {MAX_MEMBERS} files.")
        total = 0
        for info in members:
            name = PurePosixPath(info.filename)
            if name.is_absolute() or ".." in name.parts or "\\" in info.filename:
                raise _refused(
                    f"operations: {info.filename!r} is not a relative path inside the ZIP; "
                    "zip the folders themselves."
                )
            if stat.S_ISLNK(info.external_attr >> 16):
                raise _refused(f"operations: {info.filename!r} is a link; zip plain files.")
            total += info.file_size
            if total > limit:
                raise _refused(
                    f"operations: the ZIP unpacks to more than {limit} bytes; send fewer "
                    "operations at a time."
                )
        unpacked = 0
        for info in members:
            target = into / info.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            with source.open(info) as stream:
                data = stream.read(limit - unpacked + 1)  # sizes a ZIP declares may lie
            unpacked += len(data)
            if unpacked > limit:
                raise _refused(f"operations: the ZIP unpacks to more than {limit} bytes.")
            target.write_bytes(data)
    folders = sorted(path.parent for path in into.rglob("operation.yaml"))
    if not folders:
        raise _refused(
            "operations: the ZIP holds no operation.yaml; put each operation in its own "
            "folder, laid out like the samples."
        )
    return [(folder, str(folder.relative_to(into)) or ".") for folder in folders]


@router.post(
    "/evaluation",
    summary="The evaluation across operations (clausegen evaluate)",
    description="A ZIP of the evaluation report (DOCX), its manifest, its workbook (XLSX) "
    f"and, with ``pdf``, its PDF; when an operation is left out of the period, "
    f"``{WARNINGS_FILE}`` lists the warnings (``[periode] …``), one a line, as the command "
    "prints them.",
)
async def evaluation(
    request: Request,
    operations: Annotated[
        UploadFile, File(description="A ZIP of operation folders, laid out like the samples.")
    ],
    debut: Annotated[date, Form(description="First day of the period (YYYY-MM-DD).")],
    fin: Annotated[date, Form(description="Last day of the period (YYYY-MM-DD).")],
    pdf: Pdf = False,
    pdf_profile: PdfProfileParam = DEFAULT_PROFILE,
    strict: Strict = False,
) -> Response:
    """A ZIP of the evaluation report, its manifest, its workbook, with ``pdf`` its PDF,
    and its warnings when there are some."""
    settings: Settings = request.app.state.settings
    if fin < debut:
        detail = f"fin: {fin.isoformat()} is before debut {debut.isoformat()}."
        raise ProblemError(422, detail, [{"field": "fin", "detail": detail}])
    workspace = Workspace(request)
    try:
        archive = workspace.path("operations.zip")
        archive.write_bytes(await operations.read())
    except BaseException:
        workspace.close()
        raise

    def work() -> list[OutputFile]:
        limit = settings.max_body_bytes * UNPACKED_FACTOR
        folders = unpack(archive, workspace.path("operations"), limit)
        scope = evaluation_scope(folders, debut, fin)
        if not scope.included:
            raise _refused(nothing_in_period(scope, debut, fin))
        run = evaluation_files(scope, debut, fin, BUNDLED)
        if strict:
            refuse_unverified(unverified_in((run.manifest,)))
        convert = converter(settings, pdf_profile) if pdf else None
        files = staged(run.files, workspace.folder / "sortie", convert)
        if run.warnings:
            text = "".join(f"{warning}\n" for warning in run.warnings)
            files.append(OutputFile(WARNINGS_FILE, text.encode()))
        return files

    return zip_response(await bounded(request, workspace, work), "evaluation")
