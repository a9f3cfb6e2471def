"""Build the bundled DOCX templates in clause_templates/ (a maintainer's tool).

Run it after changing the layout: ``.venv/bin/python scripts/build_templates.py``. The
templates are committed; buyers restyle them in Word or LibreOffice. They use only named
styles (Title, Heading 1, Heading 2, Body Text, List Bullet, Table Grid, Header, Footer),
so changing a style's font or spacing restyles the whole document. Every Jinja tag sits
in a single run, which docxtpl needs.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from clausegen.render.docx_package import fixed_package

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

TEMPLATES = Path(__file__).resolve().parent.parent / "clause_templates"
FONT = "Arial"
BLUE = RGBColor(0x1F, 0x3A, 0x68)
TABLE_SPACING = "Table Spacing"
"""The empty paragraph after a table: the space between the table and what follows (Word
adds none), restylable like any style."""


def _styles(document) -> None:  # type: ignore[no-untyped-def]
    styles = document.styles
    for name, size, bold in (
        ("Normal", 10, False),
        ("Body Text", 10, False),
        ("List Bullet", 10, False),
        ("Title", 15, True),
        ("Heading 1", 13, True),
        ("Heading 2", 11, True),
        ("Heading 3", 10, True),
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
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        styles[name].font.color.rgb = BLUE
        styles[name].font.italic = False
    styles["Title"].paragraph_format.space_after = Pt(12)
    # The document's title is its level-1 heading (Heading 2 and 3 follow in order): Word's
    # navigation pane and the tagged PDF (H1) read it as one.
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), "0")
    styles["Title"].element.get_or_add_pPr().append(level)
    styles["Heading 2"].paragraph_format.space_before = Pt(12)
    styles["Heading 2"].paragraph_format.keep_with_next = True
    styles["Heading 3"].paragraph_format.space_before = Pt(8)
    styles["Heading 3"].paragraph_format.keep_with_next = True
    for name in ("Body Text", "List Bullet"):
        styles[name].paragraph_format.space_after = Pt(6)
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    spacing = styles.add_style(TABLE_SPACING, WD_STYLE_TYPE.PARAGRAPH)
    spacing.base_style = styles["Normal"]
    spacing.font.size = Pt(6)
    spacing.paragraph_format.space_before = Pt(0)
    spacing.paragraph_format.space_after = Pt(3)
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


def _page(document, header_text: str | None = None) -> None:  # type: ignore[no-untyped-def]
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))
    header = section.header.paragraphs[0]
    header.style = document.styles["Header"]
    header.text = header_text or "{{ acheteur.nom }} – consultation {{ consultation.reference }}"
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
    headers = (
        "Lot",
        "Intitulé",
        "Montant estimé HT",
        "Taux d’insertion",
        "Heures d’insertion",
        "ETP",
        "Part de main\u2011d’œuvre",
        "Coût horaire",
    )
    cells = (
        "{{ lot.numero }}",
        "{{ lot.intitule }}",
        "{{ lot.montant_ht }}",
        '{{ lot.taux or "–" }}',
        "{{ lot.heures }}",
        "{{ lot.etp }}",
        "{{ lot.conversion.part_main_oeuvre }}",
        "{{ lot.conversion.cout_horaire }}",
    )
    totals = (
        "{{ totaux.libelle }}",
        "",
        "{{ totaux.montant_ht }}",
        "",
        "{{ totaux.heures }}",
        "{{ totaux.etp }}",
        "",
        "",
    )
    widths = (Cm(0.9), Cm(3.2), Cm(2.5), Cm(2.1), Cm(2.1), Cm(1.1), Cm(2.7), Cm(1.7))
    table = document.add_table(rows=5, cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    rows = (
        (headers, True),
        (("{%tr for lot in lots_retenus %}",) + ("",) * (len(headers) - 1), False),
        (cells, False),
        (("{%tr endfor %}",) + ("",) * (len(headers) - 1), False),
        (totals, True),
    )
    for row, (texts, bold) in zip(table.rows, rows, strict=True):
        for column, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
            cell.width = widths[column]
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles["Normal"]
            run = paragraph.add_run(text)
            run.bold = bold
            run.font.size = Pt(9)  # eight columns on a portrait page
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
    document.add_paragraph(
        "{% if section.numero %}{{ section.numero }} – {% endif %}{{ section.titre }}",
        style="Heading 2",
    )
    _blocks(document, "section.blocs")
    document.add_paragraph("{%p if section.tableau_heures %}")
    _hours_table(document)
    document.add_paragraph("{{ totaux.definition_etp }}.", style="Body Text")
    document.add_paragraph(
        "Taux d’insertion\u00a0: taux avec lequel les heures du lot ont été calculées "
        "selon sa méthode"
        '{% if lots_retenus|rejectattr("taux")|list %}'
        "\u00a0; «\u00a0–\u00a0»\u00a0: sans objet, la méthode du lot n’utilise pas de taux"
        "{% endif %}.",
        style="Body Text",
    )
    document.add_paragraph(
        "Part de main-d’œuvre et coût horaire\u00a0: valeurs avec lesquelles un montant hors taxes "
        "de sous-traitance ou de cotraitance est converti en heures d’insertion, selon la "
        "règle de décompte des heures du CCAP.",
        style="Body Text",
    )
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")
    _save(document, "tender.docx", "Modèle clausegen : article du CCAP et mention du RC.")


# --- execution documents ---------------------------------------------------------------------

DOTS = "……………………………………"
CELL_DOTS = "…………………………"
"""Shorter, so a blank cell of the modalities table stays on one line."""


def _new_document(header: str | None = None):  # type: ignore[no-untyped-def]
    document = Document()
    _styles(document)
    _page(document, header)
    document.add_paragraph("{{ document.titre }}", style="Title")
    return document


def _blocks(document, expression: str, *, keep: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Fragment paragraphs: body text, or list items, each in its own style, kept with the
    next when the block says so (``avec_suivant``: a list's announcing sentence); with
    ``keep``, every one kept with the next (on the page of what follows)."""
    document.add_paragraph(f"{{%p for bloc in {expression} %}}")
    document.add_paragraph("{%p if bloc.liste and bloc.avec_suivant %}")
    _keep_with_next(document.add_paragraph("{{ bloc.texte }}", style="List Bullet"))
    document.add_paragraph("{%p elif bloc.liste %}")
    item = document.add_paragraph("{{ bloc.texte }}", style="List Bullet")
    document.add_paragraph("{%p elif bloc.avec_suivant %}")
    _keep_with_next(document.add_paragraph("{{ bloc.texte }}", style="Body Text"))
    document.add_paragraph("{%p else %}")
    text = document.add_paragraph("{{ bloc.texte }}", style="Body Text")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")
    if keep:
        _keep_with_next(item)
        _keep_with_next(text)


