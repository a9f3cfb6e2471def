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
per sequence of image formats (PNG, JPEG, GIF… each named and typed from its own bytes).

Every shortcut is decided on the rendered document, never on the template's source, where
Word's runs can split a tag (``{%`` in one run, ``tc …%}`` in the next): docxtpl's table
fix-up is skipped only when it provably changes nothing in this document
(``_tables_need_fixing``). The output is byte-identical to the plain path: a test
compares both on every sample document and on generated buyer-like templates. What the
prepared path does not reproduce takes the plain path, with a declared reason
(``Fallback``): footnotes in the template, an image in a header or footer.
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
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
    with_alt_text,
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
_TC = f"{_W}tc"
_TC_PR = f"{_W}tcPr"
_GRID_SPAN = f"{_W}gridSpan"
_GRID_COL = f"{_W}gridCol"
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


class Fallback(StrEnum):
    """Why a document took the plain docxtpl path instead of the prepared one."""

    FOOTNOTES = "the template has footnotes, which the prepared path does not render"
    IMAGE_IN_STORY = "an image is placed in a header or footer"


class _PlainPathNeeded(Exception):
    """This document uses something the prepared path does not reproduce."""

    def __init__(self, reason: Fallback) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class _Story:
    """A header or footer: its member name, encoding, Jinja source and compiled source."""

    member: str
    encoding: str
    source: str
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
        body_source = _source(template, body_xml)
        self._body = environment.from_string(body_source)
        self._cells_are_static = _cells_are_static(body_source) and _rows_fill_their_grids(
            document.element.body
        )
        self._root = document.element
        self._current_body = self._root.body
        self._parser = etree.XMLParser(recover=True)
        self._document_open = _document_open(self._root)
        self._story_parts: dict[bytes, bytes] = {}
        self._layouts: dict[tuple[str, ...], _ImageLayout] = {}
        self._stories = [
            _Story(
                member=str(part.partname).lstrip("/"),
                encoding=template.get_headers_footers_encoding(xml),
                source=source,
                template=environment.from_string(source),
            )
            for uri in (template.HEADER_URI, template.FOOTER_URI)
            for _, part in template.get_headers_footers(uri)
            for xml in [template.get_part_xml(part)]
            for source in [_source(template, xml)]
        ]
        core = document.core_properties
        self._properties = [
            (name, _PropertyTemplate.of(environment, source))
            for name in DOCXTPL_PROPERTIES
            for source in [getattr(core, name)]
        ]
        self._core = copy.deepcopy(core._element)
        self._shape_id = document.part.next_id
        footnotes = any(p.content_type == FOOTNOTES for p in document.part.package.parts)
        self.fallback = Fallback.FOOTNOTES if footnotes else None
        """Why every document of this template takes the plain path; None when none does."""
        changing = {DOCUMENT_PART, CORE_PART, CUSTOM_PART, *(s.member for s in self._stories)}
        self._static = {
            name: ZipMember.of(name, content)
            for name, content in _unrendered_members(document).items()
            if name not in changing
        }

    def fallbacks(self, images: Sequence[str]) -> list[Fallback]:
        """Why documents of this template would take the plain path: always (footnotes), or
        whenever an image variable among ``images`` is shown in a header or footer. Read on
        the Jinja sources, tags rejoined across runs."""
        found = [self.fallback] if self.fallback is not None else []
        if images:
            used = re.compile(r"\{\{[^}]*\b(" + "|".join(map(re.escape, images)) + r")\b")
            if any(used.search(story.source) for story in self._stories):
                found.append(Fallback.IMAGE_IN_STORY)
        return found

    @property
    def supported(self) -> bool:
        """Whether documents of this template can take the prepared path."""
        return self.fallback is None

    def render(self, context: BaseModel, properties: Properties) -> bytes:
        """The document's bytes: the same as ``render_docx`` for the same inputs."""
        return self.render_traced(context, properties)[0]

    def render_traced(
        self, context: BaseModel, properties: Properties
    ) -> tuple[bytes, Fallback | None]:
        """The document's bytes, and why it took the plain path (None: it did not)."""
        if self.fallback is not None:
            return render_docx(self.path, context, properties), self.fallback
        images = _Images(self)
        try:
            return self._render(template_data(context, images.add), images, properties), None
        except _PlainPathNeeded as needed:
            return render_docx(self.path, context, properties), needed.reason

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
            layout = self.image_layout(images.blobs)
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
            if self._cells_are_static:
                fixing = any(t.find(_ANY_ROW) is None for t in document.iter(_TBL))
            else:
                fixing = _tables_need_fixing(document)
            if not fixing:
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

    def image_inline(self, blobs: Sequence[bytes], image: Image, width: int, alt: str) -> str:
        """The drawing docxtpl's ``InlineImage`` writes for the last of ``blobs``, the
        document's distinct images in order of first use."""
        rid, _ = self.image_layout(blobs).slots[-1]
        cx, cy = image.scaled_dimensions(width, None)
        inline = CT_Inline.new_pic_inline(self._shape_id, rid, image.filename, cx, cy)
        return with_alt_text(
            f"</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r><w:r>"
            '<w:t xml:space="preserve">',
            alt,
        )

    def image_layout(self, blobs: Sequence[bytes]) -> _ImageLayout:
        """Part names, relationships and content types for these distinct images; they
        depend on the sequence of their formats only (python-docx names a part
        ``imageN.<ext>`` and types it from the image's bytes), so they are made once per
        sequence of formats."""
        formats = tuple(Image.from_blob(blob).ext for blob in blobs)
        if formats not in self._layouts:
            self._layouts[formats] = _image_layout(self.path, blobs)
        return self._layouts[formats]


