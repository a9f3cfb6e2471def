"""The HTTP API through httpx against a uvicorn server started here on a free loopback port."""

from __future__ import annotations

import io
import os
import shutil
import signal
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from pypdf import PdfReader

from clausegen.service.app import create_app
from clausegen.service.settings import Settings
from tests.docx_text import docx_text
from tests.helpers import run

SAMPLE = Path("samples/groupe-scolaire-jaures")
OPERATION = SAMPLE / "operation.yaml"
PROBLEM = "application/problem+json"


class Server:
    """A uvicorn server in a thread, on a free port of 127.0.0.1."""

    def __init__(self, settings: Settings) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        config = uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> httpx.Client:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.02)
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=300)
        return self.client

    def __exit__(self, *_: object) -> None:
        self.client.close()
        self.server.should_exit = True
        self.thread.join()


@pytest.fixture(scope="module")
def api() -> Iterator[httpx.Client]:
    with Server(Settings(max_body_bytes=200_000, token=None)) as client:
        yield client


def _operation() -> dict[str, tuple[str, bytes]]:
    return {"operation": ("operation.yaml", OPERATION.read_bytes())}


def test_health_reports_limits_and_converter(api: httpx.Client) -> None:
    body = api.get("/health").json()
    assert body["status"] == "ok"
    assert body["limits"]["max_body_bytes"] == 200_000
    converter = body["converter"]
    assert converter["available"] is True and converter["kind"] == "local"
    assert converter["workers"] >= 1 and converter["failures"] == 0


def test_version_is_the_cli_version(api: httpx.Client) -> None:
    shown = run("--version").output.split()[-1]
    assert api.get("/version").json() == {"name": "clausegen", "version": shown}


def test_calibrage_upload_is_the_cli_json(api: httpx.Client) -> None:
    response = api.post("/calibrage", files=_operation())
    assert response.status_code == 200
    assert response.text == run("calibrate", OPERATION, "--format", "json").output.rstrip("\n")


