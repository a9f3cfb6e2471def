"""The tender-file documents as files: the CCAP article and the RC mention, with manifests."""

from __future__ import annotations

from pathlib import Path

from clausegen.calibrage import Calibrage
from clausegen.compose import compose_tender
from clausegen.fragments import FragmentRegistry
from clausegen.model import Operation
from clausegen.parameters import ParameterSet
from clausegen.render.documents import document_files, input_digests
from clausegen.render.outputs import OutputFile
from clausegen.render.templates import BUNDLED, CheckedTemplate, TemplateSet

FILE_STEMS = {"ccap": "ccap-clause-insertion", "rc": "rc-clause-insertion"}


def render_tender(
    operation_file: Path,
    operation: Operation,
    calibrage: Calibrage,
    registry: FragmentRegistry,
    parameters: ParameterSet,
    templates: TemplateSet = BUNDLED,
) -> list[OutputFile]:
    """Each tender document as DOCX followed by its manifest as JSON."""
    template = CheckedTemplate.load(templates, "tender", registry)
    inputs = input_digests(operation_file)
    consultation = operation.consultation
    files = []
    for document in compose_tender(operation, calibrage, registry, parameters):
        files += document_files(
            document,
            template,
            inputs,
            FILE_STEMS[document.kind],
            registry=registry,
            author=operation.acheteur.nom,
            subject=f"{consultation.reference} – {consultation.objet}",
            created=consultation.date_lancement,
        )
    return files
