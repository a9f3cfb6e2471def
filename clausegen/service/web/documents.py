"""The tender documents of a posted operation, produced as ``clausegen tender`` does.

``tender_zip`` is the DOCX files and their manifests in one ZIP; ``annex_pdf`` converts them
and assembles the annex for the tender file, converting through the service's converter
adapter, as the API does.
"""

from __future__ import annotations

from pathlib import Path

from clausegen.cli.produce import TenderFiles, tender_files
from clausegen.documents.fragments import load_fragments
from clausegen.errors import PdfConversionError
from clausegen.law.parameters import load_parameters
from clausegen.render.libreoffice import DEFAULT_TIMEOUT
from clausegen.render.outputs import OutputFolder
from clausegen.render.tender_annex import ANNEX_PDF, TenderPdf
from clausegen.render.zip_writer import ZipMember, zip_archive
from clausegen.service import conversion
from clausegen.service.web.submission import Submission

ZIP_NAME = "clause-insertion-dce.zip"
"""The name the DOCX archive downloads as."""


def _tender(submission: Submission, *, annex: bool) -> TenderFiles:
    assert submission.operation is not None and submission.calibration is not None
    return tender_files(
        submission.path,
        submission.operation,
        submission.calibration,
        load_fragments(),
        load_parameters(),
        annex=annex,
    )


def tender_zip(submission: Submission) -> bytes:
    """The CCAP article and the RC mention (DOCX) and their manifests, zipped."""
    tender = _tender(submission, annex=False)
    return zip_archive([ZipMember.of(f.name, f.content) for f in tender.files])


def annex_pdf(submission: Submission) -> bytes:
    """The annex for the tender file: CCAP article, RC mention and a blank commitment form per
    lot, bookmarked, in one PDF."""
    tender = _tender(submission, annex=True)
    assert tender.pdf is not None
    with OutputFolder(submission.folder / "documents") as out:
        documents = [out.write(f) for f in tender.files if f.name.endswith(".docx")]
        convert(tender.pdf, out, documents)
        return out.path(ANNEX_PDF).read_bytes()


def convert(job: TenderPdf, out: OutputFolder, documents: list[Path]) -> None:
    """Convert the tender documents and assemble the annex into ``out``, through the
    service's one converter adapter (``clausegen.service.conversion``)."""
    _, error = conversion.convert_annex(job, out, documents, timeout=DEFAULT_TIMEOUT)
    if error is not None:
        raise error


__all__ = ["ZIP_NAME", "PdfConversionError", "annex_pdf", "tender_zip"]
