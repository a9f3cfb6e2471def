"""Issue 16: the fast path gives plain docxtpl's bytes for every template a buyer can save.

Two generators feed the same comparison (prepared path against plain docxtpl, byte for
byte, or a fallback the prepared path declares, which then renders with docxtpl itself):

- synthetic buyer-like templates (``tests/template_variants.py``): tags split across runs
  at drawn points, ``{%tc``/``{%tr``/``{%p`` in loops and conditions, ``{# #}`` and
  ``{#tc #}`` comments, ``{%- -%}``, merged cells, images of each format (PNG, JPEG, GIF,
  BMP, TIFF) in the body or a header, headers and footers with variables;
- the four bundled templates with their runs cut at random points, rendered with the real
  contexts of the works sample's documents.

``pytest --hypothesis-show-statistics tests/test_fast_differential.py`` shows how many
variants took the fast path and how many fell back, by cause.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from clausegen.documents.document import Properties
from clausegen.render.docx import render_docx
from clausegen.render.prepared import Fallback, PreparedTemplate
from clausegen.render.templates import BUNDLED_DIR
from tests.helpers import FOLLOW_UP, OPERATION, SAMPLE, run
from tests.template_variants import (
    Recipe,
    Variant,
    image_bytes,
    split_runs,
    synthetic_template,
    variants,
)

PROPERTIES = Properties(
    title="Variante",
    subject="Différentiel",
    author="Ville d’Essai & Cie",
    keywords="clausegen",
    created=datetime(2026, 9, 15),
    custom=[("clausegen.fragment.x", "x@2026-09-15 sha256:0")],
)
SETTINGS = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _compare(template: Path, context, properties: Properties) -> None:
    """Fast bytes equal plain bytes, or both paths refuse the template alike."""
    try:
        plain = render_docx(template, context, properties)
    except Exception as plain_error:  # the template is broken for docxtpl too
        with pytest.raises(type(plain_error)):
            PreparedTemplate(template).render(context, properties)
        event("path: both refuse")
        return
    produced, fallback = PreparedTemplate(template).render_traced(context, properties)
    event(f"path: {'fast' if fallback is None else 'plain, ' + fallback.name.lower()}")
    assert produced == plain


@SETTINGS
@given(recipe=synthetic_template(), context=variants())
def test_synthetic_buyer_templates_render_alike(tmp_path_factory, recipe: Recipe, context: Variant):
    path = tmp_path_factory.mktemp("variant") / "template.docx"
    path.write_bytes(recipe.build())
    _compare(path, context, PROPERTIES)


@pytest.fixture(scope="module")
def sample_documents(tmp_path_factory) -> list[tuple[str, object, Properties]]:
    """(template name, context, properties) of every document the works sample renders."""
    seen: list[tuple[str, object, Properties]] = []
    fast = PreparedTemplate.render

    def record(self, context, properties):
        seen.append((self.path.name, context, properties))
        return fast(self, context, properties)

    out = tmp_path_factory.mktemp("sample")
    commitments = ["--commitments", str(SAMPLE / "engagements")]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PreparedTemplate, "render", record)
        assert run("tender", OPERATION, "-o", str(out / "t")).exit_code == 0
        company = str(SAMPLE / "engagements" / "lot-01-bati-sud.yaml")
        assert (
            run(
                "commitment", OPERATION, "--lot", "1", "--company", company, "-o", str(out)
            ).exit_code
            == 0
        )
        assert run("compliance", OPERATION, *commitments, *FOLLOW_UP, "-o", str(out)).exit_code == 0
        assert (
            run("balance", OPERATION, *FOLLOW_UP, "--participant", "P01", "-o", str(out)).exit_code
            == 0
        )
    assert {name for name, _, _ in seen} == {
        "tender.docx",
        "commitment.docx",
        "compliance.docx",
        "balance.docx",
    }
    return seen


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_bundled_templates_with_runs_split_render_alike(sample_documents, tmp_path_factory, data):
    name, context, properties = data.draw(st.sampled_from(sample_documents), label="document")
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    path = tmp_path_factory.mktemp("bundled") / name
    path.write_bytes(split_runs(BUNDLED_DIR / name, seed))
    _compare(path, context, properties)


def _media(document: bytes) -> list[tuple[str, str]]:
    with zipfile.ZipFile(io.BytesIO(document)) as package:
        types = package.read("[Content_Types].xml").decode()
        return [
            (name, "image/jpeg" if 'Extension="jpg" ContentType="image/jpeg"' in types else "")
            for name in package.namelist()
            if name.startswith("word/media/")
        ]


def test_a_jpeg_image_is_a_jpg_part_of_type_image_jpeg_in_both_paths(tmp_path):
    from docx import Document

    document = Document()
    document.add_paragraph("{{ image }}")
    path = tmp_path / "image.docx"
    document.save(path)
    from pydantic import BaseModel

    from clausegen.documents.execution_contexts import ImageContext

    class Context(BaseModel):
        image: ImageContext

    context = Context(image=ImageContext(png=image_bytes("JPEG", 1), largeur_cm=3, description="x"))
    produced, fallback = PreparedTemplate(path).render_traced(context, PROPERTIES)
    plain = render_docx(path, context, PROPERTIES)
    assert fallback is None and produced == plain
    assert _media(produced) == [("word/media/image1.jpg", "image/jpeg")]


def test_a_split_tc_tag_that_removes_a_cell_gives_the_same_grid_in_both_paths(tmp_path):
    from docx import Document
    from pydantic import BaseModel

    class Context(BaseModel):
        montrer: bool

    document = Document()
    row = document.add_table(rows=1, cols=4).rows[0]
    row.cells[0].paragraphs[0].add_run("a")
    for cell, (first, second) in zip(
        row.cells[1::2], [("{%", "tc if montrer %}"), ("{%", "tc endif %}")], strict=True
    ):
        cell.paragraphs[0].add_run(first)
        cell.paragraphs[0].add_run(second)
    row.cells[2].paragraphs[0].add_run("b")
    path = tmp_path / "split.docx"
    document.save(path)
    for montrer, grid in ((True, [b'w:w="4320"'] * 2), (False, [b'w:w="8640"'])):
        produced, fallback = PreparedTemplate(path).render_traced(
            Context(montrer=montrer), PROPERTIES
        )
        assert fallback is None and produced == render_docx(
            path, Context(montrer=montrer), PROPERTIES
        )
        with zipfile.ZipFile(io.BytesIO(produced)) as package:
            xml = package.read("word/document.xml")
        assert [part.split(b"/>")[0] for part in xml.split(b"<w:gridCol ")[1:]] == grid


# --- templates check says which templates take the plain path --------------------------------

FOOTNOTES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:footnote>"
    '<w:footnote w:id="1"><w:p><w:r><w:t>Voir le CCAG.</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


def _with_footnotes(source: Path, target: Path) -> None:
    """``source`` with a footnotes part, as Word saves a document that has footnotes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(target, "w") as out:
        for item in package.infolist():
            content = package.read(item.filename)
            if item.filename == "[Content_Types].xml":
                override = (
                    f'<Override PartName="/word/footnotes.xml" ContentType="{FOOTNOTES_TYPE}"/>'
                )
                content = content.replace(b"</Types>", override.encode() + b"</Types>")
            if item.filename == "word/_rels/document.xml.rels":
                relation = (
                    f'<Relationship Id="rIdFootnotes" Type="{FOOTNOTES_REL}" '
                    'Target="footnotes.xml"/>'
                )
                content = content.replace(
                    b"</Relationships>", relation.encode() + b"</Relationships>"
                )
            out.writestr(item, content)
        out.writestr("word/footnotes.xml", FOOTNOTES_XML)


