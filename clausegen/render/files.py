"""A finished document as files: its DOCX and its manifest (sidecar JSON and properties)."""

from __future__ import annotations

from clausegen.documents.document import Document
from clausegen.render.outputs import OutputFile
from clausegen.render.templates import CheckedTemplate


def document_files(document: Document, template: CheckedTemplate) -> list[OutputFile]:
    """``stem.docx`` and ``stem.manifest.json``; the same document gives the same bytes."""
    return [
        OutputFile(
            document.docx_name,
            template.render(document.context, document.properties, document.docx_name),  # type: ignore[arg-type]
        ),
        OutputFile(document.manifest_name, document.manifest.to_json().encode("utf-8")),
    ]
