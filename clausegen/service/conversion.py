"""The one adapter between the service and PDF conversion: the process-wide converter
(``clausegen.render.converters.shared_converter``), a pool of warm LibreOffice workers, or
the remote unoservers ``CLAUSEGEN_UNOSERVERS`` names, started with the server; ``/health``
reports its state.
"""

from __future__ import annotations

from pathlib import Path

from clausegen.errors import ClausegenError, PdfConversionError
from clausegen.render.converters import Converter, shared_converter
from clausegen.render.libreoffice import PdfConversion, Store
from clausegen.render.outputs import OutputFolder
from clausegen.render.pdf_profile import DEFAULT_PROFILE, PdfProfile
from clausegen.render.tender_annex import TenderPdf, convert_tender


def converter() -> Converter:
    """The converter every request shares."""
    return shared_converter()


def start() -> None:
    """Start the converter's workers with the server, so the first request finds them warm."""
    converter().start()


def convert(
    documents: list[Path],
    store: Store,
    *,
    timeout: float,
    profile: PdfProfile = DEFAULT_PROFILE,
) -> PdfConversion:
    """Every DOCX of ``documents`` as PDF with ``profile``, each handed to ``store`` once
    accepted."""
    return converter().convert(documents, store=store, timeout=timeout, profile=profile)


def convert_annex(
    job: TenderPdf,
    out: OutputFolder,
    documents: list[Path],
    *,
    timeout: float,
    profile: PdfProfile = DEFAULT_PROFILE,
) -> tuple[list[str], PdfConversionError | None]:
    """The tender documents' PDFs and the annex, staged in ``out`` (as ``tender --pdf``)."""
    return convert_tender(
        job, out, documents, converter=converter(), timeout=timeout, profile=profile
    )


def converter_state() -> dict[str, object]:
    """What converts PDFs and whether it can (for /health)."""
    try:
        return {"available": True, **converter().state()}
    except ClausegenError as error:  # no LibreOffice, no UNO, a bad setting
        return {"available": False, "problem": " ".join(error.messages())}
