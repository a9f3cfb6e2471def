"""The access cookie expires on the server's side, by real HTTP requests to a started server
whose clock the tests move: it carries its issue time under the HMAC, is sent with a
matching Max-Age, is refused past its lifetime (303 to the token page saying the session
expired, then back where the user was going), dated in the future, tampered with or in the
format before the time was added, and a garbage value is a plain refusal, not a 500."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from http.cookies import SimpleCookie

import httpx
import pytest

from clausegen.service.auth import ACCESS_COOKIE, access_value
from tests.web_server import Clock, serving

TOKEN = "jeton-session-91bd"
LIFETIME = 12 * 3600


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def base(clock: Clock) -> Iterator[str]:
    with serving(TOKEN, clock=clock) as url:
        yield url


def _client(base: str) -> httpx.Client:
    return httpx.Client(base_url=base, follow_redirects=False, timeout=60)


def _log_in(client: httpx.Client, target: str = "/") -> httpx.Response:
    response = client.post("/acces", data={"jeton": TOKEN, "next": target})
    assert response.status_code == 303
    return response


def _cookie(response: httpx.Response) -> str:
    cookie: SimpleCookie = SimpleCookie()
    cookie.load(response.headers["set-cookie"])
    return cookie[ACCESS_COOKIE].value


def test_the_cookie_carries_its_issue_time_and_a_matching_max_age(base, clock):
    with _client(base) as client:
        response = _log_in(client)
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(response.headers["set-cookie"])
        morsel = cookie[ACCESS_COOKIE]
        assert morsel["max-age"] == str(LIFETIME)
        assert morsel["httponly"] is True and morsel["samesite"] == "strict"
        issued, _, mac = morsel.value.partition(".")
        assert issued == str(int(clock.now))
        assert len(mac) == 64 and TOKEN not in morsel.value
    assert "Il vous sera redemandé au bout de 12\u00a0heures" in httpx.get(base + "/acces").text


def test_the_max_age_follows_the_setting():
    with serving(TOKEN, clock=Clock(), access_lifetime=1800) as url, _client(url) as client:
        assert "max-age=1800" in _log_in(client).headers["set-cookie"].lower()
        assert "au bout de 30\u00a0minutes" in httpx.get(url + "/acces").text


def test_an_expired_cookie_sends_to_the_token_page_saying_so_then_back(base, clock):
    with _client(base) as client:
        _log_in(client)
        clock.advance(LIFETIME - 1)
        assert client.get("/facilitateur").status_code == 200
        clock.advance(1)
        response = client.get("/facilitateur")
        assert response.status_code == 303
        location = response.headers["location"]
        assert location == "/acces?next=/facilitateur&session=expiree"
        assert "Session expirée" in response.json()["detail"]
        page = client.get(location)
        assert page.status_code == 200
        assert "Votre session a expiré" in page.text
        assert "au bout de 12\u00a0heures" in page.text
        assert 'name="next" value="/facilitateur"' in page.text
        again = client.post("/acces", data={"jeton": TOKEN, "next": "/facilitateur"})
        assert again.headers["location"] == "/facilitateur"
        assert client.get("/facilitateur").status_code == 200
        # an action posted with an expired cookie goes back to the form's page
        clock.advance(LIFETIME)
        posted = client.post("/formulaire/yaml", data={})
        assert posted.headers["location"] == "/acces?next=/&session=expiree"
        # the facilitator's page's API routes: the plain 401
        assert client.post("/documents/compliance").status_code == 401


def test_a_cookie_set_before_a_shorter_lifetime_expires_by_the_new_one(clock):
    with serving(TOKEN, clock=clock) as url, _client(url) as client:
        old = _cookie(_log_in(client))
    clock.advance(2 * 3600)
    with serving(TOKEN, clock=clock, access_lifetime=3600) as url, _client(url) as client:
        client.cookies.set(ACCESS_COOKIE, old)
        assert client.get("/").headers["location"] == "/acces?next=/&session=expiree"


def _forged(issued: int) -> str:
    """A cookie signed with the token (as only its holder can) at ``issued``."""
    return access_value(TOKEN, issued)


@pytest.mark.parametrize(
    ("ahead", "accepted"), [(30, True), (60, True), (61, False), (86400, False)]
)
def test_a_cookie_dated_in_the_future_is_refused_past_a_minute(base, clock, ahead, accepted):
    with _client(base) as client:
        client.cookies.set(ACCESS_COOKIE, _forged(int(clock.now) + ahead))
        response = client.get("/")
        if accepted:
            assert response.status_code == 200
        else:
            assert response.status_code == 303
            assert response.headers["location"] == "/acces?next=/"


def _tampered(value: str) -> list[str]:
    issued, _, mac = value.partition(".")
    flipped = mac[:-1] + ("0" if mac[-1] != "0" else "1")
    return [
        f"{int(issued) + 3600}.{mac}",  # a later time under the old HMAC
        f"{issued}.{flipped}",
        f"{issued}.{mac.upper()}",
        f"{issued}{mac}",
        f"{value}.0",
        f"0{issued}.{mac}",
    ]


def test_a_tampered_cookie_is_refused(base):
    with _client(base) as client:
        value = _cookie(_log_in(client))
        assert client.get("/").status_code == 200
    for forged in _tampered(value):
        with _client(base) as client:
            client.cookies.set(ACCESS_COOKIE, forged)
            response = client.get("/")
            assert response.status_code == 303, forged
            assert response.headers["location"] == "/acces?next=/", forged
            assert client.post("/documents/compliance").status_code == 401


def test_the_previous_format_and_garbage_are_refused_cleanly(base):
    previous = hmac.new(
        TOKEN.encode(), b"clausegen: acces au formulaire web", hashlib.sha256
    ).hexdigest()
    for value in (previous, "x", "0", "0.", ".", "1" * 5000, "é" * 100, "🔑.🔑", "-1." + "a" * 64):
        with _client(base) as client:
            client.headers["cookie"] = f"{ACCESS_COOKIE}={value}"
            response = client.get("/")
            assert response.status_code == 303, value[:20]
            assert response.headers["location"] == "/acces?next=/"
            page = client.get("/acces")
            assert page.status_code == 200 and "Votre session a expiré" not in page.text
