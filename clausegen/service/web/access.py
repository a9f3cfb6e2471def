"""The web form's access when the server has a token (``CLAUSEGEN_API_TOKEN``).

A plain HTML form cannot send ``Authorization: Bearer``, so ``GET /acces`` asks for the
token (« Jeton d’accès ») and ``POST /acces`` sets a cookie holding ``access_value`` of it
and of the time (never the token): HttpOnly, SameSite=Strict, Path=/, Secure over https,
Max-Age the access lifetime. Every form route without a valid cookie answers 303 to the
token page, which sends the user back to the local path they were going to; an expired one
says the session expired. Past its wrong tokens, an address gets the page with 429 and the
time to wait. ``POST /deconnexion`` clears the cookie. Without a token, the form is open and
these pages send to it.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from clausegen.service.auth import (
    ACCESS_COOKIE,
    Access,
    access,
    access_value,
    client_address,
    has_access,
    token_matches,
    wrong_tokens,
)
from clausegen.service.web.routes import dsfr_installed, templates

ACCESS_PAGE = "/acces"
FORM_PAGE = "/"

EXPIRED = "expiree"
"""The token page's ``session`` parameter when an expired cookie sent the user there."""

router = APIRouter(tags=["formulaire"], include_in_schema=False)


def local_path(target: str | None) -> str:
    """``target`` when it is a path on this server (``/facilitateur``, ``/?x=1``), else the
    form's page: no scheme, no host, no ``//`` or backslash a browser would read as a host,
    no control character, not the token page itself (no open redirect, no loop)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return FORM_PAGE
    if "\\" in target or any(
        ord(character) < 0x20 or ord(character) == 0x7F for character in target
    ):
        return FORM_PAGE
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path in (ACCESS_PAGE, "/deconnexion"):
        return FORM_PAGE
    return target


async def require_access(request: Request) -> None:
    """A form route without the access cookie (when the server has a token) is answered 303
    to the token page, which sends the user back here: to this page for a GET, to the form's
    page for an action posted from it."""
    state = access(request)
    if state in (Access.OPEN, Access.GRANTED):
        return
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = local_path(back if request.method == "GET" else FORM_PAGE)
    location = f"{ACCESS_PAGE}?next={quote(target, safe='/')}"
    if state is Access.EXPIRED:
        location += f"&session={EXPIRED}"
        detail = "Session expirée\u00a0: saisissez de nouveau le jeton d’accès."
    else:
        detail = "Accès réservé\u00a0: saisissez le jeton d’accès."
    raise HTTPException(303, detail, headers={"Location": location})


def duration_fr(seconds: int) -> str:
    """A duration in French: in hours when they are whole (« 12 heures »), else in minutes
    rounded up from a minute on (« 7 minutes »), else seconds (« 45 secondes »)."""
    if seconds >= 3600 and seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours}\u00a0heure" + ("s" if hours > 1 else "")
    if seconds < 60:
        return f"{seconds}\u00a0seconde" + ("s" if seconds > 1 else "")
    minutes = -(-seconds // 60)
    return f"{minutes}\u00a0minute" + ("s" if minutes > 1 else "")


def _token_page(
    request: Request,
    target: str,
    status: int,
    *,
    problem: str | None = None,
    alert: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    context = {
        "request": request,
        "dsfr": dsfr_installed(),
        "asking_token": True,
        "next": target,
        "problem": problem,
        "alert": alert,
        "lifetime": _lifetime(request),
    }
    return templates.TemplateResponse(
        request, "acces.html", context, status_code=status, headers=headers
    )


@router.get(ACCESS_PAGE, response_class=HTMLResponse)
def access_page(request: Request, next: str | None = None, session: str | None = None) -> Response:
    """The page asking for the access token; straight on when no token is needed or the
    cookie is already there. Sent by an expired cookie, it says so."""
    target = local_path(next)
    if has_access(request):
        return RedirectResponse(target, status_code=303)
    alert = None
    if session == EXPIRED:
        alert = {
            "kind": "info",
            "title": "Votre session a expiré",
            "text": "Par sécurité, l’accès au service est redemandé au bout de "
            f"{_lifetime(request)}\u00a0: saisissez de nouveau le jeton d’accès pour "
            "reprendre là où vous en étiez.",
        }
    return _token_page(request, target, 200, alert=alert)


def _lifetime(request: Request) -> str:
    return duration_fr(request.app.state.settings.access_lifetime)


def _too_many(request: Request, target: str, wait: int) -> Response:
    """The token page, 429: the address is past its wrong tokens; when to try again."""
    settings = request.app.state.settings
    text = (
        f"Trop de jetons erronés ont été saisis depuis votre adresse "
        f"({settings.max_wrong_tokens} en {duration_fr(settings.wrong_token_window)}). Par "
        f"sécurité, les essais sont suspendus\u00a0: réessayez dans {duration_fr(wait)}. "
        "D’ici là, tout jeton est refusé, même le bon."
    )
    alert = {"kind": "error", "title": "Trop d’essais", "text": text}
    return _token_page(request, target, 429, alert=alert, headers={"Retry-After": str(wait)})


@router.post(ACCESS_PAGE, response_class=HTMLResponse)
def access_given(
    request: Request,
    jeton: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = FORM_PAGE,
) -> Response:
    """The token checked in constant time: the cookie set and the user sent on, or the page
    again with its problem (401, no cookie); from an address past its wrong tokens, the page
    with the time to wait (429), the token unchecked."""
    target = local_path(next)
    settings = request.app.state.settings
    token: str | None = settings.token
    if token is None:
        return RedirectResponse(target, status_code=303)
    address = client_address(request)
    wait = wrong_tokens(request).retry_after(address)
    if wait is not None:
        return _too_many(request, target, wait)
    if not token_matches(jeton.strip(), token):
        if jeton.strip():
            wrong_tokens(request).record(address)
        problem = (
            "Ce jeton d’accès n’est pas le bon\u00a0: vérifiez-le (majuscules, minuscules, "
            "caractères oubliés) ou demandez-le à l’administrateur du service."
            if jeton.strip()
            else "Saisissez le jeton d’accès que vous a communiqué l’administrateur du service."
        )
        return _token_page(request, target, 401, problem=problem)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        ACCESS_COOKIE,
        access_value(token, int(request.app.state.clock())),
        max_age=settings.access_lifetime,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/deconnexion")
def leave(request: Request) -> Response:
    """« Se déconnecter »: the access cookie cleared, back to the token page."""
    response = RedirectResponse(ACCESS_PAGE, status_code=303)
    response.delete_cookie(
        ACCESS_COOKIE,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response
