"""Is this file a usable PDF? Checked with pypdf before a PDF is accepted or combined.

pypdf is imported by the check itself: a command that converts nothing does not load it."""

from __future__ import annotations

from pathlib import Path


def pdf_problem(path: Path) -> str | None:
    """Why ``path`` is not a usable PDF (missing, no header, unreadable, no page), or None."""
    if not path.is_file():
        return "LibreOffice wrote no PDF for it"
    with path.open("rb") as stream:
        if stream.read(5) != b"%PDF-":
            return "LibreOffice wrote a file that is not a PDF (no %PDF- header)"
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pages = len(PdfReader(path).pages)
    except (PdfReadError, OSError, ValueError) as error:
        return f"pypdf cannot read the PDF LibreOffice wrote ({error})"
    return None if pages > 0 else "LibreOffice wrote a PDF without any page"