def _fields(document, expression: str, *, keep: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Labelled values; a missing value leaves a dotted line to fill in by hand; with
    ``keep``, each kept with the next."""
    document.add_paragraph(f"{{%p for champ in {expression} %}}")
    field = document.add_paragraph(
        f'{{{{ champ.libelle }}}}\u00a0: {{{{ champ.valeur or "{DOTS}" }}}}', style="Body Text"
    )
    document.add_paragraph("{%p endfor %}")
    if keep:
        _keep_with_next(field)


def _table(  # type: ignore[no-untyped-def]
    document,
    headers: tuple[str, ...],
    widths: tuple[float, ...],
    *,
    loop: tuple[str, tuple[str, ...]] | None = None,
    rows: tuple[tuple[str, ...], ...] = (),
    total: tuple[str, ...] | None = None,
    right_from: int = 99,
    header: bool = True,
    whole: bool = False,
):
    """A table in the Table Grid style: a repeated bold header row, kept with the first row
    below it, then fixed rows, then the rows of a ``{%tr for %}`` loop, then a bold total row
    (its first two cells merged); then an empty ``Table Spacing`` paragraph, the space before
    what follows. No row splits across two pages. Without ``header``, ``headers`` is a plain
    first row (a table of labels and values). A ``whole`` table (a short one) is never split
    across pages: each row keeps with the next."""
    layout: list[tuple[tuple[str, ...], bool]] = [(headers, header)]
    layout += [(row, False) for row in rows]
    if loop is not None:
        expression, cells = loop
        blank = ("",) * (len(headers) - 1)
        layout += [((f"{{%tr for {expression} %}}", *blank), False), (cells, False)]
        layout += [(("{%tr endfor %}", *blank), False)]
    if total is not None:
        layout.append((total, True))
    table = document.add_table(rows=len(layout), cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row, (texts, bold) in zip(table.rows, layout, strict=True):
        for column, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
            cell.width = Cm(widths[column])
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles["Normal"]
            run = paragraph.add_run(text)
            run.bold = bold
            if column >= right_from:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if whole:
                paragraph.paragraph_format.keep_with_next = True
    if total is not None and total[1] == "":
        last = table.rows[len(layout) - 1]
        last.cells[0].merge(last.cells[1])
        for extra in last.cells[0].paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
    for row in table.rows:
        _cant_split(row)
    if header:
        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for cell in table.rows[0].cells:  # the header row stays with the first row below it
            for paragraph in cell.paragraphs:
                _keep_with_next(paragraph)
    document.add_paragraph("", style=TABLE_SPACING)
    return table


def _cant_split(row) -> None:  # type: ignore[no-untyped-def]
    """The row is never split across two pages."""
    properties = row._tr.get_or_add_trPr()
    if properties.find(qn("w:cantSplit")) is None:
        properties.insert(0, OxmlElement("w:cantSplit"))


def _key_values(  # type: ignore[no-untyped-def]
    document, rows: tuple[tuple[str, str], ...], widths: tuple[float, float], right_from: int = 99
):
    """A table of labels and their values: no header row, every row alike."""
    return _table(document, rows[0], widths, rows=rows[1:], right_from=right_from, header=False)


def _keep_with_next(paragraph) -> None:  # type: ignore[no-untyped-def]
    """Keep ``paragraph`` whole and on the page of what follows it."""
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.keep_together = True


def _signature_box(document, width: float = 8.0, height: float = 3.5) -> None:  # type: ignore[no-untyped-def]
    """A box to sign in: a one-cell table of fixed height, never split, kept with the
    paragraphs before it (they keep with the next)."""
    table = document.add_table(rows=1, cols=1)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    table.columns[0].width = Cm(width)
    row = table.rows[0]
    row.height = Cm(height)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
    _cant_split(row)
    cell = row.cells[0]
    cell.width = Cm(width)
    cell.paragraphs[0].style = document.styles["Normal"]


def _save(document, name: str, comment: str) -> None:  # type: ignore[no-untyped-def]
    """Properties set, saved with fixed zip timestamps: building twice gives the same bytes."""
    properties = document.core_properties
    properties.title = "Clause sociale d’insertion"
    properties.author = "clausegen"
    properties.last_modified_by = "clausegen"
    properties.language = "fr-FR"
    properties.comments = comment
    _drop_thumbnail(document)
    buffer = io.BytesIO()
    document.save(buffer)
    (TEMPLATES / name).write_bytes(fixed_package(buffer.getvalue()))


def build_engagement() -> None:
    document = _new_document()
    document.add_paragraph(
        "{{ acheteur.nom }} – consultation {{ consultation.reference }}\u00a0: "
        "{{ consultation.objet }}",
        style="Body Text",
    )
    document.add_paragraph("1 – Le lot et les heures d’insertion requises", style="Heading 2")
    _key_values(
        document,
        (
            ("Lot", "{{ lot.numero }}\u00a0– {{ lot.intitule }}"),
            ("{{ lot.montant_libelle }}", "{{ lot.montant_ht }}"),
            (
                "Heures d’insertion requises",
                "{{ lot.heures }}\u00a0heures ({{ lot.etp }}\u00a0ETP)",
            ),
        ),
        (6.0, 10.4),
    )
    _blocks(document, "preambule")
    document.add_paragraph("2 – L’entreprise", style="Heading 2")
    _fields(document, "entreprise")
    document.add_paragraph("3 – Heures et modalités prévues", style="Heading 2")
    _table(
        document,
        ("Modalité", "Structure partenaire", "Heures prévues"),
        (6.4, 5.0, 5.0),
        loop=(
            "modalite in modalites",
            (
                "{{ modalite.libelle }}",
                f'{{{{ modalite.partenaire or ("" if pre_rempli else "{CELL_DOTS}") }}}}',
                f'{{{{ modalite.heures or "{CELL_DOTS}" }}}}',
            ),
        ),
        total=("Heures engagées", "", f'{{{{ heures_engagees or "{CELL_DOTS}" }}}}'),
        right_from=2,
    )
    document.add_paragraph("{%p if postes %}")
    document.add_paragraph('Postes proposés\u00a0: {{ postes|join(", ") }}.', style="Body Text")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("4 – Le suivi dans l’entreprise", style="Heading 2")
    document.add_paragraph("Référent insertion", style="Body Text").runs[0].bold = True
    _fields(document, "referent")
    tutor = document.add_paragraph(
        '{% if consultation.type_marche == "travaux" %}Tuteur sur le chantier'
        "{% else %}Tuteur dans l’entreprise{% endif %} (embauche directe)",
        style="Body Text",
    )
    tutor.runs[0].bold = True
    _fields(document, "tuteur")
    # The undertakings, the signature heading and the signature block are one chain of
    # paragraphs kept with the next: the block never leaves its heading, and never stands
    # alone on a page without the undertakings it signs.
    document.add_paragraph("5 – Engagements de l’entreprise", style="Heading 2")
    _blocks(document, "engagements", keep=True)
    document.add_paragraph("6 – Signature", style="Heading 2")
    _keep_with_next(
        document.add_paragraph(
            f'Fait à {DOTS}, le {{{{ date_signature or "{DOTS}" }}}}', style="Body Text"
        )
    )
    _fields(document, "signataire", keep=True)
    _keep_with_next(
        document.add_paragraph("Cachet de l’entreprise et signature\u00a0:", style="Body Text")
    )
    _signature_box(document)
    _save(document, "commitment.docx", "Modèle clausegen : fiche d’engagement insertion.")


# --- compliance.docx: the buyer's certificate ------------------------------------------------


def build_conformite() -> None:
    """compliance.docx: the buyer's certificate of the insertion hours, lot by lot."""
    document = _new_document()
    _compliance_company(document)
    _compliance_summary(document)
    document.add_paragraph("{%p for lot in lots %}")
    # Each lot starts a page (a lot's section fills a page or more anyway). Kept with the
    # next only, a lot's heading that starts page 2 flows back to the foot of page 1 when it
    # fits there and its Heading 3 does not: LibreOffice 7.4 re-lays page 1 out once the
    # longer tables of page 2 are formatted, lets the first paragraph of page 2 flow back,
    # and does not take it forward again with what it is kept with (Limoux arrêté au 30 juin
    # 2028). A paragraph with a page break before never flows back.
    lot = document.add_paragraph(
        "Lot\u00a0{{ lot.numero }} – {{ lot.intitule }}", style="Heading 2"
    )
    lot.paragraph_format.page_break_before = True
    _lot_hours_by_modality(document)
    _lot_reporting_periods(document)
    _lot_participants(document)
    _lot_finding(document)
    document.add_paragraph("{%p endfor %}")
    _compliance_method(document)
    _compliance_signature(document)
    _save(document, "compliance.docx", "Modèle clausegen : attestation de l’acheteur.")


def _compliance_company(document: DocxDocument) -> None:
    """The object of the statement, then the references a decision on the contract cites:
    the parties, the execution period, the social considerations declared in the DECP, and
    each lot's contract (number, notification, amount)."""
    _blocks(document, "objet")
    document.add_paragraph("Références du marché", style="Heading 2")
    _key_values(
        document,
        (
            ("Acheteur", "{{ acheteur.nom }} (SIRET\u00a0{{ acheteur.siret }})"),
            ("Consultation", "{{ consultation.reference }} – {{ consultation.objet }}"),
            (
                "Titulaire",
                "{{ entreprise.raison_sociale }} (SIRET\u00a0{{ entreprise.siret }})"
                "{% if entreprise.adresse %}, {{ entreprise.adresse }}{% endif %}",
            ),
            ("Période d’exécution", "du {{ periode.debut }} au {{ periode.fin }}"),
            (
                "Considérations sociales déclarées (données essentielles)",
                "{{ considerations_sociales }}",
            ),
        ),
        (6.0, 10.4),
    )
    _table(
        document,
        ("Lot", "Marché n°", "Notifié le", "Montant HT"),
        (4.8, 3.6, 4.0, 4.0),  # a date in words (non-breaking spaces) fits on one line
        loop=(
            "lot in lots",
            (
                "{{ lot.numero }}\u00a0– {{ lot.intitule }}",
                "{{ lot.marche.numero }}",
                "{{ lot.marche.date_notification }}",
                "{{ lot.marche.montant_ht }}{% if lot.marche.montant_estime %} (estimé){% endif %}",
            ),
        ),
        right_from=3,
    )


def _compliance_summary(document: DocxDocument) -> None:
    """Synthèse: one row of hours per lot, then the chart."""
    document.add_paragraph("Synthèse", style="Heading 2")
    _table(
        document,
        (
            "Lot",
            "Heures requises",
            "Heures engagées",
            "Heures réalisées",
            "Réalisé / dû",
            "Résultat",
        ),
        (3.4, 2.4, 2.4, 2.4, 2.0, 3.8),
        loop=(
            "lot in lots",
            (
                "{{ lot.numero }}\u00a0– {{ lot.intitule }}",
                "{{ lot.requis }}",
                "{{ lot.engage }}",
                "{{ lot.realise }}",
                "{{ lot.taux }}",
                "{{ lot.statut_libelle }}",
            ),
        ),
        right_from=1,
    )
    document.add_paragraph("{%p for lot in lots if lot.du_offre %}")
    document.add_paragraph(
        "Lot {{ lot.numero }}\u00a0: les {{ lot.du }} heures engagées dans l’offre sont dues, "
        "le critère d’attribution les ayant rendues contractuelles\u00a0; la part réalisée "
        "s’entend de ces heures.",
        style="Body Text",
    )
    document.add_paragraph("{%p endfor %}")
    chart = document.add_paragraph("{{ graphique }}", style="Normal")
    chart.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _lot_hours_by_modality(document: DocxDocument) -> None:
    """A lot's hours committed and done, per modality, with their total; the CDI cap when
    it served."""
    document.add_paragraph("Heures par modalité", style="Heading 3")
    _table(
        document,
        ("Modalité", "Structure partenaire", "Heures engagées", "Heures réalisées"),
        (5.4, 5.0, 3.0, 3.0),
        loop=(
            "ligne in lot.modalites",
            (
                "{{ ligne.libelle }}",
                '{{ ligne.partenaires or "–" }}',
                "{{ ligne.engage }}",
                "{{ ligne.realise }}",
            ),
        ),
        total=("Total", "", "{{ lot.engage }}", "{{ lot.realise }}"),
        right_from=2,
    )
    document.add_paragraph("{%p if lot.plafond_cdi %}")
    document.add_paragraph("{{ lot.plafond_cdi }}", style="Body Text")
    document.add_paragraph("{%p endif %}")


def _lot_reporting_periods(document: DocxDocument) -> None:
    """A lot's reporting periods: hours required to date, realised in the period and
    cumulated, and the statement due for each (due date, reception, days late)."""
    document.add_paragraph("Comptes rendus et heures par période", style="Heading 3")
    document.add_paragraph(
        "Dû à date\u00a0: les heures dues sur le lot{% if lot.du_offre %}, celles que l’offre "
        "a engagées,{% endif %} au prorata des jours d’exécution "
        "écoulés à la fin de chaque période, arrondies comme les heures du lot. Le titulaire "
        "transmet {{ termes.comptes_rendus.etat }} au plus tard le "
        "{{ termes.comptes_rendus.jour_limite }} jour du mois qui suit chaque "
        '{% if termes.comptes_rendus.periodicite == "mensuelle" %}mois'
        "{% else %}trimestre civil{% endif %}.",
        style="Body Text",
    )
    document.add_paragraph("{%p if not lot.comptes_rendus_enregistres %}")
    document.add_paragraph(
        "Aucun compte rendu reçu n’a été enregistré\u00a0: les retards de transmission ne sont "
        "pas constatés.",
        style="Body Text",
    )
    document.add_paragraph("{%p endif %}")
    _table(
        document,
        (
            "Période",
            "Dû à date",
            "Réalisé sur la période",
            "Réalisé cumulé",
            "État dû le",
            "Reçu le",
            "Retard",
        ),
        (3.0, 1.8, 1.9, 1.8, 2.4, 3.2, 2.3),  # « non enregistré » on one line
        loop=(
            "periode in lot.periodes",
            (
                "{{ periode.periode }}",
                "{{ periode.requis_a_date }}",
                "{{ periode.realise_periode }}",
                "{{ periode.realise_cumule }}",
                "{{ periode.echeance }}",
                "{{ periode.reception }}",
                "{{ periode.retard }}",
            ),
        ),
        right_from=1,
    )
    document.add_paragraph("{%p for phrase in lot.mises_en_demeure %}")
    document.add_paragraph("{{ phrase }}", style="Body Text")
    document.add_paragraph("{%p endfor %}")


def _lot_participants(document: DocxDocument) -> None:
    """A lot's participants: their numbers and eligibility checks, then head counts by
    criterion, sex and age, and their situation at the closing date, under the
    confidentiality rule (small counts read « < 5 », a masked one « s »)."""
    document.add_paragraph("Participants", style="Heading 3")
    _key_values(
        document,
        (
            ("Personnes ayant effectué des heures", "{{ lot.participants }}"),
            ("Heures en moyenne par personne", '{{ lot.heures_par_participant or "–" }}'),
        ),
        (12.4, 4.0),
        right_from=1,
    )
    document.add_paragraph("{%p if lot.petit_effectif %}")
    document.add_paragraph(
        "Moins de {{ confidentialite.seuil }}\u00a0personnes\u00a0: moyenne non publiée, et "
        "chaque case des répartitions se lit «\u00a0<\u00a0{{ confidentialite.seuil }}\u00a0», "
        "qu’elle soit nulle ou non.",
        style="Body Text",
    )
    document.add_paragraph("{%p endif %}")
    _blocks(document, "lot.eligibilite_texte")
    document.add_paragraph("{%p if lot.personnes_suivies %}")
    _keep_with_next(
        document.add_paragraph(
            "Une personne peut relever de plusieurs critères d’éligibilité.", style="Body Text"
        )
    )
    _headcount_table(document, "Critère d’éligibilité", "effectif in lot.par_critere")
    _headcount_table(
        document, "Sexe et âge à l’entrée", "effectif in lot.par_sexe + lot.par_tranche_age"
    )
    _headcount_table(document, "Situation au {{ periode.arrete_au }}", "effectif in lot.sorties")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if lot.masque %}")
    document.add_paragraph(
        "«\u00a0s\u00a0»\u00a0: case masquée pour qu’aucun effectif inférieur à "
        "{{ confidentialite.seuil }} ne se déduise du total par soustraction.",
        style="Body Text",
    )
    document.add_paragraph("{%p endif %}")


