"""Wrong tokens slowed down, by real HTTP requests to a started server whose clock the
tests move: past ``max_wrong_tokens`` wrong tokens from one address within the window, the
API's bearer and the token page answer 429 with Retry-After, the right token included,
until the window passes; other addresses are not touched; the memory holds a bounded
number of addresses. The tests' client connects from 127.0.0.1, which uvicorn trusts as a
proxy: ``X-Forwarded-For`` gives each request its client address."""

from __future__ import annotations

import httpx
import pytest

from clausegen.service.app import create_app
from clausegen.service.settings import Settings
from clausegen.service.wrong_tokens import client_key
from tests.web_server import Clock, serving, serving_app

TOKEN = "jeton-limite-7a2e"
WINDOW = 600


def _client(base: str, address: str) -> httpx.Client:
    return httpx.Client(
        base_url=base,
        follow_redirects=False,
        timeout=60,
        headers={"x-forwarded-for": address},
    )


def _api(client: httpx.Client, token: str) -> httpx.Response:
    return client.get("/fragments", headers={"authorization": f"Bearer {token}"})


def _form(client: httpx.Client, token: str) -> httpx.Response:
    return client.post("/acces", data={"jeton": token, "next": "/facilitateur"})


def test_the_api_answers_429_past_the_wrong_tokens_even_to_the_right_one():
    clock = Clock()
    with serving(TOKEN, clock=clock) as base, _client(base, "203.0.113.7") as client:
        for attempt in range(10):
            response = _api(client, f"faux-{attempt}")
            assert response.status_code == 401, attempt
        refused = _api(client, "faux-encore")
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == str(WINDOW)
        assert refused.headers["content-type"] == "application/problem+json"
        problem = refused.json()
        assert problem["status"] == 429 and problem["instance"] == "/fragments"
        assert "Too many wrong tokens" in problem["detail"]
        assert "the right token included" in problem["detail"]
        right = _api(client, TOKEN)
        assert right.status_code == 429  # unchecked: the right token waits too
        # a request without a token is not an attempt: the plain 401
        assert client.get("/fragments").status_code == 401

        clock.advance(WINDOW - 1)
        assert _api(client, TOKEN).headers["retry-after"] == "1"
        clock.advance(1)
        assert _api(client, TOKEN).status_code == 200


def test_the_window_slides_over_each_wrong_token():
    clock = Clock()
    with serving(TOKEN, clock=clock) as base, _client(base, "203.0.113.8") as client:
        for _ in range(9):
            assert _api(client, "faux").status_code == 401
        clock.advance(300)
        assert _api(client, "faux").status_code == 401  # the 10th, 5 minutes later
        assert _api(client, TOKEN).headers["retry-after"] == "300"
        clock.advance(300)  # the first nine leave the window; the 10th stays
        assert _api(client, TOKEN).status_code == 200
        for _ in range(9):
            assert _api(client, "faux").status_code == 401
        assert _api(client, TOKEN).status_code == 429


def test_another_address_is_not_touched_and_a_right_token_resets_no_counter():
    clock = Clock()
    with (
        serving(TOKEN, clock=clock) as base,
        _client(base, "198.51.100.1") as guesser,
        _client(base, "198.51.100.2") as user,
    ):
        for _ in range(10):
            _api(guesser, "faux")
        assert _api(guesser, TOKEN).status_code == 429
        assert _api(user, TOKEN).status_code == 200
        assert _form(user, TOKEN).status_code == 303
        assert _api(guesser, TOKEN).status_code == 429
        assert _form(guesser, TOKEN).status_code == 429
        # nor does its own right token: 9 wrong, 1 right, 1 wrong is the limit reached
        for _ in range(9):
            _api(user, "faux")
        assert _api(user, TOKEN).status_code == 200
        assert _api(user, "faux").status_code == 401
        assert _api(user, TOKEN).status_code == 429


