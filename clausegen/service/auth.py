"""Optional authentication by the server's token (``CLAUSEGEN_API_TOKEN``): every API route
but /health asks for ``Authorization: Bearer <token>``; the web form's routes ask for the
access cookie its token page sets (``web/access.py``), which never holds the token.

The cookie is ``<issue time>.<HMAC>``: the time it was set (Unix seconds) and an HMAC-SHA256
of a fixed label and that time, keyed by the token. It is accepted for
``Settings.access_lifetime`` seconds, never when dated in the future (past a minute's leeway
between replicas' clocks); a new token refuses every older cookie. Wrong tokens are counted
by client address (``wrong_tokens``): past the limit, an attempt gets 429 unchecked.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import re

from fastapi import Request

from clausegen.service.problems import ProblemError
from clausegen.service.settings import TOKEN_VARIABLE
from clausegen.service.wrong_tokens import WrongTokens

ACCESS_COOKIE = "clausegen_acces"
"""The cookie the token page sets: ``access_value`` of the server's token and the time."""

_ACCESS_LABEL = b"clausegen: acces au formulaire web"

CLOCK_LEEWAY = 60
"""Seconds a cookie may seem dated in the future (another replica's clock) and still pass."""

_ACCESS_FORMAT = re.compile(r"([0-9]{1,12})\.([0-9a-f]{64})")

PAGE_API_ROUTES = frozenset({"/documents/compliance", "/documents/balance"})
"""The API routes the facilitator's page posts to (a browser's fetch cannot add the bearer
header without the page holding the token): the access cookie opens these, and no other."""


class Access(enum.Enum):
    """What a request's access cookie is worth."""

    OPEN = "open"
    """The server has no token: the form is open."""
    GRANTED = "granted"
    """The cookie of the current token, within its lifetime."""
    MISSING = "missing"
    """No cookie."""
    EXPIRED = "expired"
    """The cookie of the current token, set longer ago than its lifetime."""
    REFUSED = "refused"
    """Anything else: another token's, tampered with, dated in the future, an older format."""


def access_value(token: str, issued: int) -> str:
    """The access cookie's value for ``token``, set at ``issued`` (Unix seconds): the time
    and an HMAC of a fixed label and that time keyed by the token, so the cookie does not
    give the token away, its time cannot be changed, and a new token refuses it."""
    message = _ACCESS_LABEL + b"\n" + str(issued).encode()
    return f"{issued}.{hmac.new(token.encode(), message, hashlib.sha256).hexdigest()}"


def cookie_access(given: str, token: str, now: float, lifetime: int) -> Access:
    """What the cookie value ``given`` is worth at ``now`` for the server's ``token``."""
    if not given:
        return Access.MISSING
    found = _ACCESS_FORMAT.fullmatch(given)
    if found is None:
        return Access.REFUSED
    issued = int(found.group(1))
    if not hmac.compare_digest(given.encode(), access_value(token, issued).encode()):
        return Access.REFUSED
    if issued > now + CLOCK_LEEWAY:
        return Access.REFUSED
    if issued + lifetime <= now:
        return Access.EXPIRED
    return Access.GRANTED


def token_matches(given: str, token: str) -> bool:
    """Whether ``given`` is ``token``, compared in constant time."""
    return hmac.compare_digest(given.encode(), token.encode())


def access(request: Request) -> Access:
    """What the request's access cookie is worth for the web form."""
    settings = request.app.state.settings
    token: str | None = settings.token
    if token is None:
        return Access.OPEN
    given = request.cookies.get(ACCESS_COOKIE, "")
    return cookie_access(given, token, request.app.state.clock(), settings.access_lifetime)


def has_access(request: Request) -> bool:
    """Whether the request may use the web form: the server has no token, or the request
    carries a valid access cookie of the server's current token."""
    return access(request) in (Access.OPEN, Access.GRANTED)


def client_address(request: Request) -> str | None:
    """The client's address as the server saw it (uvicorn's: a trusted proxy's
    X-Forwarded-For only, ``FORWARDED_ALLOW_IPS``)."""
    return request.client.host if request.client else None


def wrong_tokens(request: Request) -> WrongTokens:
    """The server's count of wrong tokens."""
    counter: WrongTokens = request.app.state.wrong_tokens
    return counter


async def require_token(request: Request) -> None:
    """401 unless the request carries the server's token (when it has one); on the routes
    the facilitator's page posts to, the web form's access cookie does too. A bearer token
    from an address past its wrong tokens gets 429, unchecked."""
    token: str | None = request.app.state.settings.token
    if token is None:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    given = given.strip()
    if scheme.lower() == "bearer" and given:
        address = client_address(request)
        wait = wrong_tokens(request).retry_after(address)
        if wait is not None:
            raise too_many_wrong_tokens(request, wait)
        if token_matches(given, token):
            return
        wrong_tokens(request).record(address)
    route = request.scope.get("route")
    if getattr(route, "path", None) in PAGE_API_ROUTES and has_access(request):
        return
    raise ProblemError(
        401,
        "This server asks for a token: send the header Authorization: Bearer <token>, with "
        f"the token its administrator set in {TOKEN_VARIABLE}.",
        headers={"WWW-Authenticate": 'Bearer realm="clausegen"'},
    )


def too_many_wrong_tokens(request: Request, wait: int) -> ProblemError:
    """The API's 429 to an address past its wrong tokens."""
    settings = request.app.state.settings
    return ProblemError(
        429,
        f"Too many wrong tokens from your address: {settings.max_wrong_tokens} within "
        f"{settings.wrong_token_window} seconds. Token attempts from it are refused, the right "
        f"token included, for {wait} more seconds; retry after that.",
        headers={"Retry-After": str(wait)},
    )
