"""The web form over HTTP, against a real server: every sample loads into the form and sizes
as the CLI does, saves back to the same operation, and each problem shows at its field with
the CLI's message."""

from __future__ import annotations

import io
import re
import urllib.request
import uuid
import zipfile
from html import unescape

import pytest

from clausegen.calibration.calibrate import calibrate
from clausegen.documents import formatting as fr
from clausegen.inputs.loading import load_operation
from tests.helpers import SAMPLE, SAMPLES
from tests.web_server import post, serving


@pytest.fixture(scope="module")
def site():
    with serving() as base:
        yield base


def _upload(base: str, name: str, content: bytes) -> tuple[int, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="{name}"\r\n'
            "Content-Type: application/yaml\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        base + "/formulaire/charger",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _fields(page: str) -> dict[str, str]:
    """The values a browser would post from the page's operation form."""
    form = page.split('<form id="operation"', 1)[1].split("</form>", 1)[0]
    form = form.split('<template id="modele-lot">', 1)[0] + form.split("</template>", 1)[-1]
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[unescape(name[1])] = unescape(value[1]) if value else ""
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        first = re.search(r'<option value="([^"]*)"', options)
        fields[unescape(name)] = unescape((chosen or first)[1])
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields[unescape(name)] = unescape(text)
    return fields


def _errors_at(page: str, name: str) -> list[str]:
    box = re.search(rf'data-erreurs="{re.escape(name)}">(.*?)</div>', page, re.S)
    assert box, f"no error slot for {name}"
    return [unescape(m) for m in re.findall(r'fr-message--error">([^<]*)</p>', box[1])]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.parent.name)
def test_each_sample_loads_into_the_form_and_sizes_as_the_cli(site, path, parameters):
    status, page = _upload(site, "operation.yaml", path.read_bytes())
    assert status == 200, page
    operation = load_operation(path)
    calibration = calibrate(operation, parameters, operation.consultation.date_lancement)
    shown = [unescape(h) for h in re.findall(r"<td[^>]*data-heures>([^<]*)</td>", page)]
    assert shown == [fr.number(lot.heures) for lot in calibration.lots]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.parent.name)
def test_a_loaded_sample_saves_back_to_the_same_operation(site, path, tmp_path):
    _, page = _upload(site, "operation.yaml", path.read_bytes())
    status, kind, body = post(site + "/formulaire/yaml", _fields(page))
    assert status == 200 and kind.startswith("application/yaml")
    saved = tmp_path / "operation.yaml"
    saved.write_bytes(body)
    assert load_operation(saved) == load_operation(path)


def test_each_problem_shows_at_its_field_in_french_about_what_was_typed(site):
    """The form words each problem in French, about what was typed in that input (a rate in
    percent); the API keeps the CLI's message for the same problem."""
    _, page = _upload(site, "operation.yaml", (SAMPLE / "operation.yaml").read_bytes())
    fields = _fields(page)
    fields["acheteur.siret"] = "21110069800012"
    fields["lots[2].montant_estime_ht"] = "beaucoup"
    fields["clause.penalite.par_jour_retard"] = ""
    fields["clause.taux_insertion"] = "700"
    status, _, body = post(site + "/", fields)
    page = body.decode()
    assert status == 422
    assert _errors_at(page, "acheteur.siret") == [
        "«\u00a021110069800012\u00a0» n’est pas un numéro SIRET valide\u00a0: tapez ses 14 "
        "chiffres, tels qu’ils figurent dans l’Annuaire des entreprises."
    ]
    assert _errors_at(page, "lots[2].montant_estime_ht") == [
        "«\u00a0beaucoup\u00a0» n’est pas un nombre\u00a0: tapez des chiffres, avec une virgule "
        "pour les décimales, par exemple 1\u202f250\u202f000 ou 28,50."
    ]
    assert _errors_at(page, "clause.taux_insertion") == [
        "700\u00a0% dépasse 100\u00a0%\u00a0: tapez un pourcentage entre 0 et 100, par exemple "
        "7 pour un taux de 7\u00a0%."
    ]
    assert _errors_at(page, "clause.penalite") == [
        "Indiquez la pénalité par jour de retard dans la remise des justificatifs\u00a0: un "
        "montant en euros HT, ou «\u00a0aucune\u00a0» si le marché n’en prévoit pas."
    ]
    assert "0.07" not in page and "must be" not in page
    assert "4 problèmes à corriger" in page
    assert 'aria-invalid="true"' in page and "table-calibrage" not in page


def test_an_unreadable_file_is_refused_with_its_problem(site):
    status, page = _upload(site, "operation.yaml", b"acheteur: [unclosed\n")
    assert status == 422
    assert "operation.yaml: line" in unescape(page) and "invalid YAML" in page
    assert "/tmp" not in page


def test_the_docx_zip_holds_the_cli_tender_files(site):
    _, page = _upload(site, "operation.yaml", (SAMPLE / "operation.yaml").read_bytes())
    status, kind, body = post(site + "/formulaire/docx", _fields(page))
    assert status == 200 and kind == "application/zip"
    names = sorted(zipfile.ZipFile(io.BytesIO(body)).namelist())
    assert names == [
        "ccap-clause-insertion.docx",
        "ccap-clause-insertion.manifest.json",
        "rc-clause-insertion.docx",
        "rc-clause-insertion.manifest.json",
    ]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return buffer.getvalue()


WRONG_UPLOADS = {
    "pdf": ("cahier.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "document PDF"),
    "docx": (
        "ccap.docx",
        _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
        "document Word (.docx)",
    ),
    "xlsx": (
        "heures.xlsx",
        _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}),
        "classeur Excel (.xlsx)",
    ),
    "odt": (
        "ccap.odt",
        _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}),
        "OpenDocument",
    ),
    "zip named .yaml": ("operation.yaml", _zip({"operation.yaml": b"a: 1\n"}), "archive ZIP"),
    "old doc": ("ccap.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "ancien format"),
    "png": ("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(32), "image PNG"),
    "jpeg": ("photo.yaml", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32), "image JPEG"),
    "binary": ("operation.yml", bytes(range(256)) * 4, "fichier binaire"),
    "eforms xml": ("avis.json", b'<?xml version="1.0"?>\n<ContractNotice/>', "Charger l’avis"),
}


@pytest.mark.parametrize("kind", WRONG_UPLOADS)
def test_a_file_that_is_not_an_operation_file_is_named_for_what_it_is(site, kind):
    name, content, said = WRONG_UPLOADS[kind]
    status, page = _upload(site, name, content)
    text = unescape(page)
    assert status == 422
    assert f"{name}\u00a0: ce fichier est " in text and said in text
    assert "pas un fichier d’opération" in text and ".yaml, .yml ou .json" in text
    assert "YAML:" not in text and "UTF-8" not in text and "special characters" not in text


def test_an_uploaded_file_name_s_control_characters_are_shown_escaped(site):
    status, page = _upload(site, "op\x1b[2Jeration.pdf", b"%PDF-1.4\n")
    assert status == 422
    assert "op\\x1b[2Jeration.pdf\u00a0: ce fichier est un document PDF" in unescape(page)
    assert "\x1b" not in page
