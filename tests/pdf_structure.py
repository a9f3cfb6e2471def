"""What a PDF's catalog says about its accessibility and archiving, read with pypdf."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

HEADINGS = {"/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6"}


@dataclass
class Tagging:
    """A PDF's tagging and metadata, as the acceptance tests check them."""

    marked: bool
    lang: str | None
    roles: set[str] = field(default_factory=set)
    """The standard structure types used (custom ones resolved through the role map)."""
    parts: list[tuple[str, set[int]]] = field(default_factory=list)
    """Each ``Part`` element's title and the pages (0-based) its content is on."""
    pdfa_part: str | None = None
    title: str | None = None
    keywords: str | None = None
    alt_texts: list[str] = field(default_factory=list)
    tagged_pages: set[int] = field(default_factory=set)


def tagging(path: Path) -> Tagging:
    """Read ``path``'s ``/MarkInfo``, ``/Lang``, structure tree and XMP metadata."""
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    mark = root.get("/MarkInfo")
    lang = root.get("/Lang")
    found = Tagging(marked=bool(mark and mark.get("/Marked")), lang=str(lang) if lang else None)
    pages = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    tree = root.get("/StructTreeRoot")
    if tree is not None:
        tree = tree.get_object()
        roles = {str(k): str(v) for k, v in (tree.get("/RoleMap") or {}).items()}
        for element in _elements(tree.get("/K")):
            role = str(element["/S"])
            role = roles.get(role, role)
            found.roles.add(role)
            if "/Alt" in element:
                found.alt_texts.append(str(element["/Alt"]))
            if role == "/Part":
                found.parts.append((str(element.get("/T")), _pages_of(element, pages)))
            found.tagged_pages |= _own_pages(element, pages)
    metadata = reader.xmp_metadata
    if metadata is not None:
        ids = metadata.get_nodes_in_namespace("", "http://www.aiim.org/pdfa/ns/id/")
        parts = [node for node in ids if node.localName == "part"]
        found.pdfa_part = parts[0].firstChild.data if parts and parts[0].firstChild else None
        if not parts:
            for description in ids:
                value = description.getAttributeNS("http://www.aiim.org/pdfa/ns/id/", "part")
                found.pdfa_part = value or found.pdfa_part
        titles = metadata.dc_title or {}
        found.title = titles.get("x-default")
        found.keywords = metadata.pdf_keywords
    return found


def _elements(kids: Any) -> Iterator[DictionaryObject]:
    """Every structure element under ``kids``, depth first."""
    if kids is None:
        return
    kids = kids.get_object()
    for kid in kids if isinstance(kids, ArrayObject) else [kids]:
        kid = kid.get_object()
        if isinstance(kid, DictionaryObject) and "/S" in kid:
            yield kid
            yield from _elements(kid.get("/K"))


def _own_pages(element: DictionaryObject, pages: dict[int, int]) -> set[int]:
    """The pages of ``element``'s own marked content (its ``/Pg`` and its MCRs')."""
    found = set()
    if "/Pg" in element:
        found.add(pages[element.raw_get("/Pg").idnum])
    kids = element.get("/K")
    kids = kids.get_object() if kids is not None else []
    for kid in kids if isinstance(kids, ArrayObject) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, DictionaryObject) and "/S" not in kid and "/Pg" in kid:
            found.add(pages[kid.raw_get("/Pg").idnum])
    return found


def _pages_of(element: DictionaryObject, pages: dict[int, int]) -> set[int]:
    found = _own_pages(element, pages)
    for child in _elements(element.get("/K")):
        found |= _own_pages(child, pages)
    return found


def body_lines(page_text: str, *, header: str, title: str) -> list[str]:
    """A page's text lines without its running header (a line holding ``header``, and the
    document's ``title``) and its footer (« Page N sur M »), spaces made plain."""
    lines = [re.sub(r"[\s\u00a0\u202f]+", " ", line).strip() for line in page_text.splitlines()]
    return [
        line
        for line in lines
        if line
        and not re.fullmatch(r"Page \d+ sur \d+", line)
        and header not in line
        and line != title
    ]
