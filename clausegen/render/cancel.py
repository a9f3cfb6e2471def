"""Stopping a conversion from outside it: the service cancels the work of a client that left
(or that went past its time budget), so that its concurrency slot is freed at once.

The caller sets ``cancellation`` to an event in the context the work runs in; a conversion
reads it when it begins, takes no new document once it is set (the ones under way finish),
and then raises ``ConversionCancelled``.
"""

from __future__ import annotations

import threading
from contextvars import ContextVar

cancellation: ContextVar[threading.Event | None] = ContextVar(
    "clausegen_cancellation", default=None
)


class ConversionCancelled(Exception):
    """The conversion was cancelled by its caller before every document was converted."""