class _Images:
    """The images of one document, numbered in order of first use (as python-docx does)."""

    def __init__(self, template: PreparedTemplate) -> None:
        self.template = template
        self.blobs: list[bytes] = []
        self._index: dict[bytes, int] = {}
        """Each distinct image's number, by its SHA-1 (python-docx's identity for images)."""
        self.in_story = False

    def add(self, image: ImageContext) -> _InlineImage:
        return _InlineImage(self, image.png, Cm(image.largeur_cm), image.description)

    def inline(self, png: bytes, width: int, alt: str) -> str:
        if self.in_story:
            raise _PlainPathNeeded(Fallback.IMAGE_IN_STORY)
        image = Image.from_blob(png)
        digest = hashlib.sha1(png).digest()
        if digest not in self._index:
            self._index[digest] = len(self.blobs)
            self.blobs.append(png)
        blobs = self.blobs[: self._index[digest] + 1]
        return self.template.image_inline(blobs, image, width, alt)


@dataclass(frozen=True)
class _InlineImage:
    """Renders like docxtpl's ``InlineImage`` (autoescape calls ``__html__``)."""

    images: _Images
    png: bytes
    width: int
    alt: str

    def __html__(self) -> str:
        return self.images.inline(self.png, self.width, self.alt)

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


def _tables_need_fixing(document: etree._Element) -> bool:
    """Whether docxtpl's ``fix_tables`` would change a table of this rendered document.

    It mirrors ``fix_tables``'s two tests, table by table and over the same rows (every
    ``w:tr`` below the table, nested tables' included): a row with more cells than the
    grid has columns adds columns; a grid wider than its widest row (in grid spans)
    loses columns, as when ``{%tc`` removed cells or a loop left no row.
    """
    for table in document.iter(_TBL):
        grid = table.find(f"{_W}tblGrid")
        if grid is None:
            return True  # fix_tables fails on it: let the plain path say so
        columns = sum(1 for _ in grid.iterchildren(_GRID_COL))
        widest = 0
        for row in table.iter(f"{_W}tr"):
            cells = list(row.iterchildren(_TC))
            if len(cells) > columns:
                return True
            if widest < columns:
                widest = max(widest, _width(cells))
        if widest < columns:
            return True
    return False


