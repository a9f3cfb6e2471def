"""The commitment forms' pages, as LibreOffice lays them out: no page holds only the
signature block, nor a single line (issue 13, item 8).

Every retained lot of every sample gets its blank form, and the works sample's companies
their pre-filled ones; all are converted in one real LibreOffice batch (the path the
``--pdf`` option takes) and read back page by page with pypdf.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from clausegen.calibration.calibrate import calibrate
from clausegen.cli.produce import CommitmentForms
from clausegen.documents.fragments import load_fragments
from clausegen.execution.commitments import load_commitment
from clausegen.inputs.loading import load_operation
from clausegen.law.parameters import load_parameters
from clausegen.render.libreoffice import convert_to_pdf, find_soffice
from tests.helpers import SAMPLE, SAMPLES
from tests.pdf_structure import body_lines

SIGNATURE_LINES = ("6 – Signature", "Fait à", "Nom :", "Fonction :", "Cachet de l")
"""How each line of the signature block begins (names and functions follow a label)."""


def _page_lines(page) -> list[str]:  # type: ignore[no-untyped-def]
    """A page's body lines (``body_lines``: this document's running header and footer out)."""
    return body_lines(
        page.extract_text(), header=" – consultation ", title="Fiche d'engagement insertion"
    )


def _forms(folder: Path) -> list[Path]:
    """Every sample's commitment forms as DOCX in ``folder``: one blank form per retained
    lot, and the pre-filled forms of the works sample."""
    registry, parameters = load_fragments(), load_parameters()
    written = []
    for source in SAMPLES:
        operation = load_operation(source)
        calibration = calibrate(operation, parameters, operation.consultation.date_lancement)
        forms = CommitmentForms(operation, calibration, (), registry, parameters)
        commitments = sorted((source.parent / "engagements").glob("*.yaml"))
        jobs = [(lot.numero, None) for lot in calibration.lots if lot.retenu]
        jobs += [(c.engagement.lot, c.engagement) for c in map(load_commitment, commitments)]
        for lot, engagement in jobs:
            docx = forms(lot, engagement).files[0]
            path = folder / f"{source.parent.name}-{Path(docx.name).stem}.docx"
            path.write_bytes(docx.content)
            written.append(path)
    return written


@pytest.fixture(scope="module")
def form_pdfs(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("forms")
    documents = _forms(folder)
    conversion = convert_to_pdf(documents, folder, soffice=find_soffice())
    assert conversion.error is None, conversion.error
    assert len(conversion.pdfs) == len(documents)
    return sorted(conversion.pdfs)


def test_every_sample_has_forms(form_pdfs):
    names = {pdf.name for pdf in form_pdfs}
    assert len(form_pdfs) >= len(SAMPLES) + 3
    assert f"{SAMPLE.name}-engagement-lot-01-81234567600017.pdf" in names


def page_problem(body: list[str]) -> str | None:
    """What is wrong with a page whose lines (header and footer left out) are ``body``."""
    if len(body) <= 1:
        return f"a single line: {body}"
    if all(line.startswith(SIGNATURE_LINES) for line in body):
        return f"only the signature block: {body}"
    return None


def test_the_page_check_can_fail():
    assert page_problem(["Cachet de l'entreprise et signature :"]) is not None
    assert page_problem(["6 – Signature", "Fait à …, le …", "Nom : …", "Fonction : …"])
    assert page_problem(["• permettre au facilitateur…", "6 – Signature", "Fait à …"]) is None


def test_no_page_holds_only_the_signature_block_or_one_line(form_pdfs):
    problems = []
    for pdf in form_pdfs:
        pages = PdfReader(pdf).pages
        for number, page in enumerate(pages, start=1):
            problem = page_problem(
                body_lines(
                    page.extract_text(),
                    header=" – consultation ",
                    title="Fiche d'engagement insertion",
                )
            )
            if problem:
                problems.append(f"{pdf.name} page {number}/{len(pages)}: {problem}")
    assert problems == []


def test_the_signature_block_stays_with_its_heading(form_pdfs):
    for pdf in form_pdfs:
        pages = [
            body_lines(
                page.extract_text(), header=" – consultation ", title="Fiche d'engagement insertion"
            )
            for page in PdfReader(pdf).pages
        ]
        (holding,) = [lines for lines in pages if "6 – Signature" in lines]
        start = holding.index("6 – Signature")
        assert [line for line in holding[start:] if line.startswith("Cachet de l")], pdf.name
