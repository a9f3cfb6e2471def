"""The fast render path: a template prepared once, then each document rendered from it.

Plain docxtpl (``clausegen.render.docx.render_docx``) opens the whole package, parses every
part, pre-processes and compiles the Jinja source, and re-serialises and re-compresses
every part, for every document. ``PreparedTemplate`` does that work once per template:

- the body, headers and footers are pre-processed by docxtpl's own ``patch_xml`` and
  compiled by our sandboxed environment once;
- every part a document does not change (styles, numbering, theme, settings, fonts,
  relationships, content types) is serialised as python-docx writes it and deflated once;
- the core properties part is kept parsed, and copied per document.

A document then costs one Jinja render per story, the same post-processing docxtpl does
(``fix_tables``, ``resolve_listing``, docPr renumbering, one lxml parse and serialisation)
and the compression of its few changed parts. Images (``ImageContext``) get the image
part names, relationship ids and drawing XML python-docx would give them, computed once
per number of images. The output is byte-identical to the plain path: a test compares
both on every sample document. An image in a header or footer is rare enough that such
a document takes the plain path.
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
import struct
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.image.image import Image
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docx.oxml.ns import nsmap
from docx.oxml.shape import CT_Inline
from docx.shared import Cm
from docxtpl import DocxTemplate
from jinja2 import Environment, Template
from lxml import etree
from pydantic import BaseModel

from clausegen.documents.document import Properties
from clausegen.documents.execution_contexts import ImageContext
from clausegen.law.templating import xml_environment
from clausegen.render.docx import render_docx, set_properties, template_data
from clausegen.render.docx_package import (
    CUSTOM_PART,
    custom_properties_xml,
    member_order,
    package_members,
    with_custom_part,
)
from clausegen.render.zip_writer import ZipMember, zip_archive

DOCXTPL_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
"""The core properties docxtpl renders as Jinja, in its order (element order follows it)."""
FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
DOCUMENT_PART = "word/document.xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
CORE_PART = "docProps/core.xml"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TBL = f"{_W}tbl"
_ANY_ROW = f".//{_W}tr"
_BODY_NAMESPACES = re.compile(r'(?<=^<w:body)(?: xmlns:\w+="[^"]*")+')
STORY_CACHE = 64
_PICTURES = etree.XPath("//wp:docPr", namespaces=nsmap)


@dataclass(frozen=True)
class _PropertyTemplate:
    """A core property docxtpl renders; most hold no tag and render to a constant."""

    template: Template | None
    constant: str | None

    @classmethod
    def of(cls, environment: Environment, source: str) -> _PropertyTemplate:
        if "{" in source:
            return cls(environment.from_string(source), None)
        return cls(None, environment.from_string(source).render())

    def render(self, data: Any) -> str:
        if self.template is None:
            assert self.constant is not None
            return self.constant
        return self.template.render(data)


class _PlainPathNeeded(Exception):
    """This document uses something the prepared path does not reproduce."""


@dataclass(frozen=True)
class _Story:
    """A header or footer: its member name, encoding and compiled source."""

    member: str
    encoding: str
    template: Template


@dataclass(frozen=True)
class _ImageLayout:
    """What adding ``n`` distinct images to the document does to the package."""

    slots: tuple[tuple[str, str], ...]
    """(relationship id, member name) of each image, in order of first use."""
    members: dict[str, ZipMember]
    """The relationships and content types, with the images in."""


class PreparedTemplate:
    """A DOCX template ready to render many documents fast, byte-identical to docxtpl."""

    def __init__(self, path: Path) -> None:
        self.path = path
        template = DocxTemplate(path)
        template.init_docx()
        self._docxtpl = template
        environment = xml_environment()
        document = template.docx
        body_xml = template.get_xml()
        self._body = environment.from_string(_source(template, body_xml))
        self._tables_stay_fixed = "{%tc" not in body_xml and _rows_fill_their_grids(
            document.element.body
        )
        self._root = document.element
        self._current_body = self._root.body
        self._parser = etree.XMLParser(recover=True)
        self._document_open = _document_open(self._root)
        self._story_parts: dict[bytes, bytes] = {}
        self._layouts: dict[int, _ImageLayout] = {}
        self._stories = [
            _Story(
                member=str(part.partname).lstrip("/"),
                encoding=template.get_headers_footers_encoding(xml),
                template=environment.from_string(_source(template, xml)),
            )
            for uri in (template.HEADER_URI, template.FOOTER_URI)
            for _, part in template.get_headers_footers(uri)
            for xml in [template.get_part_xml(part)]
        ]
        core = document.core_properties
        self._properties = [
            (name, _PropertyTemplate.of(environment, source))
            for name in DOCXTPL_PROPERTIES
            for source in [getattr(core, name)]
        ]
        self._core = copy.deepcopy(core._element)
        self._shape_id = document.part.next_id
        self.supported = not any(p.content_type == FOOTNOTES for p in document.part.package.parts)
        changing = {DOCUMENT_PART, CORE_PART, CUSTOM_PART, *(s.member for s in self._stories)}
        self._static = {
            name: ZipMember.of(name, content)
            for name, content in _unrendered_members(document).items()
            if name not in changing
        }

    def render(self, context: BaseModel, properties: Properties) -> bytes:
        """The document's bytes: the same as ``render_docx`` for the same inputs."""
        if not self.supported:
            return render_docx(self.path, context, properties)
        images = _Images(self)
        try:
            return self._render(template_data(context, images.add), images, properties)
        except _PlainPathNeeded:
            return render_docx(self.path, context, properties)

    def _render(self, data: Any, images: _Images, properties: Properties) -> bytes:
        body = _finished(self._docxtpl, self._body.render(data))
        document = self._document(body)
        document_xml = serialize_part_xml(document)
        changed: dict[str, bytes] = {}
        images.in_story = True
        for story in self._stories:
            xml = _finished(self._docxtpl, story.template.render(data)).encode(story.encoding)
            changed[story.member] = self._story_part(xml)
        core = CoreProperties(copy.deepcopy(self._core))
        for name, template in self._properties:
            setattr(core, name, template.render(data))
        set_properties(core, properties)
        changed[CUSTOM_PART] = custom_properties_xml(properties.custom)
        members = {
            **self._static,
            DOCUMENT_PART: ZipMember.of(DOCUMENT_PART, document_xml),
            CORE_PART: ZipMember.of(CORE_PART, serialize_part_xml(core._element)),
        }
        if images.blobs:
            layout = self.image_layout(len(images.blobs))
            members.update(layout.members)
            for (_, member), blob in zip(layout.slots, images.blobs, strict=True):
                changed[member] = blob
        # the parts shared by many documents (headers, footers, properties) are cached
        members.update({name: _member(name, content) for name, content in changed.items()})
        return zip_archive([members[name] for name in member_order(members)])

    def _document(self, body: str) -> etree._Element:
        """The document element holding the rendered ``body``, as python-docx would have it.

        docxtpl parses the body alone, fixes its tables and moves it into the template's
        document; python-docx then serialises the document, the body's namespace
        declarations merged into the root's. When the tables need no fixing (nearly
        always), the same element comes from one parse of the body spliced into the
        root's opening tag, without its own declarations: moving a tree between lxml
        documents costs more than parsing it.
        """
        inner = _BODY_NAMESPACES.sub("", body, count=1)
        if self._document_open is not None and "xmlns" not in inner:
            # (a declaration inside the body, an image's, is merged only by a move)
            spliced = self._document_open + inner + "</w:document>"
            document = etree.fromstring(spliced, parser=self._parser)
            tables = document.iter(_TBL)
            if self._tables_stay_fixed and all(t.find(_ANY_ROW) is not None for t in tables):
                return _pictures_renumbered(document)
        tree = _pictures_renumbered(self._docxtpl.fix_tables(body))
        self._root.replace(self._current_body, tree)
        self._current_body = tree
        return self._root

    def _story_part(self, xml: bytes) -> bytes:
        """A header or footer as python-docx writes it; the same one is not parsed twice."""
        if xml not in self._story_parts:
            if len(self._story_parts) > STORY_CACHE:
                self._story_parts.clear()
            self._story_parts[xml] = serialize_part_xml(parse_xml(xml))
        return self._story_parts[xml]

    def image_inline(self, index: int, png: bytes, width: int) -> str:
        """The drawing docxtpl's ``InlineImage`` writes for the ``index``-th image."""
        rid, _ = self.image_layout(index + 1).slots[index]
        image = Image.from_blob(png)
        cx, cy = image.scaled_dimensions(width, None)
        inline = CT_Inline.new_pic_inline(self._shape_id, rid, image.filename, cx, cy)
        return (
            f"</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r><w:r>"
            '<w:t xml:space="preserve">'
        )

    def image_layout(self, count: int) -> _ImageLayout:
        if count not in self._layouts:
            self._layouts[count] = _image_layout(self.path, count)
        return self._layouts[count]


