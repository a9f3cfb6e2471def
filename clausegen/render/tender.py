"""The tender-file documents as files: the CCAP article and the RC mention, with manifests."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

from clausegen.calibrage import Calibrage
from clausegen.compose import ComposedDocument, compose_tender
from clausegen.contexts import DocumentAppelOffresContexte
from clausegen.fragments import FragmentRegistry
from clausegen.manifest import FileDigest, Manifest
from clausegen.model import Operation
from clausegen.parameters import ParameterSet
from clausegen.render.docx import DocumentProperties, check_template, render_docx
from clausegen.render.outputs import OutputFile

TEMPLATES_DIR = Path(__file__).resolve().parent.parent.parent / "clause_templates"
TEMPLATE_NAME = "tender.docx"
FILE_STEMS = {"ccap": "ccap-clause-insertion", "rc": "rc-clause-insertion"}


def render_tender(
    operation_file: Path,
    operation: Operation,
    calibrage: Calibrage,
    registry: FragmentRegistry,
    parameters: ParameterSet,
    templates: Path = TEMPLATES_DIR,
) -> list[OutputFile]:
    """Each tender document as DOCX followed by its manifest as JSON."""
    source = FileDigest.of(operation_file.name, operation_file.read_bytes())
    template = templates / TEMPLATE_NAME
    template_digest = FileDigest.of(TEMPLATE_NAME, template.read_bytes())
    check_template(template, DocumentAppelOffresContexte)
    files = []
    for document in compose_tender(operation, calibrage, registry, parameters):
        stem = FILE_STEMS[document.kind]
        manifest = Manifest(
            document=document.kind,
            output=f"{stem}.docx",
            input=source,
            template=template_digest,
            at=document.at,
            fragments=document.fragments,
            parameters=document.parameters,
        )
        properties = _properties(operation, document, manifest)
        files.append(
            OutputFile(f"{stem}.docx", render_docx(template, document.context, properties))
        )
        files.append(OutputFile(f"{stem}.manifest.json", manifest.to_json().encode("utf-8")))
    return files


def _properties(
    operation: Operation, document: ComposedDocument, manifest: Manifest
) -> DocumentProperties:
    consultation = operation.consultation
    return DocumentProperties(
        title=f"{document.context.document.nature} – {document.title}",
        subject=f"{consultation.reference} – {consultation.objet}",
        author=operation.acheteur.nom,
        keywords="clause sociale d'insertion; commande publique",
        created=datetime.combine(consultation.date_lancement, time(0), tzinfo=UTC),
        custom=manifest.custom_properties(),
    )
