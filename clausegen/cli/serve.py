"""``clausegen serve``: the HTTP API (and the web form) on uvicorn.

FastAPI and uvicorn are imported when the command runs, so the other commands start fast.
"""

from __future__ import annotations

import dataclasses
import json
import os
from typing import TYPE_CHECKING

import click

from clausegen.cli.options import Bounded
from clausegen.render.libreoffice import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from fastapi import FastAPI

MAX_BODY_MIB = 10
"""--max-body's default, in MiB."""

MIB = 1024 * 1024


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=Bounded("a port number", 1, 65535), default=8000, show_default=True)
@click.option(
    "--workers",
    type=Bounded("a number of processes", 1, 64),
    default=1,
    show_default=True,
    help="Server processes; each has its own limits below.",
)
@click.option(
    "--allow-templates",
    is_flag=True,
    help="Accept buyers' own DOCX templates in requests (rendered under the sandbox).",
)
@click.option(
    "--max-concurrent",
    type=Bounded("a number of requests", 1, 1024),
    help="Requests working at once per process (default: the number of cores).",
)
@click.option(
    "--max-queued",
    type=Bounded("a number of requests", 0, 100000),
    help="Requests waiting for a slot; one more is answered 429 (default: twice the cores).",
)
@click.option(
    "--time-budget",
    type=Bounded("a number of seconds", 1, 3600, example="120", decimals=True),
    default=120.0,
    show_default=True,
    help="Seconds a request may wait and work in all; past it, 503 with Retry-After.",
)
@click.option(
    "--max-body",
    type=Bounded("a number of mebibytes", 1, 1024),
    default=MAX_BODY_MIB,
    show_default=True,
    help="Largest request body, in MiB; a larger one is answered 413.",
)
@click.option(
    "--pdf-timeout",
    type=Bounded("a number of seconds", 1, 3600, example="60 or 90.5", decimals=True),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Time LibreOffice may take on one document before it is stopped and retried.",
)
@click.option(
    "--max-wrong-tokens",
    type=Bounded("a number of tokens", 1, 1000),
    default=10,
    show_default=True,
    help="Wrong tokens one client address may send within --wrong-token-minutes; its next "
    "attempts get 429 until the window passes.",
)
@click.option(
    "--wrong-token-minutes",
    type=Bounded("a number of minutes", 1, 1440),
    default=10,
    show_default=True,
    help="The window wrong tokens are counted over, in minutes.",
)
@click.option(
    "--access-hours",
    type=Bounded("a number of hours", 1, 720),
    default=12,
    show_default=True,
    help="Hours the web form's access cookie is accepted before the token is asked again.",
)
def serve_command(
    host: str,
    port: int,
    workers: int,
    allow_templates: bool,
    max_concurrent: int | None,
    max_queued: int | None,
    time_budget: float,
    max_body: int,
    pdf_timeout: float,
    max_wrong_tokens: int,
    wrong_token_minutes: int,
    access_hours: int,
) -> None:
    """Serve the HTTP API: the same operations as the commands, OpenAPI at /docs.

    With CLAUSEGEN_API_TOKEN set in the environment, every request but /health must carry
    Authorization: Bearer <token>; the web form asks for it on its token page.
    """
    import uvicorn

    from clausegen.service.app import create_app
    from clausegen.service.settings import Settings

    defaults = Settings()
    settings = Settings(
        max_body_bytes=max_body * MIB,
        max_concurrent=max_concurrent or defaults.max_concurrent,
        max_queued=defaults.max_queued if max_queued is None else max_queued,
        time_budget=time_budget,
        pdf_timeout=pdf_timeout,
        allow_templates=allow_templates,
        warm_converter=True,
        max_wrong_tokens=max_wrong_tokens,
        wrong_token_window=wrong_token_minutes * 60,
        access_lifetime=access_hours * 3600,
    )
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port)
        return
    os.environ[SETTINGS_VARIABLE] = json.dumps(dataclasses.asdict(settings))
    uvicorn.run(
        "clausegen.cli.serve:worker_app", factory=True, host=host, port=port, workers=workers
    )


SETTINGS_VARIABLE = "CLAUSEGEN_SERVE_SETTINGS"
"""How ``serve --workers N`` hands its settings to the worker processes it starts."""


def worker_app() -> FastAPI:
    """The app of one worker process of ``serve --workers N``, with the parent's settings."""
    from clausegen.service.app import create_app
    from clausegen.service.settings import Settings

    return create_app(Settings(**json.loads(os.environ[SETTINGS_VARIABLE])))
