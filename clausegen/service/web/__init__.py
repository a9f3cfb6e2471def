"""The web form, in French: a buyer describes an operation, sees its sizing as they type and
downloads the tender documents; a facilitator uploads the execution files.

``router`` is a FastAPI router; the app factory includes it. It imports the CLI's producers
and views (``clausegen.cli``) and every step before them. With a server token, its pages
and actions ask for the access cookie of the token page (``access``); the static files and
the token page itself stay open.
"""

from fastapi import APIRouter, Depends

from clausegen.service.web import access, routes

router = APIRouter(include_in_schema=False)
router.include_router(routes.assets)
router.include_router(access.router)
router.include_router(routes.router, dependencies=[Depends(access.require_access)])

__all__ = ["router"]