def test_calibrage_json_body_and_explanation(api: httpx.Client) -> None:
    import json

    import yaml

    data = yaml.safe_load(OPERATION.read_text())
    body = json.dumps(data, default=str)
    response = api.post(
        "/calibrage",
        content=body,
        params={"format": "explication"},
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    table = run("calibrate", OPERATION, "--explain").output
    assert response.text.splitlines()[0] in table


@pytest.mark.parametrize("media_type", ["application/yaml", "text/yaml; charset=utf-8"])
def test_a_yaml_body_sent_as_yaml_is_read_as_yaml(api: httpx.Client, media_type: str) -> None:
    """It was read as JSON: « operation.json: line 1, column 1: invalid JSON »."""
    response = api.post(
        "/calibrage", content=OPERATION.read_bytes(), headers={"content-type": media_type}
    )
    assert response.status_code == 200, response.text
    assert response.text == run("calibrate", OPERATION, "--format", "json").output.rstrip("\n")
    broken = OPERATION.read_bytes().replace(b"date_lancement: 2026-09-15", b"date_lancement: x")
    response = api.post("/export/decp", content=broken, headers={"content-type": media_type})
    assert response.status_code == 422
    assert response.json()["errors"][0]["file"] == "operation.yaml"


def test_a_template_given_twice_is_422() -> None:
    """The second upload of tender.docx silently replaced the first."""
    template = Path("clause_templates/tender.docx").read_bytes()
    with Server(Settings(allow_templates=True, token=None)) as client:
        response = client.post(
            "/documents/tender",
            files=[
                *_operation().items(),
                ("templates", ("tender.docx", template)),
                ("templates", ("Tender.DOCX", template)),
            ],
        )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["detail"] == (
        "templates: tender.docx is given twice ('Tender.DOCX' the second time); send each "
        "kind's template once, the one to use."
    )


def test_bad_field_carries_the_cli_message(api: httpx.Client, tmp_path: Path) -> None:
    broken = OPERATION.read_text().replace(
        "date_lancement: 2026-09-15", "date_lancement: 2026-13-45"
    )
    assert broken != OPERATION.read_text()
    (tmp_path / "operation.yaml").write_text(broken)
    cli = run("calibrate", tmp_path / "operation.yaml")
    expected = [
        line.removeprefix("Error: ").replace(f"{tmp_path}/", "") for line in cli.stderr.splitlines()
    ]
    response = api.post("/calibrage", files={"operation": ("mine.yaml", broken.encode())})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["detail"].splitlines() == expected
    assert [e["detail"] for e in problem["errors"]] == expected
    assert problem["errors"][0]["field"] == "consultation.date_lancement"


def test_oversized_body_is_413(api: httpx.Client) -> None:
    response = api.post("/calibrage", files={"operation": ("o.yaml", b"#" * 300_000)})
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert "200000 bytes" in response.json()["detail"]


def test_a_body_that_stalls_is_408() -> None:
    """A client that sends the start of its body and no more held its connection for ever."""
    import json

    with Server(Settings(time_budget=1, token=None)) as client:
        address = (client.base_url.host, client.base_url.port)
        with socket.create_connection(address, timeout=60) as connection:
            connection.sendall(
                b"POST /calibrage HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 1000\r\n\r\n{"
            )
            answer = b""
            while b"}" not in answer.rpartition(b"\r\n\r\n")[2]:
                chunk = connection.recv(4096)
                if not chunk:
                    break
                answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 "), head
    assert json.loads(body)["detail"] == (
        "The request body did not arrive within the server's time budget (1 s); send the "
        "request again over a working connection (the upload stalled)."
    )


@pytest.mark.parametrize(
    ("headers", "content", "said"),
    [
        ({"content-type": "multipart/form-data"}, b"x", "Missing boundary in multipart"),
        (
            {"content-type": "application/x-www-form-urlencoded"},
            "&".join(f"f{n}=x" for n in range(1001)).encode(),
            "Too many fields. Maximum number of fields is 1000",
        ),
    ],
    ids=["no-boundary", "too-many-fields"],
)
def test_a_form_that_cannot_be_parsed_says_how_to_send_it(
    api: httpx.Client, headers: dict[str, str], content: bytes, said: str
) -> None:
    """Starlette's own sentence was the whole detail, with nothing to do."""
    route = "/calibrage" if "multipart" in headers["content-type"] else "/formulaire/calibrage"
    response = api.post(route, content=content, headers=headers)
    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["detail"] == (
        f"The request's form could not be read ({said}); send the files as "
        "multipart/form-data, as a browser or curl -F does."
    )


def test_unknown_route_is_404_problem(api: httpx.Client) -> None:
    response = api.get("/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM


def test_wrong_upload_kind_is_422(api: httpx.Client) -> None:
    response = api.post("/calibrage", files={"operation": ("op.exe", b"x")})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "operation"


def test_templates_refused_without_allow_templates(api: httpx.Client) -> None:
    response = api.post(
        "/documents/tender",
        files=[*_operation().items(), ("templates", ("tender.docx", b"PK"))],
    )
    assert response.status_code == 403
    assert "--allow-templates" in response.json()["detail"]


def test_fragments_parameters_and_unknown_fragment(api: httpx.Client) -> None:
    listed = api.get("/fragments", params={"date": "2026-09-15"}).json()
    first = listed[0]["id"]
    shown = api.get(f"/fragments/{first}", params={"date": "2026-09-15"}).json()
    assert shown["version"]["text"]
    diff = api.get(f"/fragments/{first}/diff", params={"from": "2020-01-01", "to": "2026-09-15"})
    assert diff.status_code in (200, 422)
    assert api.get("/parameters", params={"date": "2026-09-15"}).json()[0]["in_force"] is not None
    missing = api.get("/fragments/no.such.fragment")
    assert missing.status_code == 404
    assert missing.json()["detail"].startswith("No fragment 'no.such.fragment' exists")
    bad_date = api.get("/parameters", params={"date": "tomorrow"})
    assert bad_date.status_code == 422
    assert bad_date.headers["content-type"] == PROBLEM


def _members(response: httpx.Response) -> dict[str, bytes]:
    assert response.headers["content-type"] == "application/zip", response.text
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_tender_zip_docx_identical_to_cli(api: httpx.Client, tmp_path: Path) -> None:
    members = _members(api.post("/documents/tender", files=_operation()))
    run("tender", OPERATION, "-o", tmp_path)
    written = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert set(members) == set(written)
    assert any(name.endswith(".docx") for name in members)
    for name, content in members.items():
        assert content == written[name], name


def test_tender_annex_pdf_alone(api: httpx.Client) -> None:
    response = api.post(
        "/documents/tender", files=_operation(), headers={"accept": "application/pdf"}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) > 1
    assert reader.outline
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # tagged PDF/A by default


def test_pdf_profile_plain_and_an_unknown_profile(api: httpx.Client) -> None:
    plain = api.post(
        "/documents/commitment",
        files=_operation(),
        data={"lot": "1"},
        params={"pdf": "true", "pdf_profile": "plain"},
    )
    pdf = PdfReader(io.BytesIO(_members(plain)["engagement-lot-01.pdf"]))
    assert "/MarkInfo" not in pdf.trailer["/Root"] and "/StructTreeRoot" not in pdf.trailer["/Root"]
    unknown = api.post(
        "/documents/commitment",
        files=_operation(),
        data={"lot": "1"},
        params={"pdf": "true", "pdf_profile": "pdfa-3"},
    )
    assert unknown.status_code == 422
    assert unknown.headers["content-type"] == PROBLEM
    assert "pdf_profile" in unknown.text


def test_commitment_zip(api: httpx.Client) -> None:
    members = _members(api.post("/documents/commitment", files=_operation(), data={"lot": "1"}))
    assert sorted(members) == ["engagement-lot-01.docx", "engagement-lot-01.manifest.json"]


def _execution_files() -> list[tuple[str, tuple[str, bytes]]]:
    files = [
        ("operation", ("operation.yaml", OPERATION.read_bytes())),
        ("ledger", ("heures.csv", (SAMPLE / "heures.csv").read_bytes())),
        ("participants", ("participants.yaml", (SAMPLE / "participants.yaml").read_bytes())),
    ]
    files += [
        ("commitments", (path.name, path.read_bytes()))
        for path in sorted((SAMPLE / "engagements").iterdir())
    ]
    return files


def test_compliance_zip(api: httpx.Client) -> None:
    members = _members(api.post("/documents/compliance", files=_execution_files()))
    assert any(name.startswith("conformite-") and name.endswith(".docx") for name in members)


def test_balance_stream_with_pdf(api: httpx.Client) -> None:
    response = api.post("/documents/balance", files=_execution_files(), params={"pdf": "true"})
    members = _members(response)
    docx = [name for name in members if name.endswith(".docx")]
    pdfs = [name for name in members if name.endswith(".pdf")]
    assert docx and len(pdfs) == len(docx)
    assert "erreurs.txt" not in members
    assert len(PdfReader(io.BytesIO(members[pdfs[0]])).pages) >= 1


def test_token_required_when_set() -> None:
    with Server(Settings(token="s3cret")) as client:
        assert client.get("/health").status_code == 200
        refused = client.get("/fragments")
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"].startswith("Bearer")
        allowed = client.get("/fragments", headers={"authorization": "Bearer s3cret"})
        assert allowed.status_code == 200


def test_past_the_queue_is_429_with_retry_after() -> None:
    settings = Settings(max_concurrent=1, max_queued=0, token=None)
    with Server(settings) as client:
        results: list[int] = []

        def slow() -> None:
            response = client.post("/documents/tender", files=_operation(), params={"pdf": "true"})
            results.append(response.status_code)

        worker = threading.Thread(target=slow)
        worker.start()
        while client.get("/health").json()["limits"]["active"] == 0:
            time.sleep(0.01)
        refused = client.post("/calibrage", files=_operation())
        worker.join()
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "5"
        assert results == [200]


def test_a_client_that_disconnects_frees_its_slot_and_its_conversion_stops() -> None:
    """A non-streamed request (the tender with its PDFs) whose client closes the connection
    while it works: its conversion takes no new document (fewer conversions than the
    tender's documents), its slot is freed, and the next request, past a limit of one, is
    accepted instead of 429."""
    settings = Settings(max_concurrent=1, max_queued=0, token=None)
    with Server(settings) as client:

        def conversions() -> int:
            return int(client.get("/health").json()["converter"]["conversions"])

        before = conversions()
        whole = client.post("/documents/tender", files=_operation(), params={"pdf": "true"})
        assert whole.status_code == 200
        documents = conversions() - before  # what the whole tender converts
        request = client.build_request(
            "POST", "/documents/tender", files=_operation(), params={"pdf": "true"}
        )
        head = f"POST {request.url.raw_path.decode()} HTTP/1.1\r\n" + "".join(
            f"{name}: {value}\r\n" for name, value in request.headers.items()
        )
        before = conversions()
        with socket.create_connection(("127.0.0.1", client.base_url.port or 80)) as raw:
            raw.sendall(head.encode() + b"\r\n" + request.read())
            while client.get("/health").json()["limits"]["active"] == 0:
                time.sleep(0.01)
        while (health := client.get("/health").json())["limits"]["active"] != 0:
            time.sleep(0.05)
        assert health["converter"]["busy"] == 0
        assert health["converter"]["conversions"] - before < documents
        assert client.post("/calibrage", files=_operation()).status_code == 200


def _operations_zip(*folders: Path, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for folder in folders:
            for path in sorted(folder.rglob("*")):
                if path.is_file() and path.name != "heures.xlsx":
                    archive.write(path, str(path.relative_to(folder.parent)))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


PERIOD = {"debut": "2027-01-01", "fin": "2028-06-30"}
PERIOD_OPTIONS = ("--from", "2027-01-01", "--to", "2028-06-30")
EVALUATED = [
    Path("samples") / name
    for name in ("groupe-scolaire-jaures", "voirie-avenue-leclerc", "entretien-parcs-limoux")
]


def test_evaluation_zip_is_the_commands_report(api: httpx.Client, tmp_path: Path) -> None:
    files = {"operations": ("operations.zip", _operations_zip(*EVALUATED), "application/zip")}
    members = _members(api.post("/evaluation", files=files, data=PERIOD))
    stem = "evaluation-2027-01-01-2028-06-30"
    assert sorted(members) == [f"{stem}.docx", f"{stem}.manifest.json", f"{stem}.xlsx"]
    folders = []
    for folder in EVALUATED:  # the same inputs the ZIP holds (the CSV ledgers)
        copy = tmp_path / folder.name
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("heures.xlsx"))
        folders.append(copy)
    # the service takes the ZIP's folders in the order of their names
    result = run("evaluate", *sorted(folders), *PERIOD_OPTIONS, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    written = (tmp_path / "out" / f"{stem}.docx").read_bytes()
    assert docx_text(members[f"{stem}.docx"]) == docx_text(written)


def test_evaluation_zip_carries_the_period_warnings(api: httpx.Client) -> None:
    files = {"operations": ("operations.zip", _operations_zip(*EVALUATED), "application/zip")}
    members = _members(
        api.post("/evaluation", files=files, data={"debut": "2028-04-01", "fin": "2028-06-30"})
    )
    assert members["avertissements.txt"].decode() == (
        "[periode] entretien-parcs-limoux: the execution of 2027-SRV-004 (2027-04-01 to "
        "2028-03-31) does not meet the period 2028-04-01 to 2028-06-30; it is left out of the "
        "figures.\n"
    )


def test_evaluation_converts_its_report_to_pdf(api: httpx.Client) -> None:
    files = {"operations": ("operations.zip", _operations_zip(EVALUATED[2]), "application/zip")}
    response = api.post(
        "/evaluation", files=files, data=PERIOD, params={"pdf": "true", "pdf_profile": "plain"}
    )
    members = _members(response)
    assert members["evaluation-2027-01-01-2028-06-30.pdf"].startswith(b"%PDF")


def test_evaluation_refuses_a_zip_that_climbs_out(api: httpx.Client) -> None:
    archive = _operations_zip(EVALUATED[1], extra={"../evil.yaml": b"x"})
    files = {"operations": ("operations.zip", archive, "application/zip")}
    response = api.post(
        "/evaluation", files=files, data={"debut": "2027-01-01", "fin": "2028-06-30"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert "'../evil.yaml' is not a relative path inside the ZIP" in response.json()["detail"]


def test_evaluation_reports_conflicting_operations(api: httpx.Client) -> None:
    archive = _operations_zip(
        EVALUATED[2],
        extra={
            f"copie/{path.relative_to(EVALUATED[2])}": path.read_bytes()
            for path in EVALUATED[2].rglob("*")
            if path.is_file()
        },
    )
    files = {"operations": ("operations.zip", archive, "application/zip")}
    response = api.post(
        "/evaluation", files=files, data={"debut": "2027-01-01", "fin": "2028-06-30"}
    )
    assert response.status_code == 422, response.text
    assert (
        "lot 1 of consultation 2027-SRV-004 is in copie and in entretien-parcs-limoux"
        in response.json()["detail"]
    )


def test_a_pool_worker_killed_mid_request_the_request_still_succeeds(api: httpx.Client) -> None:
    """A LibreOffice worker of the service's pool killed while a tender with PDFs converts:
    its document is retried on another worker, the ZIP has every PDF, and the pool is back
    to its N workers afterwards."""
    from clausegen.render.converters import shared_converter
    from clausegen.render.pool import LocalPool
    from tests.test_converter_pool import _office_of

    pool = shared_converter()
    assert isinstance(pool, LocalPool)
    failures = pool.state()["failures"]
    killed: list[int] = []
    done = threading.Event()

    def saboteur() -> None:
        while not done.is_set() and not killed:
            for worker in list(pool.members):
                if worker not in pool.idle and (pid := _office_of(worker)) is not None:
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                    break
            time.sleep(0.01)

    thread = threading.Thread(target=saboteur)
    thread.start()
    try:
        response = api.post("/documents/tender", files=_operation(), params={"pdf": "true"})
    finally:
        done.set()
        thread.join()
    assert killed, "no worker was busy during the request"
    members = _members(response)
    docx = sorted(name.removesuffix(".docx") for name in members if name.endswith(".docx"))
    pdfs = {name.removesuffix(".pdf") for name in members if name.endswith(".pdf")}
    assert set(docx) <= pdfs  # every document has its PDF (and the annex is there too)
    for name in pdfs:
        assert len(PdfReader(io.BytesIO(members[f"{name}.pdf"])).pages) >= 1
    assert pool.state()["failures"] > failures
    assert pool.wait_ready(120) == pool.workers
    health = api.get("/health").json()["converter"]
    assert health["running"] == health["workers"]


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (
            "/calibrage",
            "operation: missing; upload the operation file (.yaml or .json) in the form "
            "field operation.",
        ),
        (
            "/import/eforms",
            "notice: missing; upload the eForms contract notice (.xml) in the form field notice.",
        ),
    ],
)
def test_a_form_without_its_file_names_the_field(api: httpx.Client, route: str, message: str):
    response = api.post(route, files={"autre": ("x.txt", b"x")})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["detail"] == message
