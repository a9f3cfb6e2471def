"""The one adapter between the service and PDF conversion.

Today: one headless LibreOffice batch per request (``clausegen.render.libreoffice``); the
converter pool replaces it here, in one place, and ``/health`` reports its state.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from clausegen.errors import LibreOfficeMissingError, PdfConversionError
from clausegen.render.libreoffice import (
    PdfConversion,
    Store,
    convert_to_pdf,
    find_soffice,
)
from clausegen.render.outputs import OutputFolder
from clausegen.render.tender_annex import TenderPdf, convert_tender


def convert(documents: list[Path], store: Store, *, timeout: float) -> PdfConversion:
    """Every DOCX of ``documents`` as PDF, each handed to ``store`` once accepted."""
    return convert_to_pdf(documents, store=store, soffice=find_soffice(), timeout=timeout)


def convert_annex(
    job: TenderPdf, out: OutputFolder, documents: list[Path], *, timeout: float
) -> tuple[list[str], PdfConversionError | None]:
    """The tender documents' PDFs and the annex, staged in ``out`` (as ``tender --pdf``)."""
    return convert_tender(job, out, documents, soffice=find_soffice(), timeout=timeout)


def converter_state() -> dict[str, object]:
    """What converts PDFs and whether it can (for /health)."""
    try:
        soffice: str | None = find_soffice()
    except LibreOfficeMissingError:
        soffice = None
    return {
        "kind": "libreoffice-batch",
        "available": soffice is not None,
        "soffice": shutil.which(soffice) if soffice else None,
        "workers": None,
    }