def _width(cells: list[etree._Element]) -> int:
    """A row's width in grid columns: its cells, each counting its ``gridSpan``."""
    width = len(cells)
    for cell in cells:
        for properties in cell.iterchildren(_TC_PR):
            for span in properties.iterchildren(_GRID_SPAN):
                width += int(span.get(f"{_W}val")) - 1
    return width


def _rows_fill_their_grids(body: etree._Element) -> bool:
    """Whether every row of every table of the template spans exactly its table's grid."""
    for table in body.iter(_TBL):
        grid = table.find(f"{_W}tblGrid")
        if grid is None:
            return False
        columns = sum(1 for _ in grid.iterchildren(_GRID_COL))
        for row in table.iter(f"{_W}tr"):
            cells = list(row.iterchildren(_TC))
            if len(cells) > columns or _width(cells) != columns:
                return False
    return True


_STRUCTURE = re.compile(
    r"<(?P<close>/?)w:(?P<element>tbl|tr|tc)(?=[ >/])[^>]*?(?P<empty>/?)>"
    r"|(?P<tag>\{%-?\s*(?P<keyword>\w+)[^%]*?%\}|\{\{.*?\}\}|\{#.*?#\})",
    re.DOTALL,
)
_OPENERS = {"if", "for", "with", "filter", "call", "macro", "block", "raw", "autoescape"}
_IN_A_TAG = re.compile(r"<[^<>]*\{[{%#]")


def _cells_are_static(source: str) -> bool:
    """Whether rendering can change no row's cells: decided on the Jinja source docxtpl
    renders (its tags already rejoined across runs), so a split tag cannot hide.

    Cells are static when no tag sits in a row outside its cells (where ``{%tc …%}`` and
    ``{#tc …#}`` end up), no block opened in a cell or row closes in another, and no tag
    sits inside an XML tag (``colspan``, ``cellbg``, ``vm`` write attributes). Then each
    rendered row is a copy of a template row, and only a table left without rows needs
    docxtpl's fix-up.
    """
    if _IN_A_TAG.search(source):
        return False
    containers: list[tuple[str, int]] = [("body", 0)]
    blocks: list[tuple[str, int]] = []
    for number, match in enumerate(_STRUCTURE.finditer(source), 1):
        element = match["element"]
        if element is not None:
            if match["empty"]:
                continue
            if match["close"]:
                if containers[-1][0] != element:
                    return False
                containers.pop()
            else:
                containers.append((element, number))
            continue
        container = containers[-1]
        if container[0] == "tr":
            return False
        keyword = match["keyword"] or ""
        if keyword in _OPENERS or (keyword == "set" and "=" not in match["tag"]):
            blocks.append(container)
        elif keyword.startswith("end"):
            if not blocks or blocks.pop() != container:
                return False
        elif keyword in {"else", "elif"} and (not blocks or blocks[-1] != container):
            return False
    return not blocks and containers == [("body", 0)]


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


def _image_layout(path: Path, blobs: Sequence[bytes]) -> _ImageLayout:
    """Add these distinct images to a fresh package, as docxtpl would, and see which parts
    and relationships python-docx makes (they depend on the images' formats only)."""
    document = Document(str(path))
    slots = []
    for blob in blobs:
        rid, _ = document.part.get_or_add_image(io.BytesIO(blob))
        partname = document.part.related_parts[rid].partname
        slots.append((rid, str(partname).lstrip("/")))
    buffer = io.BytesIO()
    document.save(buffer)
    members = with_custom_part(package_members(buffer.getvalue()))
    changed = ("[Content_Types].xml", DOCUMENT_RELS)
    return _ImageLayout(tuple(slots), {n: ZipMember.of(n, members[n]) for n in changed})