def _headcount_table(document: DocxDocument, heading: str, loop: str) -> None:
    """Two columns, a label and a number of people, one row per ``effectif`` of ``loop``."""
    _table(
        document,
        (heading, "Personnes"),
        (12.4, 4.0),
        loop=(loop, ("{{ effectif.libelle }}", "{{ effectif.nombre }}")),
        right_from=1,
        whole=True,
    )


def _lot_finding(document: DocxDocument) -> None:
    """Résultat: the facilitator's finding on a lot, then the penalty calculation if one is
    due (the buyer's own finding closes the document, in ``_compliance_signature``)."""
    document.add_paragraph("Résultat", style="Heading 3")
    _blocks(document, "lot.constat")
    document.add_paragraph("{%p if lot.penalite %}")
    _penalty_table(document)
    document.add_paragraph("{%p endif %}")


def _penalty_table(document: DocxDocument) -> None:
    """How a lot's penalties are calculated, line by line (operands, formula, result),
    then the dated parameters the calculation read. The table is short (a line per kind of
    penalty, the cap and the total): it is never split across pages."""
    _table(
        document,
        ("Calcul des pénalités", "Opérandes et résultat"),
        (7.0, 9.4),
        loop=(
            "ligne in lot.penalite.lignes",
            ("{{ ligne.libelle }}", "{{ ligne.calcul }}"),
        ),
        whole=True,
    )
    document.add_paragraph("{%p for parametre in lot.penalite.parametres %}")
    document.add_paragraph("Paramètre\u00a0: {{ parametre }}.", style="Body Text")
    document.add_paragraph("{%p endfor %}")


