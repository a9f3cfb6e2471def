"""PDF profiles: which writer_pdf_Export options every converter passes to LibreOffice.

``pdfa-2b-tagged`` (the default) asks for a tagged PDF (a structure tree with headings,
paragraphs, lists and tables in reading order, ``/MarkInfo /Marked true``) that is PDF/A-2b
(``SelectPdfVersion`` 2: fonts embedded, an sRGB output intent, XMP metadata with
``pdfaid:part`` 2) and marked PDF/UA-1 (``PDFUACompliance``: LibreOffice then also shows
the document's title in the window and writes ``pdfuaid:part`` 1). LibreOffice 7.4 gives no
PDF/A-2a or 2u; PDF/A-2b with tags is the accessible archive profile it has. ``plain`` is
LibreOffice's default export, clausegen's output before profiles.

The one mapping lives here; each converter hands it to LibreOffice its own way: JSON filter
options on the ``soffice --convert-to`` command line (the batch), ``FilterData`` over UNO
(the pool's workers), ``Name=value`` filter options (remote unoservers).
"""

from __future__ import annotations

import json
from enum import StrEnum

FILTER = "writer_pdf_Export"


class PdfProfile(StrEnum):
    """How a document is exported to PDF (``--pdf-profile``, ``pdf_profile``)."""

    TAGGED_PDFA = "pdfa-2b-tagged"
    PLAIN = "plain"


DEFAULT_PROFILE = PdfProfile.TAGGED_PDFA
PROFILES = tuple(profile.value for profile in PdfProfile)

_FILTER_DATA: dict[PdfProfile, dict[str, bool | int]] = {
    PdfProfile.TAGGED_PDFA: {
        "SelectPdfVersion": 2,  # PDF/A-2b (1: PDF/A-1b, 3: PDF/A-3b)
        "UseTaggedPDF": True,
        "PDFUACompliance": True,
        "ExportBookmarks": True,
    },
    PdfProfile.PLAIN: {},
}


def filter_data(profile: PdfProfile) -> dict[str, bool | int]:
    """The writer_pdf_Export ``FilterData`` of ``profile`` (empty: LibreOffice's defaults)."""
    return dict(_FILTER_DATA[profile])


def convert_to(profile: PdfProfile) -> str:
    """``soffice --convert-to``'s value: ``pdf``, or ``pdf:writer_pdf_Export:{JSON}`` with
    each option typed as LibreOffice 7.4 and later read it."""
    data = filter_data(profile)
    if not data:
        return "pdf"
    typed = {
        name: {"type": "boolean", "value": "true" if value else "false"}
        if isinstance(value, bool)
        else {"type": "long", "value": str(value)}
        for name, value in data.items()
    }
    return f"pdf:{FILTER}:{json.dumps(typed, separators=(',', ':'))}"


def unoserver_options(profile: PdfProfile) -> list[str]:
    """The options as unoserver's ``filter_options`` (``Name=value``, booleans lower-case)."""
    return [
        f"{name}={str(value).lower() if isinstance(value, bool) else value}"
        for name, value in filter_data(profile).items()
    ]
