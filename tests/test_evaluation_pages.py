"""The evaluation report's pages, as LibreOffice lays them out: no near-empty page, no
heading left at the foot of a page, the method read on one page.

The report of the three followed samples over the year (as ``scripts/samples.sh`` writes
it) and of two of them over a quarter are converted in one real LibreOffice batch (the
path the ``--pdf`` option takes) and read back page by page with pypdf.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from clausegen.render.libreoffice import convert_to_pdf, find_soffice
from tests.helpers import run
from tests.pdf_structure import body_lines

FOLLOWED = ("entretien-parcs-limoux", "groupe-scolaire-jaures", "voirie-avenue-leclerc")
RUNS = {
    "annee": (FOLLOWED, "2027-01-01", "2028-06-30"),
    "trimestre": (FOLLOWED[1:], "2028-04-01", "2028-06-30"),
}
HEADINGS = (
    "Chiffres clés",
    "Périmètre",
    "Acheteurs",
    "Lots portant la clause",
    "Heures d’insertion",
    "Personnes en parcours",
    "Situation six mois après le parcours",
    "Entreprises et structures d’insertion",
    "Écarts et pénalités",
    "Méthode et sources",
)
MIN_LINES = 5
"""Fewer body lines than this on a page is a near-empty page."""


def _page_lines(page) -> list[str]:  # type: ignore[no-untyped-def]
    """A page's body lines (``body_lines``: this document's running header and footer out)."""
    return body_lines(
        page.extract_text(),
        header=" – période du ",
        title="Évaluation de la clause sociale d’insertion",
    )


@pytest.fixture(scope="module")
def report_pages(tmp_path_factory) -> dict[str, list[list[str]]]:
    folder = tmp_path_factory.mktemp("evaluation-pages")
    documents = []
    for name, (samples, start, end) in RUNS.items():
        out = folder / name
        folders = [f"samples/{sample}" for sample in samples]
        result = run("evaluate", *folders, "--from", start, "--to", end, "-o", out)
        assert result.exit_code == 0, result.output
        (docx,) = out.glob("*.docx")
        documents.append(docx.rename(folder / f"{name}.docx"))
    conversion = convert_to_pdf(documents, folder, soffice=find_soffice())
    assert conversion.error is None, conversion.error
    return {
        Path(pdf).stem: [
            body_lines(
                page.extract_text(),
                header=" – période du ",
                title="Évaluation de la clause sociale d’insertion",
            )
            for page in PdfReader(pdf).pages
        ]
        for pdf in conversion.pdfs
    }


def page_problems(pages: list[list[str]]) -> list[str]:
    """Near-empty pages, and pages whose last line is a heading (split from what it heads)."""
    problems = []
    for number, page in enumerate(pages, 1):
        if len(page) < MIN_LINES:
            problems.append(f"page {number}: {len(page)} line(s): {page}")
        elif page[-1] in HEADINGS:
            problems.append(f"page {number}: ends with the heading « {page[-1]} »")
    return problems


def test_the_page_check_can_fail():
    full = [f"ligne {n}" for n in range(40)]
    assert page_problems([full, ["1er avril 2016, Durée annuelle…", "vérifier)."]]) != []
    assert page_problems([[*full, "Méthode et sources"], full]) != []
    assert page_problems([full, full]) == []


def test_both_reports_are_converted(report_pages):
    assert sorted(report_pages) == sorted(RUNS)


def test_no_page_is_near_empty_or_ends_with_a_heading(report_pages):
    problems = [
        f"{name} {problem}"
        for name, pages in report_pages.items()
        for problem in page_problems(pages)
    ]
    assert problems == []


def test_the_method_is_read_on_one_page(report_pages):
    for name, pages in report_pages.items():
        (holding,) = [page for page in pages if "Méthode et sources" in page]
        assert holding[-1].endswith("arrondi au centième."), name  # its last note ends there
        assert pages[-1] is holding, name