def _compliance_method(document: DocxDocument) -> None:
    """Méthode de décompte: how the hours were counted."""
    document.add_paragraph("Méthode de décompte", style="Heading 2")
    _blocks(document, "methode", keep=True)


def _compliance_signature(document: DocxDocument) -> None:
    """The facilitator attests the figures: place and date left to fill in, who signs, a
    box to sign in, kept with the method before it. Then the buyer's finding closes the
    document: per lot, the finding and the decision on the penalty, then the place, date
    and the buyer's representative's signature, one chain kept with the next so the
    signature block never stands alone on a page."""
    _keep_with_next(document.add_paragraph(f"Fait à {DOTS}, le {DOTS}", style="Body Text"))
    _keep_with_next(
        document.add_paragraph(
            "{{ facilitateur.titre }}, {{ facilitateur.nom }} – {{ facilitateur.structure }}",
            style="Body Text",
        )
    )
    _signature_box(document)
    document.add_paragraph("", style=TABLE_SPACING)
    document.add_paragraph("Constat et décision de l’acheteur", style="Heading 2")
    document.add_paragraph("{%p for lot in lots %}")
    document.add_paragraph("Lot\u00a0{{ lot.numero }} – {{ lot.intitule }}", style="Heading 3")
    # Left-aligned: a form's dotted lines must not stretch a justified line.
    document.add_paragraph("{%p for bloc in lot.decision_acheteur %}")
    decision = document.add_paragraph("{{ bloc.texte }}", style="Body Text")
    decision.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _keep_with_next(decision)
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p endfor %}")
    _keep_with_next(document.add_paragraph(f"Fait à {DOTS}, le {DOTS}", style="Body Text"))
    _keep_with_next(
        document.add_paragraph(
            f"Pour {{{{ acheteur.nom_article }}}}, nom et qualité du signataire\u00a0: {DOTS}",
            style="Body Text",
        )
    )
    _keep_with_next(document.add_paragraph("Signature et cachet\u00a0:", style="Body Text"))
    _signature_box(document)


