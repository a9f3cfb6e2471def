"""The web form's access when the server has a token (``CLAUSEGEN_API_TOKEN``).

A plain HTML form cannot send ``Authorization: Bearer``, so ``GET /acces`` asks for the
token once (« Jeton d’accès ») and ``POST /acces`` sets a cookie holding ``access_value`` of
it (never the token): HttpOnly, SameSite=Strict, Path=/, Secure over https. Every form route
without that cookie answers 303 to the token page, which sends the user back to the local
path they were going to. ``POST /deconnexion`` clears the cookie. Without a token, the form
is open and these pages send to it.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from clausegen.service.auth import ACCESS_COOKIE, access_value, has_access, token_matches
from clausegen.service.web.routes import dsfr_installed, templates

ACCESS_PAGE = "/acces"
FORM_PAGE = "/"

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
    if has_access(request):
        return
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = local_path(back if request.method == "GET" else FORM_PAGE)
    raise HTTPException(
        303,
        "Accès réservé : saisissez le jeton d’accès.",
        headers={"Location": f"{ACCESS_PAGE}?next={quote(target, safe='/')}"},
    )


def _token_page(request: Request, target: str, problem: str | None, status: int) -> Response:
    context = {
        "request": request,
        "dsfr": dsfr_installed(),
        "asking_token": True,
        "next": target,
        "problem": problem,
    }
    return templates.TemplateResponse(request, "acces.html", context, status_code=status)


@router.get(ACCESS_PAGE, response_class=HTMLResponse)
def access_page(request: Request, next: str | None = None) -> Response:
    """The page asking for the access token; straight on when no token is needed or the
    cookie is already there."""
    target = local_path(next)
    if has_access(request):
        return RedirectResponse(target, status_code=303)
    return _token_page(request, target, None, 200)


@router.post(ACCESS_PAGE, response_class=HTMLResponse)
def access_given(
    request: Request,
    jeton: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = FORM_PAGE,
) -> Response:
    """The token checked in constant time: the cookie set and the user sent on, or the page
    again with its problem (401, no cookie)."""
    target = local_path(next)
    token: str | None = request.app.state.settings.token
    if token is None:
        return RedirectResponse(target, status_code=303)
    if not token_matches(jeton.strip(), token):
        problem = (
            "Ce jeton d’accès n’est pas le bon\u00a0: vérifiez-le (majuscules, minuscules, "
            "caractères oubliés) ou demandez-le à l’administrateur du service."
            if jeton.strip()
            else "Saisissez le jeton d’accès que vous a communiqué l’administrateur du service."
        )
        return _token_page(request, target, problem, 401)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        ACCESS_COOKIE,
        access_value(token),
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
