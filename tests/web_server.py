"""The service (the web form and the API it posts to) served by a real uvicorn on a free
loopback port, in a thread, for the tests."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from clausegen.service.app import create_app
from clausegen.service.settings import Settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Clock:
    """A clock the tests move (Unix seconds), for the app's ``clock``: no sleeping."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@contextmanager
def serving(
    token: str | None = None, *, clock: Clock | None = None, **settings: int
) -> Iterator[str]:
    """The base URL of the form, served until the block ends (asking for ``token``, if
    given, as ``CLAUSEGEN_API_TOKEN`` does), with ``clock`` and other ``settings``."""
    app = create_app(Settings(token=token, **settings), **({"clock": clock} if clock else {}))
    with serving_app(app) as base:
        yield base


@contextmanager
def serving_app(app: FastAPI) -> Iterator[str]:
    """The base URL of ``app``, served on a free loopback port until the block ends."""
    port = free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        forwarded_allow_ips="127.0.0.1",  # uvicorn's default: the tests act as a local proxy
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    else:
        raise RuntimeError("the test server did not start")
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def post(url: str, fields: dict[str, str]) -> tuple[int, str, bytes]:
    """POST a form (urlencoded); the status, content type and body, errors included."""
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(url, data=data, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


TOKEN = "jeton-de-test-4f1c"
"""The token the browser tests' server asks for: they log in through the token page."""


def log_in(page, base: str, path: str) -> None:
    """Open ``path`` in the Playwright ``page`` as a user would with ``TOKEN`` set: sent to
    the token page, type the token, land back on ``path``."""
    page.goto(base + path)
    assert page.url.startswith(base + "/acces?next="), page.url
    page.fill("#jeton", TOKEN)
    with page.expect_navigation():
        page.click("form.acces button[type=submit]")
    assert page.url == base + path, page.url