class _Images:
    """The images of one document, numbered in order of first use (as python-docx does)."""

    def __init__(self, template: PreparedTemplate) -> None:
        self.template = template
        self.blobs: list[bytes] = []
        self._index: dict[bytes, int] = {}
        """Each distinct image's number, by its SHA-1 (python-docx's identity for images)."""
        self.in_story = False

    def add(self, image: ImageContext) -> _InlineImage:
        return _InlineImage(self, image.png, Cm(image.largeur_cm))

    def inline(self, png: bytes, width: int) -> str:
        if self.in_story:
            raise _PlainPathNeeded  # an image in a header or footer
        digest = hashlib.sha1(png).digest()
        if digest not in self._index:
            self._index[digest] = len(self.blobs)
            self.blobs.append(png)
        return self.template.image_inline(self._index[digest], png, width)


@dataclass(frozen=True)
class _InlineImage:
    """Renders like docxtpl's ``InlineImage`` (autoescape calls ``__html__``)."""

    images: _Images
    png: bytes
    width: int

    def __html__(self) -> str:
        return self.images.inline(self.png, self.width)

    def __str__(self) -> str:
        return self.__html__()


def _pictures_renumbered(tree: etree._Element) -> etree._Element:
    """docxtpl's ``fix_docpr_ids``: the pictures of the body numbered from 1001."""
    for number, element in enumerate(_PICTURES(tree), 1001):
        element.attrib["id"] = str(number)
    return tree


