"""DOCX to PDF behind one interface: the local pool of warm LibreOffice workers, remote
unoserver instances, or one LibreOffice batch per call (``libreoffice.LibreOfficeBatch``,
what the CLI's ``--pdf`` uses with one worker or when no Python has UNO);
``shared_converter()`` is the process-wide pool or set of servers, shared by the CLI's
``--pdf`` and the service.

A converter hands each document to a free *slot* (a local worker, or a remote unoserver),
as many at once as it has slots. A document that fails (a crash, a timeout, no readable
PDF) is retried once on another slot; a second failure stops the conversion with a
``PdfConversionError``: the documents under way finish, the rest are not started, and the
PDFs already made are kept (``store`` takes each one as soon as it is accepted, as
``libreoffice.convert_to_pdf`` does). Each PDF is checked with pypdf before it is accepted.

Settings: ``CLAUSEGEN_PDF_WORKERS`` (local workers; default the number of cores) and
``CLAUSEGEN_UNOSERVERS`` (``host:port`` list, comma-separated: remote unoserver instead of
the local pool); the CLI's ``--pdf-workers`` sets the first.
"""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from clausegen.errors import PdfSettingError
from clausegen.render.libreoffice import PdfConversion, Store
from clausegen.render.pdf_profile import DEFAULT_PROFILE, PdfProfile
from clausegen.render.pool import LocalPool
from clausegen.render.remote import RemoteUnoservers

WORKERS_ENV = "CLAUSEGEN_PDF_WORKERS"
UNOSERVERS_ENV = "CLAUSEGEN_UNOSERVERS"


class Converter(Protocol):
    """Converts DOCX files to PDF; what the CLI's ``--pdf`` and the service call."""

    def convert(
        self,
        documents: Sequence[Path],
        *,
        store: Store,
        timeout: float,
        profile: PdfProfile = DEFAULT_PROFILE,
    ) -> PdfConversion:
        """Every DOCX of ``documents`` as ``<stem>.pdf`` exported with ``profile``'s options
        (``clausegen.render.pdf_profile``), each given to ``store`` once made."""
        ...

    def start(self) -> None:
        """Get ready before the first document (the service calls it at start-up): start
        every local worker; nothing for the others."""
        ...

    def state(self) -> dict[str, Any]:
        """What ``/health`` shows: kind, workers, busy, conversions, failures (and, for the
        pool, running and restarts; for unoserver, servers and failing)."""
        ...

    def close(self) -> None:
        """Stop what the converter started (local workers); it cannot convert afterwards."""
        ...


def unoservers_from(text: str) -> list[tuple[str, int]]:
    """``host:port,host:port`` as addresses; a ``ValueError`` naming a bad entry."""
    addresses = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        host, _, port = entry.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"{entry!r} is not host:port (for example 127.0.0.1:2003)")
        addresses.append((host.strip("[]"), int(port)))
    return addresses


WORKERS_MAX = 64
"""The most workers a pool may have (``--pdf-workers`` has the same bound)."""


def default_workers() -> int:
    """``CLAUSEGEN_PDF_WORKERS``, else the number of cores this process may use; a
    ``PdfSettingError`` when the setting is not a number of workers."""
    setting = os.environ.get(WORKERS_ENV, "").strip()
    if setting:
        if not (setting.isascii() and setting.isdigit() and 1 <= int(setting) <= WORKERS_MAX):
            raise PdfSettingError(
                setting=WORKERS_ENV, value=setting, expected=f"a number from 1 to {WORKERS_MAX}"
            )
        return int(setting)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


_shared: Converter | None = None
_shared_lock = threading.Lock()


def shared_converter(
    *, workers: int | None = None, unoservers: Sequence[tuple[str, int]] | None = None
) -> Converter:
    """The process-wide converter, made on first use: remote unoserver when ``unoservers``
    (or ``CLAUSEGEN_UNOSERVERS``) names some, else the local pool of ``workers`` (or
    ``default_workers()``) LibreOffice workers, started as documents come. Later calls
    return the same converter whatever they pass. Closed when the process exits."""
    global _shared
    with _shared_lock:
        if _shared is None:
            if unoservers is None:
                setting = os.environ.get(UNOSERVERS_ENV, "")
                try:
                    unoservers = unoservers_from(setting)
                except ValueError as error:
                    raise PdfSettingError(
                        setting=UNOSERVERS_ENV,
                        value=setting,
                        expected=f"host:port entries separated by commas ({error})",
                    ) from None
            if unoservers:
                _shared = RemoteUnoservers(list(unoservers))
            else:
                _shared = LocalPool(workers or default_workers())
            atexit.register(_shared.close)
        return _shared
