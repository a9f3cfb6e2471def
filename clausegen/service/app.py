"""The FastAPI application: ``create_app(settings)`` assembles the routes, the limits, the
authentication and the problem details; the web form joins when its package is there."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib.metadata import version

from fastapi import Depends, FastAPI

from clausegen.errors import ClausegenError
from clausegen.service import calibrage, conversion, documents, evaluation, law, meta, open_data
from clausegen.service.auth import require_token
from clausegen.service.limits import BodyLimit, Limiter
from clausegen.service.problems import install_handlers
from clausegen.service.settings import Settings
from clausegen.service.wrong_tokens import WrongTokens


def create_app(settings: Settings | None = None, clock: Callable[[], float] = time.time) -> FastAPI:
    """The API with ``settings`` (the defaults when None); ``clock`` (Unix seconds) dates
    the access cookies and the wrong tokens (the tests move it instead of waiting)."""
    settings = settings or Settings()
    limiter = Limiter(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.warm_converter:  # in the background: the server answers meanwhile
            threading.Thread(target=_warm_converter, daemon=True).start()
        yield
        limiter.shutdown()

    app = FastAPI(
        title="clausegen",
        version=version("clausegen"),
        summary="French public-procurement social insertion clauses: sizing and documents.",
        description="The same operations as the `clausegen` command line: JSON in, JSON or "
        "files out; errors are RFC 9457 problem details carrying the command line's messages.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.limiter = limiter
    app.state.clock = clock
    app.state.wrong_tokens = WrongTokens(
        settings.max_wrong_tokens,
        settings.wrong_token_window,
        settings.max_tracked_addresses,
        clock,
    )
    install_handlers(app)
    guarded = [Depends(require_token)]
    app.include_router(meta.router)
    for router in (
        calibrage.router,
        documents.router,
        evaluation.router,
        law.router,
        open_data.router,
    ):
        app.include_router(router, dependencies=guarded)
    try:
        from clausegen.service.web import router as web_router
    except ImportError:
        pass
    else:
        app.include_router(web_router)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes, seconds=settings.time_budget)
    return app


def _warm_converter() -> None:
    """Start the PDF converter's workers; a converter that cannot start (no LibreOffice) is
    reported by /health and by the requests that need it, not here."""
    try:
        conversion.start()
    except ClausegenError:
        return
