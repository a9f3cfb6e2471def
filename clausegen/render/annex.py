"""The tender annex: one PDF for the tender file, made of the clause's documents (pikepdf).

``annexe-clause-insertion.pdf`` holds the CCAP article, the RC mention, then one blank
commitment form per lot that carries the clause. Each part has a bookmark (the forms one
per lot, under a "Formulaires d’engagement" bookmark), its own page labels (``CCAP-1``,
``RC-1``, ``Lot 4-1``) so a reader can cite a page of a part, and the file's metadata give
its title, subject and the digest of its manifest. That manifest,
``annexe-clause-insertion.manifest.json``, lists each part with its pages and embeds the
part's own manifest (inputs, fragment versions, parameters), so every figure of the annex
stays traceable. The parts keep their structure trees, language and PDF/A identification
(``clausegen.render.pdf_merge``): the annex is one tagged PDF/A document when they are.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from clausegen import __version__
from clausegen.documents.annex import AnnexPlan
from clausegen.documents.document import keywords
from clausegen.render.outputs import OutputFile

if TYPE_CHECKING:
    from pikepdf import Pdf

STEM = "annexe-clause-insertion"
FORMAT = "clausegen.annexe/1"
FORMS_BOOKMARK = "Formulaires d’engagement"


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
    """The annex PDF and its manifest; its title, subject, author and date from ``info``.

    The parts are merged with their structure trees (``pdf_merge``): tagged PDF/A parts give
    a tagged PDF/A annex, one ``Part`` structure element per part. pikepdf is imported here:
    the commands that make no annex do not load it."""
    from pikepdf import Array, Dictionary, Name, OutlineItem, String

    from clausegen.render.pdf_merge import MergePart, merge

    merged, ranges = merge([MergePart(part.pdf.content, part.bookmark) for part in parts])
    placed = [(part, first, last) for part, (first, last) in zip(parts, ranges, strict=True)]
    manifest = _manifest(placed, info)
    digest = hashlib.sha256(manifest).hexdigest()
    labels = Array()
    for part, first, _ in placed:
        labels.extend([first, Dictionary(S=Name.D, P=String(f"{part.label}-"), St=1)])
    merged.Root.PageLabels = Dictionary(Nums=labels)
    with merged.open_outline() as outline:
        forms: OutlineItem | None = None
        for part, first, _ in placed:
            item = OutlineItem(part.bookmark, first)
            if part.form:
                if forms is None:
                    forms = OutlineItem(FORMS_BOOKMARK, first)
                    outline.root.append(forms)
                forms.children.append(item)
            else:
                outline.root.append(item)
    _describe(merged, info, keywords(digest))
    merged.docinfo[Name("/ClausegenManifeste")] = f"{STEM}.manifest.json sha256:{digest}"
    merged.Root.PageMode = Name.UseOutlines
    buffer = io.BytesIO()
    merged.save(buffer)
    return [
        OutputFile(f"{STEM}.pdf", buffer.getvalue()),
        OutputFile(f"{STEM}.manifest.json", manifest),
    ]


def _describe(pdf: Pdf, info: AnnexPlan, keywords: str) -> None:
    """Title, subject, author, keywords and creator in the document information and, when
    the parts are PDF/A (they have XMP metadata), in the XMP too, the two kept equal."""
    from pikepdf import Name

    creator = f"clausegen {__version__}"
    if "/Metadata" not in pdf.Root:
        for key, value in (
            ("/Title", info.title),
            ("/Subject", info.subject),
            ("/Author", info.author),
            ("/Keywords", keywords),
            ("/Creator", creator),
        ):
            pdf.docinfo[Name(key)] = value
        return
    with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
        xmp["dc:title"] = info.title
        xmp["dc:description"] = info.subject
        xmp["dc:creator"] = [info.author]
        xmp["pdf:Keywords"] = keywords
        xmp["xmp:CreatorTool"] = creator


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