# --- balance.docx: the end-of-mission review of one person -----------------------------------

BLANK = "Non renseigné"
BLANK_F = "Non renseignée"
"""What a value of the balance reads when the facilitator gave none (after a feminine label)."""
NOT_GIVEN = f"{BLANK}."
"""What a section of the balance says when the facilitator gave nothing for it, agreeing
with what the section is about: « le savoir-être », « le savoir-faire »."""
NOT_GIVEN_F = f"{BLANK_F}."
"""The same about a feminine noun: « l’appréciation », « la suite de parcours »."""
NOT_GIVEN_FP = "Non renseignées."
"""The same about a feminine plural: « les missions confiées »."""


def build_bilan() -> None:
    """balance.docx: the review of one person's pathway, at its end or as of a date.

    Its Body Text and List Bullet are left-aligned: the balance's paragraphs are notes,
    names and e-mail addresses, and a long address in a justified line leaves wide gaps
    between the other words. The last section, the data-protection note and the signature
    block are one chain kept with the next: the signature block never stands alone.
    """
    document = _new_document()
    for name in ("Body Text", "List Bullet"):
        document.styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _balance_operation(document)
    _balance_person(document)
    _balance_contract(document)
    _balance_missions(document)
    _balance_hours(document)
    _balance_trainings(document)
    _balance_evaluations(document, "6 – Savoir-être", "Savoir-être", "savoir_etre")
    _balance_evaluations(document, "7 – Savoir-faire", "Savoir-faire", "savoir_faire")
    _balance_appreciations(document)
    _balance_situation(document)
    _balance_next_steps(document)
    _blocks(document, "confidentialite", keep=True)
    _balance_signatures(document)
    _save(document, "balance.docx", "Modèle clausegen : bilan de fin de mission.")


def _balance_operation(document: DocxDocument) -> None:
    """The consultation and the buyer the mission belongs to, and the closing date."""
    document.add_paragraph(
        "Opération\u00a0: {{ consultation.reference }} – {{ consultation.objet }} "
        "({{ acheteur.nom }})",
        style="Body Text",
    )
    document.add_paragraph("Bilan arrêté au {{ arrete_au }}.", style="Body Text")


def _balance_person(document: DocxDocument) -> None:
    """1 – La personne: identity, eligibility, then the eligibility criteria met."""
    document.add_paragraph("1 – La personne", style="Heading 2")
    _key_values(
        document,
        (
            ("Identifiant", "{{ participant.identifiant }}"),
            ("Nom", "{{ participant.nom_complet }}"),
            ("Date de naissance", "{{ participant.date_naissance }}"),
            ("Éligibilité validée le", "{{ participant.date_validation }}"),
            ("Prescripteur", f'{{{{ participant.prescripteur or "{BLANK}" }}}}'),
        ),
        (6.0, 10.4),
    )
    document.add_paragraph("Critères d’éligibilité retenus\u00a0:", style="Body Text")
    document.add_paragraph("{%p for critere in participant.criteres %}")
    document.add_paragraph("{{ critere }}", style="List Bullet")
    document.add_paragraph("{%p endfor %}")


