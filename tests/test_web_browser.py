"""The web form in a real headless Chromium (Debian's, driven by Playwright; never a
downloaded browser): a buyer fills a 3-lot operation, sees each lot's hours appear, fixes an
error shown next to its field, and downloads the tender annex, read back with pypdf.

Screenshots of the form showing the error and of the filled form are kept in the test's
folder and, when ``CLAUSEGEN_ARTIFACTS`` is set, copied there.
"""

from __future__ import annotations

import os
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from clausegen.calibration.calibrate import calibrate
from clausegen.documents import formatting as fr
from clausegen.inputs.operation import Operation
from tests.web_server import TOKEN, log_in, serving

CHROMIUM = Path("/usr/bin/chromium")

LOTS = (
    ("Gros œuvre – démolition", "45210000-2", "gros_oeuvre", "2 150 000"),
    ("Plâtrerie – peinture", "45442100-8", "peinture", "480 000"),
    ("Électricité", "45310000-3", "electricite", "860000,00"),
)


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
        context = browser.new_context(
            accept_downloads=True, locale="fr-FR", viewport={"width": 1400, "height": 1000}
        )
        page = context.new_page()
        page.set_default_timeout(60_000)
        log_in(page, base, "/")
        yield page
        browser.close()


def _expected_hours() -> list[str]:
    """Each lot's hours as the core sizes the same operation (the CLI's table's figures)."""
    operation = Operation.model_validate(
        {
            "acheteur": {"nom": "Ville de Carcassonne", "siret": "21110069800011", "type": "etat"},
            "facilitateur": {"nom": "Claire Roussel", "structure": "MDE", "email": "c@x.fr"},
            "consultation": {
                "reference": "2026-TRX-042",
                "objet": "Réhabilitation",
                "procedure": "appel_offres_ouvert",
                "type_marche": "travaux",
                "date_lancement": "2026-09-15",
                "duree_mois": 18,
                "ccag": "travaux",
            },
            "clause": {
                "taux_insertion": "0.07",
                "cout_horaire": "30",
                "penalite": {"par_heure_manquante": "60", "par_jour_retard": "aucune"},
            },
            "lots": [
                {
                    "numero": n,
                    "intitule": t,
                    "cpv": c,
                    "metier": m,
                    "montant_estime_ht": str(Decimal(a.replace(" ", "").replace(",", "."))),
                }
                for n, (t, c, m, a) in enumerate(LOTS, start=1)
            ],
        }
    )
    from clausegen.law.parameters import load_parameters

    calibration = calibrate(operation, load_parameters(), date(2026, 9, 15))
    return [fr.number(lot.heures) for lot in calibration.lots]


def _fill(page, name: str, value: str) -> None:
    page.fill(f'[name="{name}"]', value)


def test_a_buyer_fills_a_three_lot_operation_and_downloads_the_annex(page, tmp_path):
    _fill(page, "acheteur.nom", "Ville de Carcassonne")
    _fill(page, "acheteur.siret", "21110069800011")
    page.select_option('[name="acheteur.type"]', "etat")
    _fill(page, "facilitateur.nom", "Claire Roussel")
    page.select_option('[name="facilitateur.civilite"]', "madame")
    _fill(page, "facilitateur.structure", "Maison de l’emploi du Carcassonnais")
    _fill(page, "facilitateur.email", "clauses.sociales@mde-carcassonne.example.fr")
    _fill(page, "consultation.reference", "2026-TRX-042")
    _fill(page, "consultation.objet", "Réhabilitation du groupe scolaire Jean Jaurès")
    _fill(page, "consultation.date_lancement", "2026-09-15")
    page.select_option('[name="consultation.procedure"]', "appel_offres_ouvert")
    page.select_option('[name="consultation.type_marche"]', "travaux")
    page.select_option('[name="consultation.ccag"]', "travaux")
    _fill(page, "consultation.duree_mois", "18")
    _fill(page, "clause.taux_insertion", "7")
    _fill(page, "clause.cout_horaire", "30,00")
    _fill(page, "clause.penalite.par_heure_manquante", "60")
    _fill(page, "clause.penalite.par_jour_retard", "aucune")

    # three lots: the first row is there; the keyboard adds the next two
    for index, (title, cpv, trade, amount) in enumerate(LOTS):
        if index:
            page.focus("#ajouter-lot")
            page.keyboard.press("Enter")
            assert page.evaluate("document.activeElement.name") == f"lots[{index}].intitule"
        _fill(page, f"lots[{index}].intitule", title)
        # lot 2's CPV is mistyped first: its error shows next to it
        _fill(page, f"lots[{index}].cpv", "4544210" if index == 1 else cpv)
        _fill(page, f"lots[{index}].metier", trade)
        _fill(page, f"lots[{index}].montant_estime_ht", amount)

    error = page.locator('[data-erreurs="lots[1].cpv"] .fr-message--error')
    error.wait_for()
    assert error.inner_text() == (
        "«\u00a04544210\u00a0» n’est pas un code CPV\u00a0: tapez ses 8 chiffres, un tiret et "
        "son chiffre de contrôle, par exemple 45442100-8."
    )
    assert page.get_attribute('[name="lots[1].cpv"]', "aria-invalid") == "true"
    assert page.locator("#table-calibrage").count() == 0
    _keep_screenshot(page, tmp_path / "formulaire-erreur.png")

    _fill(page, "lots[1].cpv", "45442100-8")
    page.locator("#table-calibrage").wait_for()
    assert page.locator('[data-erreurs="lots[1].cpv"] .fr-message--error').count() == 0
    assert page.get_attribute('[name="lots[1].cpv"]', "aria-invalid") is None

    hours = page.locator("#table-calibrage tbody td[data-heures]").all_inner_texts()
    assert hours == _expected_hours()
    assert hours[0] == "2\u202f007"

    _keep_screenshot(page, tmp_path / "formulaire-rempli.png")

    with page.expect_download(timeout=180_000) as download:
        page.click("#telecharger-annexe")
    annex = tmp_path / "annexe.pdf"
    download.value.save_as(annex)
    assert download.value.suggested_filename == "2026-TRX-042-annexe-dce.pdf"
    reader = PdfReader(annex)
    titles = [item.title for item in _flat(reader.outline)]
    assert titles == [
        "Cahier des clauses administratives particulières",
        "Règlement de la consultation",
        "Formulaires d’engagement",
        *(f"Lot {n} – {title}" for n, (title, *_) in enumerate(LOTS, start=1)),
    ]
    assert len(reader.pages) >= len(titles)
    assert reader.page_labels[0] == "CCAP-1"


