"""Buyer-like template variants for the fast-path differential test (issue 16).

Word splits a paragraph's text into runs wherever it likes (a spelling mark, a change of
formatting, an edit in the middle of a word), so a tag typed in one go is often saved as
``{%`` in one run and ``tc if …%}`` in the next. These builders make such templates:

- ``synthetic_template``: a document made of blocks a buyer might write (paragraph, row and
  cell tags in loops and conditions, ``{# #}`` comments, ``{%- -%}``, merged cells, images,
  headers and footers with variables), every paragraph's text cut into runs at drawn points;
- ``split_runs``: an existing template (the bundled ones) with its runs cut at random points.
"""

from __future__ import annotations

import io
import itertools
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.text.paragraph import Paragraph
from hypothesis import strategies as st
from lxml import etree
from pydantic import BaseModel

from clausegen.documents.execution_contexts import ImageContext

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT = st.text(alphabet="abcdefgéèôœ &<>\"'’-", min_size=0, max_size=12)
IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "TIFF")


class Ligne(BaseModel):
    nom: str
    heures: str
    actif: bool


class Variant(BaseModel):
    """The context every synthetic template is rendered with."""

    titre: str
    montrer: bool
    lignes: list[Ligne]
    image: ImageContext
    logo: ImageContext


def image_bytes(kind: str, seed: int) -> bytes:
    """A small image of ``kind`` (a Pillow format name), distinct for each seed."""
    from PIL import Image

    buffer = io.BytesIO()
    colour = ((seed * 53) % 256, (seed * 97) % 256, (seed * 193) % 256)
    picture = Image.new("RGB", (4 + seed % 5, 3 + seed % 4), colour)
    if kind == "GIF":
        picture = picture.convert("P")
    picture.save(buffer, format=kind)
    return buffer.getvalue()


@st.composite
def variants(draw: st.DrawFn) -> Variant:
    lignes = draw(
        st.lists(st.builds(Ligne, nom=TEXT, heures=TEXT, actif=st.booleans()), max_size=4)
    )

    def image(name: str) -> ImageContext:
        kind = draw(st.sampled_from(IMAGE_FORMATS), label=f"{name} format")
        seed = draw(st.integers(0, 3), label=f"{name} seed")
        return ImageContext(png=image_bytes(kind, seed), largeur_cm=3, description=name)

    return Variant(
        titre=draw(TEXT),
        montrer=draw(st.booleans()),
        lignes=lignes,
        image=image("image"),
        logo=image("logo"),
    )


@dataclass(frozen=True)
class Paragraphs:
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]
    merge: tuple[int, int, int] | None = None
    """(row, first cell, last cell) merged horizontally."""


@dataclass(frozen=True)
class Story:
    kind: str
    """``header`` or ``footer``."""
    text: str


Block = Paragraphs | Table | Story

BLOCKS: dict[str, Block] = {
    "text": Paragraphs(("Objet : {{ titre }} – fin",)),
    "condition": Paragraphs(("{%p if montrer %}", "Visible : {{ titre }}", "{%p endif %}")),
    "loop": Paragraphs(
        ("{%p for l in lignes %}", "{{ l.nom }} : {{ l.heures }} h", "{%p endfor %}")
    ),
    "dash": Paragraphs(("Avant {%- if montrer %} oui {% endif -%} après",)),
    "comment": Paragraphs(("Texte {# une note interne #}suite",)),
    "row_loop": Table(
        (
            ("Nom", "Heures"),
            ("{%tr for l in lignes %}", ""),
            ("{{ l.nom }}", "{% if l.actif %}{{ l.heures }}{% endif %}"),
            ("{%tr endfor %}", ""),
        )
    ),
    "row_condition": Table(
        (("{%tr if montrer %}", ""), ("{{ titre }}", "x"), ("{%tr endif %}", ""))
    ),
    "cell_condition": Table((("a", "{%tc if montrer %}", "{{ titre }}", "{%tc endif %}"),)),
    "cell_condition_full_row": Table(
        (("a", "{%tc if montrer %}", "{{ titre }}", "{%tc endif %}"), ("1", "2", "3", "4"))
    ),
    "cell_loop": Table((("Lot", "{%tc for l in lignes %}", "{{ l.heures }}", "{%tc endfor %}"),)),
    "cell_comment": Table((("a", "{#tc cellule retirée #}", "b"),)),
    "straddling_condition": Table((("{% if montrer %}a", "b", "c{% endif %}"), ("1", "2", "3"))),
    "cell_span": Table((("{%colspan 2 %}{{ titre }}", "x", "y"),)),
    "merged": Table((("{{ titre }}", "", "c"), ("1", "2", "3")), merge=(0, 0, 1)),
    "merged_loop": Table(
        (
            ("{%tr for l in lignes %}", "", ""),
            ("{{ l.nom }}", "", "{{ l.heures }}"),
            ("{%tr endfor %}", "", ""),
        ),
        merge=(1, 0, 1),
    ),
    "image": Paragraphs(("Graphique : {{ image }}",)),
    "two_images": Paragraphs(("{{ logo }} et {{ image }} puis {{ logo }}",)),
    "header": Story("header", "{{ titre }} – en-tête"),
    "footer": Story("footer", "Pied : {{ titre }}"),
    "header_image": Story("header", "{{ image }}"),
}


