"""Is this file a usable PDF? Checked with pypdf before a PDF is accepted or combined."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError


def pdf_problem(path: Path) -> str | None:
    """Why ``path`` is not a usable PDF (missing, no header, unreadable, no page), or None."""
    if not path.is_file():
        return "LibreOffice wrote no PDF for it"
    with path.open("rb") as stream:
        if stream.read(5) != b"%PDF-":
            return "LibreOffice wrote a file that is not a PDF (no %PDF- header)"
    try:
        pages = len(PdfReader(path).pages)
    except (PdfReadError, OSError, ValueError) as error:
        return f"pypdf cannot read the PDF LibreOffice wrote ({error})"
    return None if pages > 0 else "LibreOffice wrote a PDF without any page"
