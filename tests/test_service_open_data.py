"""``POST /export/decp`` and ``POST /import/eforms`` against a started server: the CLI's
output and the CLI's messages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from clausegen.service.settings import Settings
from tests.helpers import OPERATION, run
from tests.test_service import PROBLEM, Server

EFORMS = Path(__file__).resolve().parents[2] / "shared/reference-data/eforms"
NOTICE = EFORMS / "cn_24_FRA_comments.xml"


@pytest.fixture(scope="module")
def api() -> Iterator[httpx.Client]:
    with Server(Settings(max_body_bytes=200_000, token=None)) as client:
        yield client


def test_export_decp_is_the_cli_json(api: httpx.Client) -> None:
    upload = {"operation": ("operation.yaml", OPERATION.read_bytes())}
    response = api.post("/export/decp", files=upload)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.text == run("export", "decp", OPERATION).stdout


def test_export_decp_of_a_broken_operation_carries_the_cli_message(api: httpx.Client) -> None:
    broken = OPERATION.read_text(encoding="utf-8").replace("cpv: 45210000-2", "cpv: 4521")
    response = api.post("/export/decp", files={"operation": ("mine.yaml", broken.encode())})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["detail"] == (
        "operation.yaml: lots[0].cpv: '4521' is not a CPV code: write its 8 digits, a hyphen "
        "and its check digit, as in 45442100-8."
    )


@pytest.mark.skipif(not NOTICE.exists(), reason=f"{NOTICE} is not on this machine")
@pytest.mark.parametrize("kind", ["multipart", "body"])
def test_import_eforms_gives_the_cli_skeleton_and_fields(api: httpx.Client, kind: str) -> None:
    if kind == "multipart":
        response = api.post("/import/eforms", files={"notice": ("avis.xml", NOTICE.read_bytes())})
    else:
        response = api.post(
            "/import/eforms",
            content=NOTICE.read_bytes(),
            headers={"content-type": "application/xml"},
        )
    assert response.status_code == 200
    cli = run("import", "eforms", NOTICE)
    body = response.json()
    assert body["operation"] == cli.stdout.replace(NOTICE.name, "notice.xml")
    listed = [f"  {f['champ']}\u00a0: {f['indication']}" for f in body["a_completer"]]
    assert cli.stderr.splitlines()[0] == f"Avis lu\u00a0: {body['avis']}."
    assert listed == cli.stderr.splitlines()[2:]


@pytest.mark.skipif(not EFORMS.exists(), reason=f"{EFORMS} is not on this machine")
def test_import_eforms_refusals_carry_the_cli_message(api: httpx.Client, tmp_path: Path) -> None:
    award = tmp_path / "award.xml"  # a contract award notice: the VEAT sample retyped
    text = (EFORMS / "veat_81.xml").read_text(encoding="utf-8")
    award.write_text(
        text.replace(">veat</cbc:NoticeTypeCode>", ">can-standard</cbc:NoticeTypeCode>"), "utf-8"
    )
    assert "can-standard" in award.read_text(encoding="utf-8")
    response = api.post("/import/eforms", files={"notice": ("award.xml", award.read_bytes())})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    cli = run("import", "eforms", award).stderr.removeprefix("Error: ").rstrip("\n")
    assert "notice type can-standard" in cli
    assert response.json()["detail"] == cli.replace(str(award), "notice.xml")
    wrong = api.post("/import/eforms", files={"notice": ("avis.pdf", b"%PDF-1.7")})
    assert wrong.status_code == 422
    assert "avis.pdf" in wrong.json()["detail"]