@dataclass(frozen=True)
class Recipe:
    """A synthetic template: its blocks, each text as the runs Word saved it in."""

    blocks: tuple[str, ...]
    runs: dict[str, tuple[str, ...]]
    """Each text of the blocks → its pieces, one run each."""
    bold: tuple[bool, ...]

    def build(self) -> bytes:
        document = Document()
        for name in self.blocks:
            self._add(document, BLOCKS[name])
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    def _add(self, document: DocxDocument, block: Block) -> None:
        if isinstance(block, Paragraphs):
            for text in block.texts:
                self._write(document.add_paragraph(), text)
        elif isinstance(block, Table):
            table = document.add_table(rows=len(block.rows), cols=len(block.rows[0]))
            table.style = "Table Grid"
            if block.merge is not None:
                row, first, last = block.merge
                table.cell(row, first).merge(table.cell(row, last))
            for r, texts in enumerate(block.rows):
                for c, text in enumerate(texts):
                    if text:
                        self._write(table.cell(r, c).paragraphs[0], text)
        else:
            section = document.sections[0]
            story = section.header if block.kind == "header" else section.footer
            self._write(story.add_paragraph(), block.text)

    def _write(self, paragraph: Paragraph, text: str) -> None:
        for index, piece in enumerate(self.runs[text]):
            run = paragraph.add_run(piece)
            run.bold = self.bold[index % len(self.bold)] or None


def _texts(block: Block) -> list[str]:
    if isinstance(block, Paragraphs):
        return list(block.texts)
    if isinstance(block, Table):
        return [text for row in block.rows for text in row if text]
    return [block.text]


@st.composite
def synthetic_template(draw: st.DrawFn) -> Recipe:
    """A buyer-like template: 1 to 5 blocks, every text cut into runs at drawn points."""
    names = tuple(draw(st.lists(st.sampled_from(sorted(BLOCKS)), min_size=1, max_size=5)))
    runs: dict[str, tuple[str, ...]] = {}
    for text in sorted({text for name in names for text in _texts(BLOCKS[name])}):
        cuts = draw(st.lists(st.integers(1, max(1, len(text) - 1)), max_size=4, unique=True))
        bounds = sorted({0, *cuts, len(text)})
        runs[text] = tuple(text[a:b] for a, b in itertools.pairwise(bounds))
    bold = tuple(draw(st.lists(st.booleans(), min_size=1, max_size=3)))
    return Recipe(names, runs, bold)


def split_runs(template: Path, seed: int) -> bytes:
    """``template`` with about half of its runs cut in two to four, at random points, in
    the body, headers and footers (formatting kept: each piece copies its run)."""
    chooser = random.Random(seed)
    out = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            story = item.filename.startswith(("word/document", "word/header", "word/footer"))
            if story and item.filename.endswith(".xml"):
                content = _split_story(content, chooser)
            target.writestr(item, content)
    return out.getvalue()


def _split_story(xml: bytes, chooser: random.Random) -> bytes:
    root = etree.fromstring(xml)
    for run in list(root.iter(f"{W}r")):
        texts = run.findall(f"{W}t")
        if len(texts) != 1 or len(run) > 2 or not texts[0].text or len(texts[0].text) < 2:
            continue
        if chooser.random() < 0.5:
            continue
        text = texts[0].text
        cuts = sorted(
            chooser.sample(range(1, len(text)), k=min(len(text) - 1, chooser.randint(1, 3)))
        )
        pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        texts[0].text = pieces[0]
        texts[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        anchor = run
        for piece in pieces[1:]:
            clone = etree.fromstring(etree.tostring(run))
            clone.find(f"{W}t").text = piece
            anchor.addnext(clone)
            anchor = clone
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
