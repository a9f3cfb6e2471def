"""What every document route shares: the work run under the server's limits, its files
staged as the CLI writes them (with their PDFs when asked), and the answer as a ZIP."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi import Request
from fastapi.responses import Response

from clausegen.errors import PdfConversionError
from clausegen.render.outputs import OutputFile, OutputFolder
from clausegen.render.pdf_outputs import with_pdfs
from clausegen.render.pdf_profile import PdfProfile
from clausegen.service import conversion
from clausegen.service.archive import ZIP_MEDIA_TYPE, zip_of
from clausegen.service.settings import Settings
from clausegen.service.uploads import Workspace

Convert = Callable[[OutputFolder, list[Path]], tuple[list[str], PdfConversionError | None]]
"""Converts the staged DOCX files to PDF: the PDFs' names, and the error that stopped it."""


def staged(files: list[OutputFile], folder: Path, convert: Convert | None) -> list[OutputFile]:
    """``files`` and, with ``convert``, their PDFs, as the CLI writes them (all or none)."""
    with OutputFolder(folder) as out:
        documents = [out.write(output) for output in files]
        names = [Path(output.name) for output in files]
        if convert is not None:
            pdfs, error = convert(out, [path for path in documents if path.suffix == ".docx"])
            if error is not None:
                raise error
            names = with_pdfs(names, [Path(name) for name in pdfs])
        return [OutputFile(name.name, out.path(name.name).read_bytes()) for name in names]


def converter(settings: Settings, profile: PdfProfile) -> Convert:
    """Conversion by the server's converter, with its timeout and the PDF profile asked."""

    def convert(
        out: OutputFolder, documents: list[Path]
    ) -> tuple[list[str], PdfConversionError | None]:
        done = conversion.convert(
            documents, out.adopt, timeout=settings.pdf_timeout, profile=profile
        )
        return [pdf.name for pdf in done.pdfs], done.error

    return convert


def zip_response(files: list[OutputFile], name: str) -> Response:
    """``files`` as one ZIP, downloaded as ``name.zip``."""
    return Response(
        zip_of(files),
        media_type=ZIP_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}.zip"'},
    )


async def bounded(
    request: Request, workspace: Workspace, work: Callable[[], list[OutputFile]]
) -> list[OutputFile]:
    """``work`` run under the server's concurrency limit; the workspace closed after it."""
    return await request.app.state.limiter.run(work, cleanup=workspace.close, request=request)
