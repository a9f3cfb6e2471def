"""``GET /health`` (limits and converter state) and ``GET /version``."""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

from fastapi import APIRouter, Request

from clausegen.service.conversion import converter_state

router = APIRouter(tags=["service"])


@router.get("/health", summary="The server's state: limits in use and the PDF converter")
def health(request: Request) -> dict[str, Any]:
    """``ok`` with the limits and how full they are, and whether PDFs can be made."""
    return {
        "status": "ok",
        "limits": request.app.state.limiter.state(),
        "converter": converter_state(),
        "templates_allowed": request.app.state.settings.allow_templates,
    }


@router.get("/version", summary="clausegen's version")
def clausegen_version() -> dict[str, str]:
    """The clausegen version serving, as in ``clausegen --version`` and the manifests."""
    return {"name": "clausegen", "version": version("clausegen")}
