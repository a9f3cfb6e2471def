"""The web form behind the server's token: real HTTP requests to a started server. Without
the access cookie every form route sends to the token page; a wrong token is refused; the
right one sets a cookie that is not the token and opens the form (not the API); a new token
refuses the old cookie; the way back is a local path only."""

from __future__ import annotations

from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from clausegen.service.auth import ACCESS_COOKIE
from tests.web_server import serving

TOKEN = "s3cret-du-service"
OPERATION = Path("samples/groupe-scolaire-jaures/operation.yaml")


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serving(TOKEN) as url:
        yield url


def _client(base: str) -> httpx.Client:
    return httpx.Client(base_url=base, follow_redirects=False, timeout=120)


def _log_in(client: httpx.Client, token: str = TOKEN, target: str = "/") -> httpx.Response:
    return client.post("/acces", data={"jeton": token, "next": target})


def _set_cookie(response: httpx.Response) -> SimpleCookie:
    cookie: SimpleCookie = SimpleCookie()
    for header in response.headers.get_list("set-cookie"):
        cookie.load(header)
    return cookie


@pytest.mark.parametrize(
    ("method", "path", "back"),
    [
        ("GET", "/", "/"),
        ("GET", "/facilitateur", "/facilitateur"),
        ("GET", "/?exemple=1", "/%3Fexemple%3D1"),
        ("POST", "/", "/"),
        ("POST", "/formulaire/calibrage", "/"),
        ("POST", "/formulaire/annexe", "/"),
        ("POST", "/formulaire/docx", "/"),
        ("POST", "/formulaire/yaml", "/"),
        ("POST", "/formulaire/charger", "/"),
        ("POST", "/formulaire/avis", "/"),
    ],
)
def test_without_the_cookie_every_form_route_sends_to_the_token_page(base, method, path, back):
    with _client(base) as client:
        response = client.request(method, path, files={"fichier": ("x.yaml", b"a: 1")})
    assert response.status_code == 303
    assert response.headers["location"] == f"/acces?next={back}"


def test_the_token_page_and_the_static_files_stay_open(base):
    with _client(base) as client:
        page = client.get("/acces?next=/facilitateur")
        assert page.status_code == 200
        assert "Jeton d’accès" in page.text
        assert 'name="next" value="/facilitateur"' in page.text
        assert "Se déconnecter" not in page.text
        assert client.get("/static/site.css").status_code == 200


def test_a_wrong_token_is_refused_with_401_and_no_cookie(base):
    with _client(base) as client:
        for given in ("pas-le-bon", TOKEN + "x", ""):
            response = _log_in(client, given)
            assert response.status_code == 401
            assert "set-cookie" not in response.headers
            assert 'class="fr-error-text"' in response.text
            assert client.get("/").status_code == 303
        assert "n’est pas le bon" in _log_in(client, "pas-le-bon").text
        assert "Saisissez le jeton d’accès" in _log_in(client, "").text


def test_the_right_token_sets_a_strict_http_only_cookie_that_is_not_the_token(base):
    with _client(base) as client:
        response = _log_in(client, target="/facilitateur")
        assert response.status_code == 303
        assert response.headers["location"] == "/facilitateur"
        header = response.headers["set-cookie"]
        assert TOKEN not in header
        morsel = _set_cookie(response)[ACCESS_COOKIE]
        assert morsel["httponly"] is True
        assert morsel["samesite"] == "strict"
        assert morsel["path"] == "/"
        assert not morsel["secure"]  # plain http here
        assert len(morsel.value.partition(".")[2]) == 64  # the issue time, an HMAC-SHA256 hex

        # the form works with it
        page = client.get("/")
        assert page.status_code == 200 and "Se déconnecter" in page.text
        with OPERATION.open("rb") as handle:
            loaded = client.post("/formulaire/charger", files={"fichier": handle})
        assert loaded.status_code == 200 and "2026-TRX-042" in loaded.text
        saved = client.post("/formulaire/yaml", data={"consultation.reference": "R-1"})
        assert saved.status_code == 200
        assert saved.headers["content-type"].startswith("application/yaml")
        assert client.get("/facilitateur").status_code == 200


def test_the_cookie_is_secure_when_the_request_came_over_https(base):
    with _client(base) as client:  # uvicorn trusts X-Forwarded-Proto from 127.0.0.1
        response = client.post(
            "/acces", data={"jeton": TOKEN}, headers={"x-forwarded-proto": "https"}
        )
        assert response.status_code == 303
        assert _set_cookie(response)[ACCESS_COOKIE]["secure"] is True


def test_a_changed_server_token_refuses_the_old_cookie(base):
    with _client(base) as client:
        old = _set_cookie(_log_in(client))[ACCESS_COOKIE].value
    with serving("un-nouveau-jeton") as other, _client(other) as client:
        client.cookies.set(ACCESS_COOKIE, old)
        assert client.get("/").status_code == 303
        assert _log_in(client, TOKEN).status_code == 401
        assert _log_in(client, "un-nouveau-jeton").status_code == 303
        assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/formulaire",
        "https://evil.example/",
        "http:evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/acces?next=//evil.example",
        "javascript:alert(1)",
        "/%0d%0aLocation: https://evil.example",
        "/\r\nSet-Cookie: x=1",
    ],
)
def test_the_way_back_is_a_local_path_only(base, target):
    with _client(base) as client:
        response = _log_in(client, target=target)
        assert response.status_code == 303
        location = response.headers["location"]
        parts = urlsplit(location)
        assert location.startswith("/") and not location.startswith("//")
        assert not parts.scheme and not parts.netloc
        assert not {"\\", "\r", "\n"} & set(location)
        assert location == "/" or target.startswith("/%0d")
        client.cookies.set(ACCESS_COOKIE, _set_cookie(response)[ACCESS_COOKIE].value)
        again = client.get("/acces", params={"next": target})
        assert again.status_code == 303
        assert again.headers["location"] == location


def test_the_cookie_does_not_open_the_api_but_the_facilitator_page_s_two_routes(base):
    with _client(base) as client:
        _log_in(client)
        assert client.get("/fragments").status_code == 401
        assert client.post("/calibrage", json={}).status_code == 401
        assert client.post("/documents/tender").status_code == 401
        # the facilitator's page posts here: the cookie lets the request in (422: no files)
        assert client.post("/documents/compliance").status_code == 422
        assert client.post("/documents/balance").status_code == 422
    with _client(base) as client:
        assert client.post("/documents/compliance").status_code == 401
        bearer = {"authorization": f"Bearer {TOKEN}"}
        assert client.get("/fragments", headers=bearer).status_code == 200
        assert client.get("/", headers=bearer).status_code == 303  # the form asks its cookie


def test_leaving_clears_the_cookie(base):
    with _client(base) as client:
        _log_in(client)
        assert client.get("/").status_code == 200
        response = client.post("/deconnexion")
        assert response.status_code == 303 and response.headers["location"] == "/acces"
        morsel = _set_cookie(response)[ACCESS_COOKIE]
        assert morsel.value == "" and morsel["max-age"] == "0"
        assert client.get("/").status_code == 303


def test_without_a_token_the_form_is_open_and_the_token_page_sends_to_it():
    with serving() as url, _client(url) as client:
        assert client.get("/").status_code == 200
        assert "Se déconnecter" not in client.get("/").text
        response = client.get("/acces?next=/facilitateur")
        assert response.status_code == 303 and response.headers["location"] == "/facilitateur"
        assert client.get("/acces?next=//evil.example").headers["location"] == "/"
