"""What a server is started with: its limits, its token, whether buyer templates are taken."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from clausegen.render.libreoffice import DEFAULT_TIMEOUT
from clausegen.workers import default_jobs

TOKEN_VARIABLE = "CLAUSEGEN_API_TOKEN"
"""The environment variable holding the bearer token; unset or empty: no authentication."""

MAX_BODY_BYTES = 10 * 1024 * 1024
"""A request body's default size limit: 10 MiB (an operation and its execution files)."""


MAX_WRONG_TOKENS = 10
"""Wrong tokens one client address may send within the window; the next attempt gets 429."""

WRONG_TOKEN_WINDOW = 10 * 60
"""The window wrong tokens are counted over, in seconds: 10 minutes."""

MAX_TRACKED_ADDRESSES = 10_000
"""Client addresses whose wrong tokens are kept; past it, the oldest is forgotten."""

ACCESS_LIFETIME = 12 * 3600
"""Seconds the web form's access cookie is accepted after the token page set it: 12 hours."""


def _token() -> str | None:
    return os.environ.get(TOKEN_VARIABLE) or None


@dataclass(frozen=True)
class Settings:
    """The server's stated limits and options (``clausegen serve``'s options)."""

    max_body_bytes: int = MAX_BODY_BYTES
    """A request body over this size gets 413."""
    max_concurrent: int = field(default_factory=default_jobs)
    """Requests doing work (sizing, rendering, converting) at once; default: the cores."""
    max_queued: int = field(default_factory=lambda: 2 * default_jobs())
    """Requests waiting for a free slot; one more gets 429."""
    time_budget: float = 120.0
    """Seconds a request may wait and work in all; past it, 503."""
    retry_after: int = 5
    """Seconds a client told 429 or 503 should wait (``Retry-After``)."""
    pdf_timeout: float = DEFAULT_TIMEOUT
    """Seconds LibreOffice may take on one document before it is stopped and retried."""
    allow_templates: bool = False
    """Whether requests may bring their own DOCX templates (run under the sandbox)."""
    warm_converter: bool = False
    """Start the PDF converter's workers with the server (``clausegen serve`` does), so the
    first request finds them warm; otherwise they start with the first PDF asked for."""
    token: str | None = field(default_factory=_token)
    """The bearer token every API request must carry; None: no authentication."""
    max_wrong_tokens: int = MAX_WRONG_TOKENS
    """Wrong tokens one client address may send within ``wrong_token_window``; its next
    attempts get 429 until the oldest of them leaves the window."""
    wrong_token_window: int = WRONG_TOKEN_WINDOW
    """The seconds wrong tokens are counted over."""
    max_tracked_addresses: int = MAX_TRACKED_ADDRESSES
    """Client addresses whose wrong tokens are kept at most (the memory's bound)."""
    access_lifetime: int = ACCESS_LIFETIME
    """Seconds the access cookie is accepted after it was set (and its Max-Age)."""