def _document_open(root: etree._Element) -> str | None:
    """The serialised document up to its body (``<?xml …?><w:document xmlns…>``), when the
    body is its only child; None otherwise (then the body is moved in, as docxtpl does)."""
    if [child.tag for child in root] != [f"{_W}body"]:
        return None
    text = serialize_part_xml(root).decode("utf-8")
    opening = text[: text.index("<w:body")]
    declaration, _, element = opening.partition("?>")
    return element.lstrip("\n") if declaration.startswith("<?xml") else None


def _rows_fill_their_grids(body: etree._Element) -> bool:
    """Whether every row of every table spans exactly its table's grid, never more cells.

    Then docxtpl's ``fix_tables`` changes nothing in a rendered document whose tables keep
    at least one row (row loops copy template rows; only ``{%tc`` changes cells), and the
    prepared path skips it.
    """
    for table in body.iter(_TBL):
        grid = len(table.findall(f"{_W}tblGrid/{_W}gridCol"))
        for row in table.iter(f"{_W}tr"):
            cells = row.findall(f"{_W}tc")
            spans = [cell.find(f"{_W}tcPr/{_W}gridSpan") for cell in cells]
            width = sum(int(span.get(f"{_W}val")) if span is not None else 1 for span in spans)
            if width != grid or len(cells) > grid:
                return False
    return True


def _source(template: DocxTemplate, xml: str) -> str:
    """The Jinja source docxtpl renders for a story (``render_xml_part``'s first step)."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", template.patch_xml(xml))


def _finished(template: DocxTemplate, rendered: str) -> str:
    """docxtpl's post-processing of a rendered story (``render_xml_part``'s last steps).

    ``re.sub(r"\n<w:p([ >])", r"<w:p\1", …)`` there is two plain replacements here.
    """
    xml = rendered.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if any(mark in xml for mark in "\t\a\n\f"):
        xml = template.resolve_listing(xml)
    return xml


def _unrendered_members(document: DocxDocument) -> dict[str, bytes]:
    """The package as python-docx saves it (not rendered yet), with the custom properties
    part declared."""
    buffer = io.BytesIO()
    document.save(buffer)
    return with_custom_part(package_members(buffer.getvalue()))


@lru_cache(maxsize=256)
def _member(name: str, content: bytes) -> ZipMember:
    """Headers, footers and custom properties are often the same across a batch."""
    return ZipMember.of(name, content)


def _image_layout(path: Path, count: int) -> _ImageLayout:
    """Add ``count`` distinct PNG images to a fresh package, as docxtpl would, and see."""
    document = Document(str(path))
    slots = []
    for index in range(count):
        rid, _ = document.part.get_or_add_image(io.BytesIO(_tiny_png(index)))
        partname = document.part.related_parts[rid].partname
        slots.append((rid, str(partname).lstrip("/")))
    buffer = io.BytesIO()
    document.save(buffer)
    members = with_custom_part(package_members(buffer.getvalue()))
    changed = ("[Content_Types].xml", DOCUMENT_RELS)
    return _ImageLayout(tuple(slots), {n: ZipMember.of(n, members[n]) for n in changed})


def _tiny_png(seed: int) -> bytes:
    """A distinct 1 × 1 PNG (only its identity and type matter for the layout)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixel = zlib.compress(b"\x00" + seed.to_bytes(3, "big"))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixel) + chunk(b"IEND", b"")
    )