def test_a_template_with_footnotes_falls_back_declared_and_check_says_why(tmp_path):
    template = tmp_path / "modeles" / "tender.docx"
    _with_footnotes(BUNDLED_DIR / "tender.docx", template)
    prepared = PreparedTemplate(template)
    assert prepared.fallbacks([]) == [Fallback.FOOTNOTES]
    check = run("templates", "check", template)
    assert check.exit_code == 0, check.output
    assert check.stderr == (
        f"Warning: {template}: its documents are rendered by plain docxtpl, several times "
        "slower than clausegen's prepared path, because the template has footnotes, which the "
        "prepared path does not render.\n"
    )


def test_check_warns_about_an_image_in_a_header(tmp_path):
    from docx import Document

    document = Document(BUNDLED_DIR / "compliance.docx")
    document.sections[0].header.add_paragraph("Graphique : {{ graphique }}")
    template = tmp_path / "modeles" / "compliance.docx"
    template.parent.mkdir()
    document.save(template)
    check = run("templates", "check", template)
    assert check.exit_code == 0, check.output
    assert check.stderr.endswith("because an image is placed in a header or footer.\n"), (
        check.stderr
    )
    for name in ("tender", "commitment", "compliance", "balance"):
        bundled = run("templates", "check", BUNDLED_DIR / f"{name}.docx")
        assert (bundled.exit_code, bundled.stderr) == (0, "")
