"""Rendering a DOCX template with docxtpl: checked first, escaped, sandboxed, reproducible.

Before anything is rendered, the template is linted (``clausegen.render.template_lint``:
damaged tags, syntax, every variable checked against the document's context model).
Rendering uses ``clausegen.templating.xml_environment`` (autoescape, StrictUndefined,
sandbox), passed to docxtpl as our own environment so docxtpl never switches autoescape
on an environment it did not create. Core properties are set after rendering (docxtpl
renders the template's own properties as Jinja; user text must never be a template), and
taken from the input, never the clock.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from pydantic import BaseModel

from clausegen.contexts_execution import ImageContexte
from clausegen.render.docx_package import finish_package
from clausegen.templating import xml_environment


@dataclass(frozen=True)
class DocumentProperties:
    """What File › Properties shows: core properties and the custom ones (the manifest)."""

    title: str
    subject: str
    author: str
    keywords: str
    created: datetime
    custom: list[tuple[str, str]]


def render_docx(template: Path, context: BaseModel, properties: DocumentProperties) -> bytes:
    """The rendered document's bytes: the same for the same template, context and properties.

    Lint the template once first (``CheckedTemplate.load``): rendering does not.
    """
    document = DocxTemplate(template)
    document.render(_template_data(context, document), jinja_env=xml_environment())
    core = document.docx.core_properties
    core.title = properties.title
    core.subject = properties.subject
    core.author = properties.author
    core.keywords = properties.keywords
    core.last_modified_by = properties.author
    core.created = properties.created
    core.modified = properties.created
    core.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return finish_package(buffer.getvalue(), properties.custom)


def _template_data(value: object, document: DocxTemplate) -> object:
    """The context as plain data for Jinja; each ``ImageContexte`` becomes a docxtpl image."""
    if isinstance(value, ImageContexte):
        return InlineImage(document, io.BytesIO(value.png), width=Cm(value.largeur_cm))
    if isinstance(value, BaseModel):
        return {
            name: _template_data(getattr(value, name), document)
            for name in type(value).model_fields
        }
    if isinstance(value, list):
        return [_template_data(item, document) for item in value]
    return value
