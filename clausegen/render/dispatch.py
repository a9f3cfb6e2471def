"""Hands documents to free slots (local workers or remote unoservers), one per slot at once,
retrying a failed document once on another slot; what every pooled converter runs.

Interrupted (Ctrl-C) or cancelled (``cancel.cancellation``), it takes no new document: the
documents under way finish, then the interruption goes on, or ``ConversionCancelled`` is
raised, so that neither a command nor a request waits for the rest."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Protocol

from clausegen.errors import OutputError, PdfConversionError
from clausegen.render.cancel import ConversionCancelled, cancellation
from clausegen.render.libreoffice import RETRIES, WORK_PREFIX, PdfConversion, Store
from clausegen.render.pdf_check import pdf_problem
from clausegen.render.pdf_profile import PdfProfile


class Slot(Protocol):
    """One place a document converts at a time: a local worker or a remote unoserver."""

    def convert(self, docx: Path, pdf: Path, timeout: float, profile: PdfProfile) -> str | None:
        """Write ``pdf`` from ``docx`` with ``profile``'s export options; ``None``, or why it
        failed (a sentence fragment)."""
        ...


class SlotSet(Protocol):
    """Lends slots: ``acquire`` blocks until one is free; ``release`` says if it failed."""

    def acquire(self) -> Slot: ...

    def release(self, slot: Slot, *, failed: bool) -> None: ...

    def size(self) -> int: ...


def convert_with(
    slots: SlotSet,
    documents: Sequence[Path],
    store: Store,
    timeout: float,
    profile: PdfProfile,
) -> PdfConversion:
    """Convert ``documents`` on ``slots``, up to one per slot at once, retrying once."""
    names = [document.name for document in documents]
    if len(set(names)) != len(names):
        raise ValueError("documents to convert must have distinct names")
    pending = list(documents)
    stored: dict[str, Path] = {}
    failures: Counter[str] = Counter()
    stop: list[tuple[str, str]] = []
    halt: list[OutputError] = []
    interrupted = threading.Event()
    cancel = cancellation.get()
    lock = threading.Lock()

    def cancelled() -> bool:
        return cancel is not None and cancel.is_set()

    def next_document() -> Path | None:
        with lock:
            if stop or halt or not pending or interrupted.is_set() or cancelled():
                return None
            return pending.pop(0)

    def run(work: Path) -> None:
        while (document := next_document()) is not None:
            # a folder per attempt: a LibreOffice killed while writing leaves nothing in the way
            attempt = work / f"{document.stem}-{failures[document.name]}"
            attempt.mkdir()
            pdf = attempt / f"{document.stem}.pdf"
            slot = slots.acquire()
            reason = slot.convert(document, pdf, timeout, profile)
            if reason is None:
                reason = pdf_problem(pdf)
            slots.release(slot, failed=reason is not None)
            with lock:
                if reason is None:
                    try:
                        stored[document.name] = store(pdf)
                    except OutputError as error:
                        halt.append(error)
                    continue
                pdf.unlink(missing_ok=True)
                failures[document.name] += 1
                if failures[document.name] > RETRIES:
                    stop.append((document.name, reason))
                else:
                    pending.insert(0, document)

    lanes = max(1, min(slots.size(), len(documents)))
    with (
        TemporaryDirectory(prefix=WORK_PREFIX) as folder,
        ThreadPoolExecutor(lanes, thread_name_prefix="clausegen-pdf") as lanes_pool,
    ):
        futures = [lanes_pool.submit(run, Path(folder)) for _ in range(lanes)]
        try:
            for future in futures:
                future.result()
        except BaseException:  # Ctrl-C: the lanes finish the document under way, no more
            interrupted.set()
            raise
    if cancelled() and len(stored) < len(documents):
        raise ConversionCancelled
    if halt:
        raise halt[0]
    if stop:
        name, reason = stop[0]
        missing = tuple(f"{Path(n).stem}.pdf" for n in names if n not in stored)
        error = PdfConversionError(
            document=name, reason=reason, converted=len(stored), missing=missing
        )
        return PdfConversion([stored[n] for n in names if n in stored], error)
    return PdfConversion([stored[n] for n in names], None)