def _balance_contract(document: DocxDocument) -> None:
    """2 – Le contrat et le poste: employer, contract, period, job, tutor, référent,
    modalities."""
    document.add_paragraph("2 – Le contrat et le poste", style="Heading 2")
    _key_values(
        document,
        (
            ("Employeur", "{{ contrat.employeur }}"),
            ("Contrat", "{{ contrat.type }}"),
            (
                "Période",
                "{% if contrat.fin %}du {{ contrat.debut }} au {{ contrat.fin }}"
                "{% else %}à partir du {{ contrat.debut }}{% endif %}",
            ),
            ("Durée hebdomadaire", f'{{{{ contrat.heures_hebdomadaires or "{BLANK_F}" }}}}'),
            ("Poste", "{{ poste }}{% if code_rome %} (code ROME {{ code_rome }}){% endif %}"),
            ("Tuteur", f'{{{{ tuteur or "{BLANK}" }}}}'),
            ("{{ referent_libelle }}", f'{{{{ referent or "{BLANK}" }}}}'),
            ("Modalités", '{{ modalites|join(", ") or "–" }}'),
        ),
        (6.0, 10.4),
    )


def _balance_missions(document: DocxDocument) -> None:
    """3 – Missions confiées: one bullet per task, or that none is recorded."""
    document.add_paragraph("3 – Missions confiées", style="Heading 2")
    document.add_paragraph("{%p for mission in missions %}")
    document.add_paragraph("{{ mission }}", style="List Bullet")
    document.add_paragraph("{%p else %}")
    document.add_paragraph(NOT_GIVEN_FP, style="Body Text")
    document.add_paragraph("{%p endfor %}")


def _balance_hours(document: DocxDocument) -> None:
    """4 – Les heures réalisées: the total, then the hours month by month, if any."""
    document.add_paragraph("4 – Les heures réalisées", style="Heading 2")
    document.add_paragraph("{%p if periode_heures %}")
    document.add_paragraph(
        "{{ total_heures }} d’insertion, {{ periode_heures }}.", style="Body Text"
    )
    _table(
        document,
        ("Mois", "Lot", "Entreprise", "Modalité", "Heures"),
        (3.0, 1.2, 5.0, 4.8, 2.4),
        loop=(
            "ligne in heures",
            (
                "{{ ligne.mois }}",
                "{{ ligne.lot }}",
                "{{ ligne.entreprise }}",
                "{{ ligne.modalite }}",
                "{{ ligne.heures }}",
            ),
        ),
        total=("Total", "", "", "", "{{ total_heures }}"),
        right_from=4,
    )
    document.add_paragraph("{%p else %}")
    document.add_paragraph("Aucune heure n’a encore été déclarée.", style="Body Text")
    document.add_paragraph("{%p endif %}")


def _balance_trainings(document: DocxDocument) -> None:
    """5 – Formations: the trainings followed during the mission, if any."""
    document.add_paragraph("5 – Formations", style="Heading 2")
    document.add_paragraph("{%p if formations %}")
    _table(
        document,
        ("Formation", "Organisme", "Date", "Durée"),
        (6.4, 4.6, 3.4, 2.0),
        loop=(
            "formation in formations",
            (
                "{{ formation.intitule }}",
                '{{ formation.organisme or "–" }}',
                '{{ formation.date or "–" }}',
                "{{ formation.heures }}",
            ),
        ),
        right_from=3,
    )
    document.add_paragraph("{%p else %}")
    document.add_paragraph("Aucune formation pendant la mission.", style="Body Text")
    document.add_paragraph("{%p endif %}")


def _balance_evaluations(document: DocxDocument, heading: str, label: str, items: str) -> None:
    """Savoir-être or savoir-faire: each with its level at the start and at the end (or
    as of the closing date), or that none is recorded."""
    document.add_paragraph(heading, style="Heading 2")
    document.add_paragraph(f"{{%p if {items} %}}")
    table = _table(
        document,
        (label, "À l’entrée", "{{ evaluation_fin }}"),
        (8.4, 4.0, 4.0),
        loop=(
            f"item in {items}",
            ("{{ item.intitule }}", "{{ item.debut }}", "{{ item.fin }}"),
        ),
    )
    _rows_together(table)
    document.add_paragraph("{%p else %}")
    document.add_paragraph(NOT_GIVEN, style="Body Text")
    document.add_paragraph("{%p endif %}")


def _balance_appreciations(document: DocxDocument) -> None:
    """8 – Appréciations: the tutor's, the company référent's and the facilitator's."""
    document.add_paragraph("8 – Appréciations", style="Heading 2")
    document.add_paragraph("{%p for avis in appreciations %}")
    document.add_paragraph("{{ avis.auteur }}", style="Heading 3")
    document.add_paragraph(f'{{{{ avis.texte or "{NOT_GIVEN_F}" }}}}', style="Body Text")
    document.add_paragraph("{%p endfor %}")


def _balance_situation(document: DocxDocument) -> None:
    """9 – Issue du parcours: the exit and its IAE class, or the situation as of the
    closing date."""
    document.add_paragraph("9 – Issue du parcours", style="Heading 2")
    table = _key_values(
        document,
        (
            ("{{ situation.date_libelle }}", "{{ situation.date }}"),
            ("Situation", "{{ situation.libelle }}"),
            ("Classe de sortie (IAE)", "{{ situation.classe }}"),
            ("Précision", '{{ situation.precision or "–" }}'),
        ),
        (6.0, 10.4),
    )
    _rows_together(table)


def _balance_next_steps(document: DocxDocument) -> None:
    """10 – Suite de parcours: each next step with its date; kept with the note and the
    signature block after it."""
    document.add_paragraph("10 – Suite de parcours", style="Heading 2")
    document.add_paragraph("{%p for etape in suite_parcours %}")
    _keep_with_next(
        document.add_paragraph(
            "{{ etape.type }}\u00a0: {{ etape.intitule }}"
            "{% if etape.structure %} – {{ etape.structure }}{% endif %}, "
            "à partir du {{ etape.date }}.",
            style="List Bullet",
        )
    )
    document.add_paragraph("{%p else %}")
    _keep_with_next(document.add_paragraph(NOT_GIVEN_F, style="Body Text"))
    document.add_paragraph("{%p endfor %}")


