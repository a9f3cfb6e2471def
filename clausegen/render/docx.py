"""Rendering a DOCX template with docxtpl: checked first, escaped, sandboxed, reproducible.

Before anything is rendered, the template is linted (``clausegen.render.template_lint``:
damaged tags, syntax, every variable checked against the document's context model).
Rendering uses ``clausegen.law.templating.xml_environment`` (autoescape, StrictUndefined,
sandbox), passed to docxtpl as our own environment so docxtpl never switches autoescape
on an environment it did not create. Core properties are set after rendering (docxtpl
renders the template's own properties as Jinja; user text must never be a template), and
taken from the input, never the clock.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx.opc.coreprops import CoreProperties
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from pydantic import BaseModel

from clausegen.documents.document import Properties
from clausegen.documents.execution_contexts import ImageContext
from clausegen.law.template_variables import context_fields
from clausegen.law.templating import xml_environment
from clausegen.render.docx_package import finish_package, with_alt_text


def render_docx(template: Path, context: BaseModel, properties: Properties) -> bytes:
    """The rendered document's bytes: the same for the same template, context and properties.

    Lint the template once first (``CheckedTemplate.load``): rendering does not.
    """
    document = DocxTemplate(template)

    def image(value: ImageContext) -> InlineImage:
        return _DescribedImage(
            document, io.BytesIO(value.png), width=Cm(value.largeur_cm), alt=value.description
        )

    document.render(template_data(context, image), jinja_env=xml_environment())
    set_properties(document.docx.core_properties, properties)
    buffer = io.BytesIO()
    document.save(buffer)
    return finish_package(buffer.getvalue(), properties.custom)


class _DescribedImage(InlineImage):
    """docxtpl's ``InlineImage`` with alternative text."""

    def __init__(self, *args: Any, alt: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.alt = alt

    def _insert_image(self) -> str:
        return with_alt_text(super()._insert_image(), self.alt)


CORE_PROPERTY_LENGTH = 255
"""The most characters a DOCX core property (title, subject, author…) may hold."""


def core_property(text: str) -> str:
    """``text`` as a core property: cut to ``CORE_PROPERTY_LENGTH`` characters, with an
    ellipsis; the document's own text keeps it whole."""
    if len(text) <= CORE_PROPERTY_LENGTH:
        return text
    return f"{text[: CORE_PROPERTY_LENGTH - 1].rstrip()}…"


def set_properties(core: CoreProperties, properties: Properties) -> None:
    """Our core properties, set after docxtpl's (the order decides the XML's)."""
    core.title = core_property(properties.title)
    core.subject = core_property(properties.subject)
    core.author = core_property(properties.author)
    core.keywords = core_property(properties.keywords)
    core.last_modified_by = core_property(properties.author)
    core.created = properties.created
    core.modified = properties.created
    core.revision = 1


def template_data(context: BaseModel, image: Callable[[ImageContext], object]) -> dict[str, Any]:
    """The context as plain data for Jinja; each ``ImageContext`` goes through ``image``."""
    data = context.model_dump()
    for name in _image_fields(type(context)):
        value = getattr(context, name)
        data[name] = image(value) if value is not None else None
    return data


@functools.cache
def _image_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model`` holding an image; images sit at the top of a context."""
    images = [field.path for field in context_fields(model) if field.kind == "image"]
    nested = [path for path in images if "." in path]
    if nested:
        raise TypeError(f"{model.__name__}: images must be top-level fields, not {nested}")
    return tuple(images)
