"""Any composed document as files: the DOCX and its manifest (sidecar JSON and properties)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

from clausegen.compose import ComposedDocument, cite_fragments
from clausegen.fragments import FragmentRegistry
from clausegen.manifest import FileDigest, Manifest
from clausegen.render.docx import DocumentProperties
from clausegen.render.outputs import OutputFile
from clausegen.render.templates import CheckedTemplate

KEYWORDS = "clause sociale d'insertion; commande publique"


def input_digests(*paths: Path) -> tuple[FileDigest, ...]:
    """The digests of input files, named without their folder."""
    return tuple(FileDigest.of(path.name, path.read_bytes()) for path in paths)


def document_files(
    composed: ComposedDocument,
    template: CheckedTemplate,
    inputs: tuple[FileDigest, ...],
    stem: str,
    *,
    registry: FragmentRegistry,
    author: str,
    subject: str,
    created: date,
) -> list[OutputFile]:
    """``stem.docx`` and ``stem.manifest.json``; the same inputs give the same bytes."""
    composed = cite_fragments(composed, template.cited, registry)
    manifest = Manifest(
        document=composed.kind,
        output=f"{stem}.docx",
        inputs=inputs,
        template=template.digest,
        at=composed.at,
        fragments=composed.fragments,
        parameters=composed.parameters,
        closing=composed.closing,
    )
    heading = composed.context.document
    properties = DocumentProperties(
        title=heading.titre
        if heading.titre == heading.nature
        else f"{heading.nature} – {heading.titre}",
        subject=subject,
        author=author,
        keywords=KEYWORDS,
        created=datetime.combine(created, time(0), tzinfo=UTC),
        custom=manifest.custom_properties(),
    )
    return [
        OutputFile(f"{stem}.docx", template.prepared.render(composed.context, properties)),  # type: ignore[arg-type]
        OutputFile(f"{stem}.manifest.json", manifest.to_json().encode("utf-8")),
    ]
