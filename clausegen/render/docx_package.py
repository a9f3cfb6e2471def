"""The DOCX package (a zip): byte-identical output and custom document properties.

A saved DOCX differs from run to run only by its zip entries' timestamps and the clock in
its core properties. ``finish_package`` rewrites the zip with a fixed timestamp, fixed
attributes and a fixed member order, and adds ``docProps/custom.xml``: the custom
properties Word shows under File › Properties › Custom, where the manifest is stored.
"""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import quoteattr

from lxml import etree

from clausegen.render.zip_writer import LEVEL, entry_info

CUSTOM_PART = "docProps/custom.xml"
CUSTOM_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_RELATIONSHIP = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PROPERTY_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
"""The format id Word gives every user-defined property."""


def finish_package(blob: bytes, custom: list[tuple[str, str]]) -> bytes:
    """``blob`` rewritten deterministically, with ``custom`` as its custom properties."""
    members = with_custom_part(package_members(blob))
    members[CUSTOM_PART] = custom_properties_xml(custom)
    return _zipped(members)


def fixed_package(blob: bytes) -> bytes:
    """``blob`` rewritten deterministically, its parts unchanged (for the bundled templates)."""
    return _zipped(package_members(blob))


def zipped(members: dict[str, bytes]) -> bytes:
    """``members`` as a deterministic zip package (fixed order and timestamps)."""
    return _zipped(members)


def package_members(blob: bytes) -> dict[str, bytes]:
    """Every member of a zip package, by name."""
    with zipfile.ZipFile(io.BytesIO(blob)) as source:
        return {info.filename: source.read(info) for info in source.infolist()}


def with_custom_part(members: dict[str, bytes]) -> dict[str, bytes]:
    """``members`` with the content type and relationship of the custom properties part."""
    return {
        **members,
        "[Content_Types].xml": _with_content_type(members["[Content_Types].xml"]),
        "_rels/.rels": _with_relationship(members["_rels/.rels"]),
    }


def member_order(names: Iterable[str]) -> list[str]:
    """The fixed order of a package's members: content types first, then by name."""
    return ["[Content_Types].xml", *sorted(n for n in names if n != "[Content_Types].xml")]


def _zipped(members: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for name in member_order(members):
            target.writestr(entry_info(name), members[name], compresslevel=LEVEL)
    return output.getvalue()


def custom_properties_xml(custom: list[tuple[str, str]]) -> bytes:
    """``docProps/custom.xml`` holding ``custom``, in order."""
    return _custom_xml(tuple(custom))


@functools.lru_cache(maxsize=64)
def _custom_xml(custom: tuple[tuple[str, str], ...]) -> bytes:
    """The documents of a batch share their manifest's properties: built once for them."""
    root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    for pid, (name, value) in enumerate(custom, start=2):
        prop = etree.SubElement(
            root, f"{{{CUSTOM_NS}}}property", fmtid=PROPERTY_FMTID, pid=str(pid), name=name
        )
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _with_content_type(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    part_name = f"/{CUSTOM_PART}"
    if not any(o.get("PartName") == part_name for o in root.iterfind(f"{{{TYPES_NS}}}Override")):
        etree.SubElement(
            root, f"{{{TYPES_NS}}}Override", PartName=part_name, ContentType=CUSTOM_CONTENT_TYPE
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _with_relationship(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    relationships = list(root.iterfind(f"{{{RELS_NS}}}Relationship"))
    if not any(r.get("Type") == CUSTOM_RELATIONSHIP for r in relationships):
        etree.SubElement(
            root,
            f"{{{RELS_NS}}}Relationship",
            Id="rIdClausegenCustom",
            Type=CUSTOM_RELATIONSHIP,
            Target=CUSTOM_PART,
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def with_alt_text(drawing: str, text: str) -> str:
    """A picture's drawing XML with ``text`` as its alternative text (``wp:docPr/@descr``),
    which LibreOffice exports as the ``/Alt`` of the tagged PDF's ``Figure``."""
    return drawing.replace("<wp:docPr ", f"<wp:docPr descr={quoteattr(text)} ", 1)
