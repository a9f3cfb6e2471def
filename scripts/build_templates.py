"""Build the bundled DOCX templates in clause_templates/ (a maintainer's tool).

Run it after changing the layout: ``.venv/bin/python scripts/build_templates.py``. The
templates are committed; buyers restyle them in Word or LibreOffice. They use only named
styles (Title, Heading 1, Heading 2, Body Text, List Bullet, Table Grid, Header, Footer),
so changing a style's font or spacing restyles the whole document. Every Jinja tag sits
in a single run, which docxtpl needs.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

TEMPLATES = Path(__file__).resolve().parent.parent / "clause_templates"
FONT = "Arial"
BLUE = RGBColor(0x1F, 0x3A, 0x68)


def _styles(document) -> None:  # type: ignore[no-untyped-def]
    styles = document.styles
    for name, size, bold in (
        ("Normal", 10, False),
        ("Body Text", 10, False),
        ("List Bullet", 10, False),
        ("Title", 15, True),
        ("Heading 1", 13, True),
        ("Heading 2", 11, True),
        ("Header", 8, False),
        ("Footer", 8, False),
    ):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = bold
        rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            rfonts.set(qn(attribute), FONT)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            rfonts.attrib.pop(qn(theme), None)
    for name in ("Title", "Heading 1", "Heading 2"):
        styles[name].font.color.rgb = BLUE
        styles[name].font.italic = False
    styles["Title"].paragraph_format.space_after = Pt(12)
    styles["Heading 2"].paragraph_format.space_before = Pt(12)
    styles["Heading 2"].paragraph_format.keep_with_next = True
    for name in ("Body Text", "List Bullet"):
        styles[name].paragraph_format.space_after = Pt(6)
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _french(document)


def _french(document) -> None:  # type: ignore[no-untyped-def]
    """Make French the documents' language (spelling, hyphenation) by default."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "fr-FR")
    lang.set(qn("w:eastAsia"), "fr-FR")
    lang.set(qn("w:bidi"), "ar-SA")


def _page(document) -> None:  # type: ignore[no-untyped-def]
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))
    header = section.header.paragraphs[0]
    header.style = document.styles["Header"]
    header.text = "{{ acheteur.nom }} – consultation {{ consultation.reference }}"
    nature = section.header.add_paragraph("{{ document.nature }}", style="Header")
    nature.alignment = WD_ALIGN_PARAGRAPH.LEFT
    footer = section.footer.paragraphs[0]
    footer.style = document.styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" sur ")
    _field(footer, "NUMPAGES")


def _field(paragraph, instruction: str) -> None:  # type: ignore[no-untyped-def]
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice compute when they lay out."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        if kind == "separate":
            paragraph.add_run("1")


def _hours_table(document) -> None:  # type: ignore[no-untyped-def]
    headers = ("Lot", "Intitulé", "Montant estimé HT", "Heures d'insertion", "ETP (indicatif)")
    cells = (
        "{{ lot.numero }}",
        "{{ lot.intitule }}",
        "{{ lot.montant_ht }}",
        "{{ lot.heures }}",
        "{{ lot.etp }}",
    )
    totals = ("Total", "", "{{ totaux.montant_ht }}", "{{ totaux.heures }}", "{{ totaux.etp }}")
    widths = (Cm(1.2), Cm(6.2), Cm(3.6), Cm(2.9), Cm(2.5))
    table = document.add_table(rows=5, cols=5)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    rows = (
        (headers, True),
        (("{%tr for lot in lots_retenus %}", "", "", "", ""), False),
        (cells, False),
        (("{%tr endfor %}", "", "", "", ""), False),
        (totals, True),
    )
    for row, (texts, bold) in zip(table.rows, rows, strict=True):
        for column, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
            cell.width = widths[column]
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles["Normal"]
            run = paragraph.add_run(text)
            run.bold = bold
            if column >= 2:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    total_row = table.rows[4]
    total_row.cells[0].merge(total_row.cells[1])
    for extra in total_row.cells[0].paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    header_row = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    header_row.append(repeat)


def _drop_thumbnail(document) -> None:  # type: ignore[no-untyped-def]
    """python-docx's default package carries a preview picture of another document."""
    package_rels = document.part.package.rels
    for key, relationship in list(package_rels.items()):
        if relationship.reltype.endswith("/metadata/thumbnail"):
            del package_rels[key]


def build_tender() -> None:
    document = Document()
    _styles(document)
    _page(document)
    document.add_paragraph("{{ document.titre }}", style="Title")
    document.add_paragraph("{%p for section in sections %}")
    document.add_paragraph("{{ section.numero }} – {{ section.titre }}", style="Heading 2")
    document.add_paragraph("{%p for bloc in section.blocs %}")
    document.add_paragraph("{%p if bloc.liste %}")
    document.add_paragraph("{{ bloc.texte }}", style="List Bullet")
    document.add_paragraph("{%p else %}")
    document.add_paragraph("{{ bloc.texte }}", style="Body Text")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p if section.tableau_heures %}")
    _hours_table(document)
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")
    properties = document.core_properties
    properties.title = "Clause sociale d'insertion"
    properties.author = "clausegen"
    properties.last_modified_by = "clausegen"
    properties.language = "fr-FR"
    properties.comments = "Modèle clausegen : article du CCAP et mention du RC."
    _drop_thumbnail(document)
    document.save(TEMPLATES / "tender.docx")


if __name__ == "__main__":
    TEMPLATES.mkdir(exist_ok=True)
    build_tender()
    print(f"wrote {TEMPLATES / 'tender.docx'}")