def _flat(items):
    for item in items:
        if isinstance(item, list):
            yield from _flat(item)
        else:
            yield item


def _keep_screenshot(page, shot: Path) -> None:
    """A full-page screenshot in the test's folder, copied to ``CLAUSEGEN_ARTIFACTS`` when
    that is set."""
    page.screenshot(path=str(shot), full_page=True)
    artifacts = os.environ.get("CLAUSEGEN_ARTIFACTS")
    if artifacts:
        Path(artifacts).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(artifacts) / shot.name)


# --- an eForms notice loaded into the form -----------------------------------------------------

EFORMS = Path(__file__).resolve().parents[2] / "shared/reference-data/eforms"
NOTICE = EFORMS / "cn_24_FRA_comments.xml"
NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
COMPLETED = {
    "acheteur.siret": "21110069800011",
    "facilitateur.nom": "Claire Roussel",
    "facilitateur.structure": "Maison de l’emploi de Rouen",
    "facilitateur.email": "clauses@mde-rouen.example.fr",
    "consultation.duree_mois": "16",
    "consultation.ccag": "fcs",
    "clause.dispositif": "condition_execution",
    "clause.penalite.par_heure_manquante": "60",
    "clause.penalite.par_jour_retard": "aucune",
    "metier": "espaces_verts",
    "montant_estime_ht": "250 000",
}
"""What the buyer types in each field the notice leaves to fill (lot fields by last name)."""


@pytest.mark.skipif(not NOTICE.is_file(), reason=f"{NOTICE} is not on this machine")
def test_a_buyer_loads_an_eforms_notice_and_completes_the_listed_fields(page, tmp_path):
    from clausegen.service.open_data import skeleton_data

    base = re.match(r"https?://[^/]+", page.url).group(0)
    page.goto(base + "/")
    page.set_input_files("#fichier-avis", str(NOTICE))
    page.click('form[action="/formulaire/avis"] button[type="submit"]')
    page.locator("#a-completer").wait_for()

    # The form shows the notice's consultation and lots, read here by XPath.
    root = ET.parse(NOTICE).getroot()
    project = root.find("cac:ProcurementProject", NS)
    assert page.input_value('[name="consultation.reference"]') == project.find("cbc:ID", NS).text
    lots = root.findall("cac:ProcurementProjectLot/cbc:ID[@schemeName='Lot']/..", NS)
    assert page.locator("[data-lot]").count() == len(lots) == 2
    for index, lot in enumerate(lots):
        assert page.input_value(f'[name="lots[{index}].numero"]') == str(
            int(lot.find("cbc:ID", NS).text.removeprefix("LOT-"))
        )
        assert (
            page.input_value(f'[name="lots[{index}].cpv"]')
            == lot.find(
                "cac:ProcurementProject/cac:MainCommodityClassification/cbc:ItemClassificationCode",
                NS,
            ).text
        )

    # The fields to complete are POST /import/eforms's, listed and each under its input.
    expected = skeleton_data(NOTICE)["a_completer"]
    listed = page.locator("#a-completer li")
    assert listed.count() == len(expected)
    assert page.locator("#a-completer h2").inner_text() == f"{len(expected)} champs à compléter"
    for item, wanted in zip(listed.all_inner_texts(), expected, strict=True):
        assert item == f"{wanted['champ']}\u00a0: {wanted['indication']}"
        hint = page.locator(f'[data-erreurs="{wanted["champ"]}"] [data-a-completer]')
        assert hint.inner_text() == f"À compléter\u00a0: {wanted['indication']}"
        field = page.locator(f'[name="{wanted["champ"]}"]')
        assert field.input_value() == ""  # a select too: nothing is chosen for the buyer
    _keep_screenshot(page, tmp_path / "formulaire-avis.png")

    # Completed, the operation sizes: each hint goes as its field is filled.
    for wanted in expected:
        name = wanted["champ"]
        value = COMPLETED.get(name, COMPLETED.get(name.rsplit(".", 1)[-1]))
        if page.locator(f'select[name="{name}"]').count():
            page.select_option(f'[name="{name}"]', value)
        else:
            _fill(page, name, value)
        assert page.locator(f'[data-erreurs="{name}"] [data-a-completer]').is_hidden()
    page.locator("#table-calibrage").wait_for()
    hours = page.locator("#table-calibrage tbody td[data-heures]").all_inner_texts()
    assert len(hours) == 2