def test_the_token_page_answers_429_with_the_time_to_wait():
    clock = Clock()
    with serving(TOKEN, clock=clock) as base, _client(base, "192.0.2.44") as client:
        for _ in range(20):  # an empty token is not a guess
            assert _form(client, "").status_code == 401
        for attempt in range(10):
            assert _form(client, f"faux-{attempt}").status_code == 401
        page = _form(client, TOKEN)
        assert page.status_code == 429
        assert page.headers["retry-after"] == str(WINDOW)
        assert page.headers["content-type"].startswith("text/html")
        assert "set-cookie" not in page.headers
        assert "Trop d’essais" in page.text
        assert "(10 en 10\u00a0minutes)" in page.text
        assert "réessayez dans 10\u00a0minutes" in page.text
        assert "tout jeton est refusé, même le bon" in page.text
        assert 'name="next" value="/facilitateur"' in page.text
        clock.advance(WINDOW - 45)
        page = _form(client, TOKEN)
        assert page.headers["retry-after"] == "45"
        assert "réessayez dans 45\u00a0secondes" in page.text
        clock.advance(45)
        response = _form(client, TOKEN)
        assert response.status_code == 303
        assert response.headers["location"] == "/facilitateur"
        assert "clausegen_acces=" in response.headers["set-cookie"]


def test_the_form_and_the_api_count_together():
    with serving(TOKEN, clock=Clock()) as base, _client(base, "192.0.2.45") as client:
        for _ in range(5):
            _form(client, "faux")
            _api(client, "faux")
        assert _api(client, TOKEN).status_code == 429
        assert _form(client, TOKEN).status_code == 429


def test_the_memory_holds_a_bounded_number_of_addresses():
    clock = Clock()
    app = create_app(Settings(token=TOKEN, max_tracked_addresses=50), clock=clock)
    with serving_app(app) as base, httpx.Client(base_url=base, timeout=60) as client:
        limited = {"x-forwarded-for": "203.0.113.200", "authorization": "Bearer faux"}
        for _ in range(10):
            client.get("/fragments", headers=limited)
        assert client.get("/fragments", headers=limited).status_code == 429
        for number in range(2000):
            address = f"10.{number // 65536}.{number // 256 % 256}.{number % 256}"
            headers = {"x-forwarded-for": address, "authorization": "Bearer faux"}
            assert client.get("/fragments", headers=headers).status_code == 401
            assert app.state.wrong_tokens.tracked() <= 50
        assert app.state.wrong_tokens.tracked() == 50
        # the oldest was dropped: the limited address is forgotten
        assert client.get("/fragments", headers=limited).status_code == 401


def test_an_ipv6_client_is_counted_by_its_64_network():
    with serving(TOKEN, clock=Clock()) as base:
        for number in range(10):
            with _client(base, f"2001:db8:1:2::{number + 1:x}") as client:
                assert _api(client, "faux").status_code == 401
        with _client(base, "2001:db8:1:2:ffff:ffff:ffff:ffff") as client:
            assert _api(client, TOKEN).status_code == 429
        with _client(base, "2001:db8:1:3::1") as client:
            assert _api(client, TOKEN).status_code == 200


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:db8::1", "2001:db8::/64"),
        ("2001:DB8:0:0:abcd::1", "2001:db8::/64"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("not-an-address", "not-an-address"),
        ("x" * 500, "x" * 100),
        (None, "-"),
    ],
)
def test_client_keys(address, key):
    assert client_key(address) == key


def test_serve_s_options_reach_the_settings(monkeypatch):
    import uvicorn
    from click.testing import CliRunner

    from clausegen.cli.serve import serve_command

    started = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.append(app))
    options = ["--max-wrong-tokens", "3", "--wrong-token-minutes", "2", "--access-hours", "1"]
    assert CliRunner().invoke(serve_command, options).exit_code == 0
    settings = started[0].state.settings
    assert (settings.max_wrong_tokens, settings.wrong_token_window) == (3, 120)
    assert settings.access_lifetime == 3600
    assert CliRunner().invoke(serve_command, []).exit_code == 0
    assert started[1].state.settings == Settings(
        max_concurrent=settings.max_concurrent, warm_converter=True
    )
    refused = CliRunner().invoke(serve_command, ["--max-wrong-tokens", "0"])
    assert refused.exit_code == 2 and "out of range" in refused.output
