"""Tagged PDF/A by default: every PDF of every sample, the annex's structure, --pdf-profile.

Every PDF the commands write for the samples (tender parts and annex, commitment form,
compliance statements, balances) is read back with pypdf: marked, a structure tree with
headings, paragraphs and tables, French, PDF/A-2 XMP naming its title and its manifest's
digest. The annex's structure tree holds one ``Part`` per part covering that part's pages,
with the bookmarks and page labels of a plain annex. ``--pdf-profile plain`` gives the old
untagged output.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from clausegen.documents.chart import LotBars, chart_description
from clausegen.render.pdf_profile import PdfProfile, convert_to, filter_data, unoserver_options
from tests.helpers import FOLLOW_UP, OPERATION, REPORTING, SAMPLE, SAMPLES, run
from tests.pdf_structure import HEADINGS, tagging

ANNEX = "annexe-clause-insertion"


@pytest.fixture(scope="module")
def produced(tmp_path_factory) -> Path:
    """Every sample's tender PDFs and annex; the execution sample's form, statements and
    balances; all with the default profile."""
    out = tmp_path_factory.mktemp("profiles")
    commands = [("tender", str(path), "-o", str(out / path.parent.name)) for path in SAMPLES]
    execution = out / "execution"
    commands += [
        ("commitment", OPERATION, "--lot", "4", "-o", str(execution)),
        (
            "compliance",
            OPERATION,
            "--commitments",
            str(SAMPLE / "engagements"),
            *FOLLOW_UP,
            *REPORTING,
            "-o",
            str(execution),
        ),
        ("balance", OPERATION, *FOLLOW_UP, "-o", str(execution / "bilans")),
    ]
    for command in commands:
        result = run(*command, "--pdf")
        assert result.exit_code == 0, result.output
    return out


def _title(docx: Path) -> str:
    return Document(str(docx)).core_properties.title


def test_every_pdf_of_every_sample_is_tagged_pdfa(produced):
    pdfs = sorted(produced.rglob("*.pdf"))
    annexes = [pdf for pdf in pdfs if pdf.stem == ANNEX]
    assert len(annexes) == len(SAMPLES)
    assert len(pdfs) >= 3 * len(SAMPLES) + 1 + 2 + 13  # parts + annexes, form, statements
    for pdf in pdfs:
        found = tagging(pdf)
        assert found.marked, pdf
        assert found.lang == "fr-FR", pdf
        assert found.roles & HEADINGS, (pdf, found.roles)
        assert {"/P", "/Table", "/TH"} <= found.roles, (pdf, found.roles)
        assert found.pdfa_part == "2", pdf
        manifest = pdf.with_name(f"{pdf.stem}.manifest.json")
        digest = hashlib.sha256(manifest.read_bytes()).hexdigest()
        assert digest in (found.keywords or ""), pdf
        if pdf.stem != ANNEX:
            assert found.title == _title(pdf.with_suffix(".docx")), pdf
            assert "/H1" in found.roles, pdf  # the title is the level-1 heading
            assert found.tagged_pages == set(range(len(PdfReader(pdf).pages))), pdf


def _outline(reader: PdfReader, items=None, depth=0) -> list[tuple[int, str, int]]:
    found = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            found += _outline(reader, item, depth + 1)
        else:
            found.append((depth, item.title, reader.get_destination_page_number(item)))
    return found


@pytest.mark.parametrize("sample", [path.parent.name for path in SAMPLES])
def test_the_annex_structure_covers_every_part_with_today_s_bookmarks_and_labels(produced, sample):
    folder = produced / sample
    annex = folder / f"{ANNEX}.pdf"
    manifest = json.loads((folder / f"{ANNEX}.manifest.json").read_text("utf-8"))
    parts = manifest["parties"]
    found = tagging(annex)
    assert found.title == "Clause sociale d’insertion – annexe au dossier de consultation"
    assert [title for title, _ in found.parts] == [part["signet"] for part in parts]
    reader = PdfReader(annex)
    assert found.tagged_pages == set(range(len(reader.pages)))
    for (_, pages), part in zip(found.parts, parts, strict=True):
        assert pages == set(range(part["pages"]["de"] - 1, part["pages"]["a"])), part["signet"]
    forms = [part for part in parts if part["fichier"].startswith("engagement-")]
    expected = [(0, p["signet"], p["pages"]["de"] - 1) for p in parts if p not in forms]
    if forms:
        expected.append((0, "Formulaires d’engagement", forms[0]["pages"]["de"] - 1))
        expected += [(1, p["signet"], p["pages"]["de"] - 1) for p in forms]
    assert _outline(reader) == expected
    labels = reader.page_labels
    for part in parts:
        first, last = part["pages"]["de"] - 1, part["pages"]["a"] - 1
        prefix = part["pages"]["etiquette"].removesuffix("-1")
        assert labels[first] == f"{prefix}-1" and labels[last] == f"{prefix}-{last - first + 1}"


def test_the_compliance_chart_s_alternative_text_states_its_figures(produced):
    statement = produced / "execution" / "conformite-82345678500026"
    expected = (
        "Heures d’insertion par lot (graphique en barres)\u00a0: lot\u00a04, "
        "1\u202f120\u00a0h requises, 1\u202f120\u00a0h engagées et 745\u00a0h réalisées."
    )
    with zipfile.ZipFile(statement.with_suffix(".docx")) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert f'descr="{expected}"' in body
    assert tagging(statement.with_suffix(".pdf")).alt_texts == [expected]


def test_the_chart_description_names_every_lot_s_three_figures():
    lots = [
        LotBars(1, Decimal("2007"), Decimal("2070"), Decimal("2170")),
        LotBars(2, Decimal("299.5"), Decimal("300"), Decimal("0")),
    ]
    assert chart_description(lots) == (
        "Heures d’insertion par lot (graphique en barres)\u00a0: "
        "lot\u00a01, 2\u202f007\u00a0h requises, 2\u202f070\u00a0h engagées et "
        "2\u202f170\u00a0h réalisées\u202f; lot\u00a02, 299,5\u00a0h requises, "
        "300\u00a0h engagées et 0\u00a0h réalisées."
    )


def test_plain_is_the_untagged_output_with_the_same_bookmarks(tmp_path, produced):
    result = run("tender", OPERATION, "-o", str(tmp_path), "--pdf", "--pdf-profile", "plain")
    assert result.exit_code == 0, result.output
    ccap = tagging(tmp_path / "ccap-clause-insertion.pdf")
    assert (ccap.marked, ccap.roles, ccap.pdfa_part) == (False, set(), None)
    annex = tagging(tmp_path / f"{ANNEX}.pdf")
    assert (annex.marked, annex.roles, annex.pdfa_part) == (False, set(), None)
    tagged = PdfReader(produced / "groupe-scolaire-jaures" / f"{ANNEX}.pdf")
    plain = PdfReader(tmp_path / f"{ANNEX}.pdf")
    assert _outline(plain) == _outline(tagged)
    assert list(plain.page_labels) == list(tagged.page_labels)
    assert plain.metadata["/Title"] == tagged.metadata["/Title"]


def test_an_unknown_profile_is_a_usage_error(tmp_path):
    result = run("tender", OPERATION, "-o", str(tmp_path), "--pdf", "--pdf-profile", "pdfa-3")
    assert result.exit_code == 2
    assert "'pdfa-3' is not one of 'pdfa-2b-tagged', 'plain'" in result.stderr
    assert not tmp_path.joinpath("ccap-clause-insertion.docx").exists()


def test_one_mapping_gives_each_converter_its_options():
    assert filter_data(PdfProfile.TAGGED_PDFA) == {
        "SelectPdfVersion": 2,
        "UseTaggedPDF": True,
        "PDFUACompliance": True,
        "ExportBookmarks": True,
    }
    assert convert_to(PdfProfile.TAGGED_PDFA) == (
        'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"},'
        '"UseTaggedPDF":{"type":"boolean","value":"true"},'
        '"PDFUACompliance":{"type":"boolean","value":"true"},'
        '"ExportBookmarks":{"type":"boolean","value":"true"}}'
    )
    assert unoserver_options(PdfProfile.TAGGED_PDFA) == [
        "SelectPdfVersion=2",
        "UseTaggedPDF=true",
        "PDFUACompliance=true",
        "ExportBookmarks=true",
    ]
    assert (filter_data(PdfProfile.PLAIN), convert_to(PdfProfile.PLAIN)) == ({}, "pdf")
    assert unoserver_options(PdfProfile.PLAIN) == []


def _headings_ending_pages(folder: Path) -> list[str]:
    """Every page but the last of every PDF under ``folder`` whose last line is a heading
    of its DOCX, or a sentence announcing what follows (ending with a colon), apart from it
    (the annex, without a DOCX, is skipped: its parts are the PDFs beside it)."""
    orphans = []
    for pdf in sorted(folder.rglob("*.pdf")):
        docx = pdf.with_suffix(".docx")
        if not docx.exists():
            continue
        headings = {
            " ".join(p.text.split())
            for p in Document(str(docx)).paragraphs
            if p.style.name.startswith("Heading") and p.text.strip()
        }
        pages = PdfReader(pdf).pages
        for number, page in enumerate(pages[:-1], start=1):
            lines = [" ".join(line.split()) for line in page.extract_text().splitlines()]
            lines = [line for line in lines if line and not line.startswith("Page ")]
            if lines and (lines[-1] in headings or lines[-1].endswith(":")):
                orphans.append(f"{pdf.relative_to(folder)} p. {number}: {lines[-1]}")
    return orphans


def test_no_page_ends_with_a_heading(produced):
    """A heading is never the last line of a page, apart from what it heads: in every PDF
    of every sample (LibreOffice leaves one there when the paragraphs kept with it make a
    chain longer than the room left)."""
    assert not _headings_ending_pages(produced)


def test_no_lot_heading_ends_a_page_after_the_chart(tmp_path):
    """Limoux's statements arrêtés au 30 juin 2028 (not a sample): the chart ends page 1
    with just room for a lot's Heading 2 and not for the Heading 3 under it, where
    LibreOffice leaves the Heading 2 alone, though kept with the next; each lot starts a
    page."""
    sample = Path("samples/entretien-parcs-limoux")
    result = run(
        "compliance",
        str(sample / "operation.yaml"),
        "--commitments",
        str(sample / "engagements"),
        "--ledger",
        str(sample / "heures.csv"),
        "--participants",
        str(sample / "participants.yaml"),
        "--period-end",
        "2028-06-30",
        "-o",
        str(tmp_path),
        "--pdf",
    )
    assert result.exit_code == 0, result.output
    statements = sorted(tmp_path.glob("conformite-*.pdf"))
    assert len(statements) == 2
    assert not _headings_ending_pages(tmp_path)
