"""Optional bearer-token authentication: with ``CLAUSEGEN_API_TOKEN`` set, every API route
but /health asks for ``Authorization: Bearer <token>``."""

from __future__ import annotations

import hmac

from fastapi import Request

from clausegen.service.problems import ProblemError
from clausegen.service.settings import TOKEN_VARIABLE


async def require_token(request: Request) -> None:
    """401 unless the request carries the server's token (when it has one)."""
    token: str | None = request.app.state.settings.token
    if token is None:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return
    raise ProblemError(
        401,
        "This server asks for a token: send the header Authorization: Bearer <token>, with "
        f"the token its administrator set in {TOKEN_VARIABLE}.",
        headers={"WWW-Authenticate": 'Bearer realm="clausegen"'},
    )
