"""The facilitator's page in a real headless Chromium: the works sample's execution files
give the buyer's statements and the balances as ZIPs; a broken ledger shows the command
line's message above the form, and nothing is downloaded."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.helpers import SAMPLE
from tests.web_server import serving

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def page():
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: run bash scripts/test.sh, which installs Debian's chromium"
        )
    from playwright.sync_api import sync_playwright

    with serving() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_context(accept_downloads=True, locale="fr-FR").new_page()
        page.set_default_timeout(90_000)
        page.goto(base + "/facilitateur")
        yield page
        browser.close()


def _files(page, ledger: Path) -> None:
    page.set_input_files("#operation", str(SAMPLE / "operation.yaml"))
    page.set_input_files(
        "#commitments", [str(p) for p in sorted((SAMPLE / "engagements").glob("*.yaml"))]
    )
    page.set_input_files("#ledger", str(ledger))
    page.set_input_files("#participants", str(SAMPLE / "participants.yaml"))
    page.set_input_files("#reporting", str(SAMPLE / "comptes-rendus.csv"))


def test_the_statements_and_the_balances_download_as_zips(page, tmp_path):
    _files(page, SAMPLE / "heures.csv")
    for label, expected in (
        ("Télécharger les attestations de l’acheteur", "conformite-82345678500026.docx"),
        ("Télécharger les bilans de fin de mission", "bilan-P13.docx"),
    ):
        with page.expect_download() as download:
            page.get_by_role("button", name=label).click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        with zipfile.ZipFile(path) as archive:
            assert expected in archive.namelist()
    assert page.locator("#erreurs").inner_text() == ""


def test_a_broken_ledger_shows_the_command_line_message(page, tmp_path):
    broken = tmp_path / "heures.csv"
    text = (SAMPLE / "heures.csv").read_text(encoding="utf-8")
    broken.write_text(text.replace(";2027-02;", ";2027-02-30;", 1), encoding="utf-8")
    _files(page, broken)
    page.get_by_role("button", name="Télécharger les attestations de l’acheteur").click()
    alert = page.locator("#erreurs .fr-alert")
    alert.wait_for()
    message = alert.inner_text()
    assert "Les documents n’ont pas pu être produits" in message
    assert "column mois: must be a month written YYYY-MM; '2027-02-30' is not a day" in message
