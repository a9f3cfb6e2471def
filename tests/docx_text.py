"""The text of a DOCX, as people read it, for golden tests and checks.

Headers, body and footers, in that order. Each paragraph is one line prefixed with its
style (``[Heading 2] 7.1 – Fondement…``), so the golden text also shows that paragraphs
and list items kept the template's styles; a table is one line per row, cells separated by
`` | ``. Fields (page numbers) show as ``{PAGE}``, not their last computed value; a picture
shows as ``{IMAGE 16,0 × 7,6 cm}`` (its size on the page).
"""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from clausegen.render.docx_package import CUSTOM_NS, CUSTOM_PART


def docx_text(blob: bytes) -> str:
    """Header, body and footer text of the document ``blob``."""
    document = Document(io.BytesIO(blob))
    lines: list[str] = []
    section = document.sections[0]
    lines.append("=== header")
    lines.extend(_paragraph_line(p) for p in section.header.paragraphs)
    lines.append("=== body")
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
        else:
            lines.append(_paragraph_line(block))
    lines.append("=== footer")
    lines.extend(_paragraph_line(p) for p in section.footer.paragraphs)
    return "\n".join(lines) + "\n"


def _paragraph_line(paragraph: Paragraph) -> str:
    style = paragraph.style.name if paragraph.style is not None else "?"
    return f"[{style}] {paragraph_text(paragraph)}"


def _table_lines(table: Table) -> list[str]:
    """One line per row, one entry per cell as written (a merged cell counts once)."""
    return [
        "| "
        + " | ".join(
            " ".join(paragraph_text(Paragraph(p, table)) for p in tc.p_lst) for tc in row._tr.tc_lst
        )
        + " |"
        for row in table.rows
    ]


def paragraph_text(paragraph: Paragraph) -> str:
    """A paragraph's text, fields shown as ``{INSTRUCTION}``."""
    out: list[str] = []
    in_result = False
    instruction = ""
    for element in paragraph._p.iter():
        tag = element.tag
        if tag == qn("w:fldChar"):
            kind = element.get(qn("w:fldCharType"))
            if kind == "begin":
                instruction = ""
            elif kind == "separate":
                in_result = True
            elif kind == "end":
                in_result = False
                out.append("{" + instruction.strip() + "}")
        elif tag == qn("w:instrText"):
            instruction += element.text or ""
        elif tag == qn("w:t") and not in_result:
            out.append(element.text or "")
        elif tag == qn("w:tab") and not in_result and element.getparent().tag == qn("w:r"):
            out.append("\t")
        elif tag == qn("wp:extent"):
            out.append(_image(element))
    return "".join(out)


EMU_PER_CM = 360000


def _image(extent) -> str:  # type: ignore[no-untyped-def]
    width, height = (int(extent.get(side)) / EMU_PER_CM for side in ("cx", "cy"))
    return f"{{IMAGE {width:.1f} × {height:.1f} cm}}".replace(".", ",")


def read_custom_properties(blob: bytes) -> dict[str, str]:
    """The custom properties of a DOCX, by name (empty when it has none)."""
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        if CUSTOM_PART not in package.namelist():
            return {}
        root = etree.fromstring(package.read(CUSTOM_PART))
    return {
        prop.get("name"): "".join(prop.itertext())
        for prop in root.iterfind(f"{{{CUSTOM_NS}}}property")
    }