def _rows_together(table) -> None:  # type: ignore[no-untyped-def]
    """Keep a short table on one page: no row split, each row kept with the next."""
    for row in table.rows:
        _cant_split(row)
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                _keep_with_next(paragraph)


def _balance_signatures(document: DocxDocument) -> None:
    """Place and date, then the facilitator and the person side by side, each by name above
    a box to sign in; kept together and with the data-protection note before it."""
    _keep_with_next(document.add_paragraph(f"Fait à {DOTS}, le {DOTS}", style="Body Text"))
    table = document.add_table(rows=2, cols=2)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    names = (
        "{{ facilitateur.titre }}\u00a0: {{ facilitateur.nom }}",
        "La personne\u00a0: {{ participant.nom_complet }}",
    )
    for row, texts in zip(table.rows, (names, ("", "")), strict=True):
        _cant_split(row)
        for cell, text in zip(row.cells, texts, strict=True):
            cell.width = Cm(8.2)
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles["Normal"]
            paragraph.add_run(text)
            _keep_with_next(paragraph)
    table.rows[1].height = Cm(3.0)
    table.rows[1].height_rule = WD_ROW_HEIGHT_RULE.EXACTLY


def build_evaluation() -> None:
    """evaluation.docx: the facilitator's report across operations, for elected officials
    and co-funders."""
    document = _new_document("{{ structure }} – période du {{ debut }} au {{ fin }}")
    intro = document.add_paragraph(
        "Rapport établi par {{ structure_article }} ({{ facilitateur }}) sur les opérations "
        "dont l’exécution couvre tout ou partie de la période du {{ debut }} au {{ fin }}, "
        "pour les élus et les cofinanceurs de la clause.",
        style="Body Text",
    )
    _keep_with_next(intro)
    document.add_paragraph("Chiffres clés", style="Heading 2")
    _rows_together(
        _key_values(
            document,
            (
                ("Opérations évaluées", "{{ totaux.operations }}"),
                ("Acheteurs", "{{ totaux.acheteurs }}"),
                (
                    "Lots portant la clause",
                    "{{ totaux.lots }}, dont {{ totaux.lots_suivis }} suivis",
                ),
                ("Lots sans engagement remis", "{{ totaux.sans_engagement }}"),
                ("Lots ayant atteint leur objectif", "{{ totaux.lots_atteints }}"),
                ("Heures requises des lots suivis", "{{ totaux.requis }}"),
                ("Heures engagées", "{{ totaux.engage }}"),
                ("Heures réalisées", "{{ totaux.realise }}, soit {{ totaux.taux }}"),
                ("Équivalents temps plein réalisés", "{{ totaux.etp }}"),
                (
                    "Personnes en parcours (comptées une fois)",
                    "{{ totaux.participants }}, dont {{ totaux.plusieurs_operations }} sur "
                    "plusieurs opérations",
                ),
                ("Entreprises titulaires", "{{ totaux.entreprises }}"),
                ("Structures d’insertion partenaires", "{{ totaux.structures }}"),
                ("Heures manquantes en fin d’exécution", "{{ totaux.heures_manquantes }}"),
                ("Pénalités calculées (avant décision de l’acheteur)", "{{ totaux.penalites }}"),
            ),
            (9.0, 7.4),
            right_from=1,
        )
    )
    document.add_paragraph("Périmètre", style="Heading 2")
    table = _table(
        document,
        ("Opération", "Acheteur", "Dispositif", "Lots", "Arrêté au"),
        (4.5, 2.9, 3.8, 1.2, 4.0),  # « fin d’exécution le 31 mars 2028 » on one line
        loop=(
            "op in operations",
            (
                "{{ op.reference }} – {{ op.objet }}",
                "{{ op.acheteur }}",
                "{{ op.dispositif }}",
                "{{ op.lots }}",
                "{{ op.arrete_au }}",
            ),
        ),
        right_from=3,
    )
    document.add_paragraph("{%p if hors_periode %}")
    _keep_with_next(
        document.add_paragraph(
            "Opérations écartées, leur exécution se situant hors de la période\u00a0:",
            style="Body Text",
        )
    )
    document.add_paragraph("{%p for op in hors_periode %}")
    document.add_paragraph("{{ op }}", style="List Bullet")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("Acheteurs", style="Heading 3")
    _count_table(document, "acheteurs", "Acheteur", "Nombre d’opérations")
    document.add_paragraph("Lots portant la clause", style="Heading 3")
    _keep_with_next(
        document.add_paragraph(
            "Heures requises par le calibrage de chaque lot portant la clause. Un lot est "
            "suivi quand l’entreprise titulaire a remis son engagement\u00a0: les heures "
            "d’insertion ci-après, comme les attestations, ne comptent que les "
            "{{ totaux.lots_suivis }}\u00a0lots suivis.",
            style="Body Text",
        )
    )
    for heading, loop, short in (
        ("Par dispositif", "par_dispositif", True),
        ("Par secteur (division CPV)", "par_division_cpv", True),
        ("Par métier", "par_metier", False),
    ):
        table = _table(
            document,
            (heading, "Lots", "Heures requises", "Opérations"),
            (6.0, 1.6, 3.0, 5.8),
            loop=(
                f"ligne in {loop}",
                (
                    "{{ ligne.libelle }}",
                    "{{ ligne.lots }}",
                    "{{ ligne.heures }}",
                    "{{ ligne.operations }}",
                ),
            ),
            right_from=1,
        )
        if short:
            _rows_together(table)
    document.add_paragraph("Heures d’insertion", style="Heading 2")
    table = _table(
        document,
        (
            "Opération",
            "Lots suivis",
            "Heures requises",
            "Heures engagées",
            "Heures réalisées",
            "ETP",
        ),
        (4.0, 1.8, 2.7, 2.7, 2.7, 2.5),
        loop=(
            "op in operations",
            (
                "{{ op.reference }}",
                "{{ op.lots_suivis }}",
                "{{ op.requis }}",
                "{{ op.engage }}",
                "{{ op.realise }}",
                "{{ op.etp }}",
            ),
        ),
        total=(
            "Total",
            "{{ totaux.lots_suivis }}",
            "{{ totaux.requis }}",
            "{{ totaux.engage }}",
            "{{ totaux.realise }}",
            "{{ totaux.etp }}",
        ),
        right_from=1,
    )
    document.add_paragraph("{{ totaux.definition_etp }}.", style="Body Text")
    chart = document.add_paragraph("{{ graphique }}", style="Normal")
    chart.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _keep_with_next(chart)
    document.add_paragraph(
        "Source\u00a0: le tableau ci-dessus, soit la somme des attestations de chaque "
        "opération (heures requises du calibrage des lots suivis, heures engagées des "
        "engagements des entreprises, heures réalisées des registres des heures), arrêtées au "
        "{{ fin }}, à la fin de l’exécution ou au dernier mois du registre des heures "
        "s’ils sont antérieurs (voir le Périmètre).",
        style="Body Text",
    )
    for heading, loop in (
        ("Modalité", "par_modalite"),
        ("Type de structure", "par_type_structure"),
    ):
        table = _table(
            document,
            (heading, "Heures engagées", "Heures réalisées", "Opérations"),
            (6.4, 2.8, 2.8, 4.4),
            loop=(
                f"ligne in {loop}",
                (
                    "{{ ligne.libelle }}",
                    "{{ ligne.engage }}",
                    "{{ ligne.realise }}",
                    "{{ ligne.operations }}",
                ),
            ),
            right_from=1,
        )
        _rows_together(table)
    document.add_paragraph("Personnes en parcours", style="Heading 2")
    masked = document.add_paragraph(
        "Les effectifs inférieurs à {{ seuil }}\u00a0personnes sont masqués "
        "(«\u00a0<\u00a0{{ seuil }}\u00a0»){% if masque %}\u202f; «\u00a0s\u00a0» masque une "
        "case qui permettrait de retrouver une case "
        "cachée{% endif %}.",
        style="Body Text",
    )
    _keep_with_next(masked)
    for heading, loop in (
        ("Critère d’éligibilité", "par_critere"),
        ("Sexe", "par_sexe"),
        ("Tranche d’âge", "par_tranche_age"),
        ("Situation à la date d’arrêté", "situations"),
    ):
        _rows_together(_people_table(document, loop, heading))
    document.add_paragraph("Situation six mois après le parcours", style="Heading 3")
    document.add_paragraph("{{ sortie_6_mois }}", style="Body Text")
    document.add_paragraph("Entreprises et structures d’insertion", style="Heading 2")
    _table(
        document,
        ("Entreprise", "Lots", "Heures réalisées", "Opérations"),
        (7.0, 1.4, 2.8, 5.2),
        loop=(
            "e in entreprises",
            (
                "{{ e.raison_sociale }} (SIRET\u00a0{{ e.siret }})",
                "{{ e.lots }}",
                "{{ e.realise }}",
                "{{ e.operations }}",
            ),
        ),
        right_from=1,
    )
    _table(
        document,
        ("Structure partenaire", "Type", "Opérations"),
        (8.0, 2.4, 6.0),
        loop=("s in structures", ("{{ s.nom }}", "{{ s.type }}", "{{ s.operations }}")),
    )
    document.add_paragraph("Écarts et pénalités", style="Heading 2")
    document.add_paragraph("{%p if ecarts %}")
    _table(
        document,
        ("Opération", "Lot", "Entreprise", "Résultat", "Heures manquantes", "Pénalités"),
        # ids, « manquantes » and amounts each unbroken; the lot's title on few lines
        (2.8, 3.4, 2.2, 2.6, 2.6, 2.8),
        loop=(
            "e in ecarts",
            (
                "{{ e.operation }}",
                "{{ e.lot }}",
                "{{ e.entreprise }}",
                "{{ e.statut }}",
                "{{ e.ecart }}",
                "{{ e.penalite }}",
            ),
        ),
        right_from=4,
    )
    document.add_paragraph("{%p for note in notes_ecarts %}")
    document.add_paragraph("{{ note }}", style="Body Text")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p else %}")
    document.add_paragraph("Aucun lot n’est en écart à la date d’arrêté.", style="Body Text")
    document.add_paragraph("{%p endif %}")
    # The method is read as one block: its notes are kept together, on the page of its
    # heading, rather than leave its last lines alone on a page of their own.
    document.add_paragraph("Méthode et sources", style="Heading 2")
    document.add_paragraph("{%p for note in methode %}")
    _keep_with_next(document.add_paragraph("{{ note }}", style="Body Text"))
    document.add_paragraph("{%p endfor %}")
    _save(document, "evaluation.docx", "Modèle clausegen : évaluation de la clause.")


def _count_table(document: DocxDocument, loop: str, heading: str, count: str):  # type: ignore[no-untyped-def]
    return _table(
        document,
        (heading, count, "Opérations"),
        (7.4, 3.0, 6.0),
        loop=(
            f"ligne in {loop}",
            ("{{ ligne.libelle }}", "{{ ligne.nombre }}", "{{ ligne.operations }}"),
        ),
        right_from=1,
    )


def _people_table(document: DocxDocument, loop: str, heading: str):  # type: ignore[no-untyped-def]
    """People counted across the operations: no column of operations, which would tell in
    which operation the people of a small cell work."""
    return _table(
        document,
        (heading, "Personnes"),
        (12.4, 4.0),
        loop=(f"ligne in {loop}", ("{{ ligne.libelle }}", "{{ ligne.nombre }}")),
        right_from=1,
    )


if __name__ == "__main__":
    TEMPLATES.mkdir(exist_ok=True)
    build_tender()
    build_engagement()
    build_conformite()
    build_bilan()
    build_evaluation()
    for name in ("tender", "commitment", "compliance", "balance", "evaluation"):
        print(f"wrote {TEMPLATES / name}.docx")
