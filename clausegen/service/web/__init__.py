"""The web form, in French: a buyer describes an operation, sees its sizing as they type and
downloads the tender documents; a facilitator uploads the execution files.

``router`` is a FastAPI router; the app factory includes it. It imports the CLI's producers
and views (``clausegen.cli``) and every step before them.
"""

from clausegen.service.web.routes import router

__all__ = ["router"]
