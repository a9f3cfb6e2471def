"""The facilitator's page in a real headless Chromium: the works sample's execution files
give the buyer's statements and the balances as ZIPs; a broken ledger shows, above the form,
the problem in French (file, row, column, what to do), and nothing is downloaded."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.helpers import SAMPLE
from tests.test_web_browser import _keep_screenshot
from tests.web_server import TOKEN, Clock, log_in, serving

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def page():
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: run bash scripts/test.sh, which installs Debian's chromium"
        )
    from playwright.sync_api import sync_playwright

    with serving(TOKEN) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_context(accept_downloads=True, locale="fr-FR").new_page()
        page.set_default_timeout(90_000)
        log_in(page, base, "/facilitateur")
        yield page
        browser.close()


def test_an_expired_session_sends_to_the_token_page_saying_so_and_back(tmp_path):
    """The page's fetch gets 401 once the cookie has expired: the page reloads, and the
    server sends to the token page with « Votre session a expiré », then back here."""
    from playwright.sync_api import sync_playwright

    clock = Clock()
    with serving(TOKEN, clock=clock) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_context(locale="fr-FR").new_page()
        page.set_default_timeout(30_000)
        log_in(page, base, "/facilitateur")
        _files(page, SAMPLE / "heures.csv")
        clock.advance(13 * 3600)
        page.get_by_role("button", name="Télécharger les bilans de fin de mission").click()
        page.wait_for_url(f"{base}/acces?next=/facilitateur&session=expiree")
        assert "Votre session a expiré" in page.locator("main").inner_text()
        page.fill("#jeton", TOKEN)
        with page.expect_navigation():
            page.click("form.acces button[type=submit]")
        assert page.url == base + "/facilitateur"
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


NBSP = "\u00a0"


def _french(text: str) -> str:
    """``text`` with French spacing: no-break spaces inside « » and before a colon."""
    return text.replace("« ", f"«{NBSP}").replace(" »", f"{NBSP}»").replace(" :", f"{NBSP}:")


BROKEN_LEDGERS = [
    # (what is broken, (old, new) in the sample's heures.csv, the French expected)
    (
        "missing column",
        ("participant;lot;entreprise;siret;mois;", "participant;lot;entreprise;siret;"),
        f"« Relevé des heures », ligne 1{NBSP}: il manque la colonne mois{NBSP}: ajoutez-la",
    ),
    (
        "bad date",
        (";2027-02;", ";2027-02-30;"),
        f"« Relevé des heures », ligne 3, colonne « mois »{NBSP}: « 2027-02-30 » n’est pas "
        f"un mois{NBSP}: écrivez-le AAAA-MM",
    ),
    (
        "bad hours",
        (";embauche_directe;;40;", ";embauche_directe;;quarante;"),
        f"« Relevé des heures », ligne 2, colonne « heures »{NBSP}: « quarante » n’est pas "
        f"un nombre{NBSP}: écrivez des chiffres",
    ),
    (
        "unknown participant",
        ("P01;1;", "P99;1;"),
        f"« Relevé des heures », ligne 2, colonne « participant »{NBSP}: aucun participant "
        f"« P99 » dans le fichier « Participants »{NBSP}: ajoutez-y la personne",
    ),
    (
        "bad SIRET",
        (";81234567600017;2027-01;", ";81234567600018;2027-01;"),
        f"« Relevé des heures », ligne 2, colonne « siret »{NBSP}: « 81234567600018 » n’est "
        f"pas un numéro SIRET valide",
    ),
    (
        "monthly hours over two rows",
        (
            "P01;1;Bâti Sud Construction;81234567600017;2027-02;embauche_directe;;70;",
            "P01;2;Bâti Sud Construction;81234567600017;2027-01;embauche_directe;;230;",
        ),
        f"« Relevé des heures », lignes 2 et 3, colonne « heures »{NBSP}: le participant P01 "
        f"totalise 270{NBSP}h en janvier{NBSP}2027",
    ),
]


def _alert(page) -> str:
    alert = page.locator("#erreurs .fr-alert")
    alert.wait_for()
    return alert.inner_text()


@pytest.mark.parametrize(
    ("change", "french"),
    [case[1:] for case in BROKEN_LEDGERS],
    ids=[case[0] for case in BROKEN_LEDGERS],
)
def test_a_broken_ledger_is_explained_in_french(page, tmp_path, change, french):
    broken = tmp_path / "heures.csv"
    text = (SAMPLE / "heures.csv").read_text(encoding="utf-8")
    assert change[0] in text
    broken.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    _files(page, broken)
    page.get_by_role("button", name="Télécharger les attestations de l’acheteur").click()
    message = _alert(page)
    assert "Les documents n’ont pas pu être produits" in message
    assert _french(french) in message
    assert "must be" not in message and "row " not in message


def test_a_problem_the_catalogue_does_not_word_keeps_the_command_line_message(page, tmp_path):
    broken = tmp_path / "participants.yaml"
    text = (SAMPLE / "participants.yaml").read_text(encoding="utf-8")
    broken.write_text(text + "inconnu: 1\n", encoding="utf-8")
    _files(page, SAMPLE / "heures.csv")
    page.set_input_files("#participants", str(broken))
    page.get_by_role("button", name="Télécharger les attestations de l’acheteur").click()
    message = _alert(page)
    assert "participants.yaml: inconnu:" in message


def test_the_error_screenshot_is_kept(page, tmp_path):
    broken = tmp_path / "heures.csv"
    text = (SAMPLE / "heures.csv").read_text(encoding="utf-8")
    broken.write_text(
        text.replace("P01;1;", "P99;1;", 1).replace(";70;", ";-3;", 1), encoding="utf-8"
    )
    _files(page, broken)
    page.get_by_role("button", name="Télécharger les attestations de l’acheteur").click()
    assert "P99" in _alert(page)
    _keep_screenshot(page, tmp_path / "facilitateur-erreur.png")


def _broken(tmp_path: Path, source: Path, old: str, new: str) -> Path:
    """A copy of ``source`` with ``old`` replaced by ``new`` once, under the same name."""
    text = source.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / source.name
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    return broken


def _refusal(page) -> str:
    page.get_by_role("button", name="Télécharger les attestations de l’acheteur").click()
    message = _alert(page)
    assert "Les documents n’ont pas pu être produits" in message
    return message


def test_a_reporting_row_is_explained_in_french_with_french_dates(page, tmp_path):
    reporting = _broken(
        tmp_path, SAMPLE / "comptes-rendus.csv", ";2027-02;2027-03-05;", ";2027-02;2027-02-20;"
    )
    _files(page, SAMPLE / "heures.csv")
    page.set_input_files("#reporting", str(reporting))
    message = _refusal(page)
    assert (
        _french(
            "« Comptes rendus reçus », ligne 3, colonne « date_reception » : reçu le "
            f"20{NBSP}février{NBSP}2027, avant la fin de la période 2027-02 (le "
            f"28{NBSP}février{NBSP}2027) dont il rend compte : corrigez la date ou la période."
        )
        in message
    )
    assert "2027-02-20" not in message and "row " not in message


def test_a_participant_field_is_explained_in_french_by_id(page, tmp_path):
    participants = _broken(
        tmp_path, SAMPLE / "participants.yaml", "code_rome: F1703}", "code_rome: Z1703}"
    )
    _files(page, SAMPLE / "heures.csv")
    page.set_input_files("#participants", str(participants))
    message = _refusal(page)
    assert (
        _french(
            "« Participants », participant P01, code ROME du poste : « Z1703 » n’est pas un "
            "code ROME : une lettre de A à N et quatre chiffres"
        )
        in message
    )
    assert "Benali" not in message and "Sofiane" not in message and "is not" not in message


def test_a_commitment_field_is_explained_in_french_by_company_and_lot(page, tmp_path):
    folder = tmp_path / "engagements"
    folder.mkdir()
    commitments = sorted((SAMPLE / "engagements").glob("*.yaml"))
    broken = _broken(folder, commitments[0], "    heures: 720", "    heures: -5")
    _files(page, SAMPLE / "heures.csv")
    page.set_input_files("#commitments", [str(broken), *(str(p) for p in commitments[1:])])
    message = _refusal(page)
    assert (
        _french(
            "« Engagements des entreprises », engagement de Bâti Sud Construction (lot 1), "
            f"heures de la modalité prévue n°{NBSP}1 : « -5 » est trop petit : écrivez un nombre "
            "supérieur à 0."
        )
        in message
    )
    assert "must be" not in message
    _keep_screenshot(page, tmp_path / "facilitateur-engagement.png")
