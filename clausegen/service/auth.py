"""Optional authentication by the server's token (``CLAUSEGEN_API_TOKEN``): every API route
but /health asks for ``Authorization: Bearer <token>``; the web form's routes ask for the
access cookie its token page sets (``web/access.py``), which never holds the token."""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request

from clausegen.service.problems import ProblemError
from clausegen.service.settings import TOKEN_VARIABLE

ACCESS_COOKIE = "clausegen_acces"
"""The cookie the token page sets: ``access_value`` of the server's token."""

_ACCESS_LABEL = b"clausegen: acces au formulaire web"

PAGE_API_ROUTES = frozenset({"/documents/compliance", "/documents/balance"})
"""The API routes the facilitator's page posts to (a browser's fetch cannot add the bearer
header without the page holding the token): the access cookie opens these, and no other."""


def access_value(token: str) -> str:
    """The access cookie's value for ``token``: an HMAC of a fixed label keyed by the token,
    so the cookie does not give the token away and a new token refuses every older cookie."""
    return hmac.new(token.encode(), _ACCESS_LABEL, hashlib.sha256).hexdigest()


def token_matches(given: str, token: str) -> bool:
    """Whether ``given`` is ``token``, compared in constant time."""
    return hmac.compare_digest(given.encode(), token.encode())


def has_access(request: Request) -> bool:
    """Whether the request may use the web form: the server has no token, or the request
    carries the access cookie of the server's current token."""
    token: str | None = request.app.state.settings.token
    if token is None:
        return True
    given = request.cookies.get(ACCESS_COOKIE, "")
    return hmac.compare_digest(given.encode(), access_value(token).encode())


async def require_token(request: Request) -> None:
    """401 unless the request carries the server's token (when it has one); on the routes
    the facilitator's page posts to, the web form's access cookie does too."""
    token: str | None = request.app.state.settings.token
    if token is None:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token_matches(given.strip(), token):
        return
    route = request.scope.get("route")
    if getattr(route, "path", None) in PAGE_API_ROUTES and has_access(request):
        return
    raise ProblemError(
        401,
        "This server asks for a token: send the header Authorization: Bearer <token>, with "
        f"the token its administrator set in {TOKEN_VARIABLE}.",
        headers={"WWW-Authenticate": 'Bearer realm="clausegen"'},
    )
