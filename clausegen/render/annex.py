"""The tender annex: one PDF for the tender file, made of the clause's documents (pypdf).

``annexe-clause-insertion.pdf`` holds the CCAP article, the RC mention, then one blank
commitment form per lot that carries the clause. Each part has a bookmark (the forms one
per lot, under a "Formulaires d'engagement" bookmark), its own page labels (``CCAP-1``,
``RC-1``, ``Lot 4-1``) so a reader can cite a page of a part, and the file's metadata give
its title, subject and the digest of its manifest. That manifest,
``annexe-clause-insertion.manifest.json``, lists each part with its pages and embeds the
part's own manifest (inputs, fragment versions, parameters), so every figure of the annex
stays traceable.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter

from clausegen import __version__
from clausegen.documents.annex import AnnexPlan
from clausegen.documents.document import KEYWORDS
from clausegen.render.outputs import OutputFile

STEM = "annexe-clause-insertion"
FORMAT = "clausegen.annexe/1"
FORMS_BOOKMARK = "Formulaires d'engagement"


@dataclass(frozen=True)
class AnnexPart:
    """One document of the annex: its bookmark, page-label prefix, PDF and manifest."""

    bookmark: str
    label: str
    docx: OutputFile
    manifest: OutputFile
    pdf: OutputFile
    form: bool = False
    """A commitment form: bookmarked under ``FORMS_BOOKMARK``."""


def annex_files(parts: list[AnnexPart], info: AnnexPlan) -> list[OutputFile]:
    """The annex PDF and its manifest; its title, subject, author and date from ``info``."""
    writer = PdfWriter()
    placed: list[tuple[AnnexPart, int, int]] = []
    for part in parts:
        first = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(part.pdf.content)), import_outline=False)
        placed.append((part, first, len(writer.pages) - 1))
    manifest = _manifest(placed, info)
    digest = hashlib.sha256(manifest).hexdigest()
    forms_parent = None
    for part, first, last in placed:
        writer.set_page_label(first, last, style="/D", prefix=f"{part.label}-", start=1)
        if part.form:
            if forms_parent is None:
                forms_parent = writer.add_outline_item(title=FORMS_BOOKMARK, page_number=first)
            writer.add_outline_item(title=part.bookmark, page_number=first, parent=forms_parent)
        else:
            writer.add_outline_item(title=part.bookmark, page_number=first)
    writer.add_metadata(
        {
            "/Title": info.title,
            "/Subject": info.subject,
            "/Author": info.author,
            "/Keywords": f"{KEYWORDS}; manifeste sha256:{digest}",
            "/Creator": f"clausegen {__version__}",
            "/ClausegenManifeste": f"{STEM}.manifest.json sha256:{digest}",
        }
    )
    writer.page_mode = "/UseOutlines"
    buffer = io.BytesIO()
    writer.write(buffer)
    return [
        OutputFile(f"{STEM}.pdf", buffer.getvalue()),
        OutputFile(f"{STEM}.manifest.json", manifest),
    ]


def _manifest(placed: list[tuple[AnnexPart, int, int]], info: AnnexPlan) -> bytes:
    data = {
        "format": FORMAT,
        "document": "annexe",
        "fichier": f"{STEM}.pdf",
        "clausegen": __version__,
        "date_reference": info.at,
        "pages": placed[-1][2] + 1 if placed else 0,
        "parties": [
            {
                "signet": part.bookmark,
                "pages": {"de": first + 1, "a": last + 1, "etiquette": f"{part.label}-1"},
                "fichier": part.docx.name,
                "sha256": hashlib.sha256(part.docx.content).hexdigest(),
                "manifeste": json.loads(part.manifest.content),
            }
            for part, first, last in placed
        ],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
