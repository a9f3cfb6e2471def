"""DOCX to PDF through headless LibreOffice: one process for a whole batch of documents.

Starting LibreOffice costs about a second; converting a document once it runs, a tenth of
that. So every document of a command goes to a single ``soffice --convert-to pdf``
process, which stays warm from one document to the next. It prints ``convert …`` as it
starts each document, in order: that line is the progress signal, and each document gets
its own timeout from the moment it starts (the first one's includes the start-up).

A document whose conversion times out, crashes LibreOffice or gives no readable PDF is
retried once in a new process, with the documents not converted yet; a second failure ends
the conversion with a ``PdfConversionError``, and the PDFs already made are kept: the
caller's ``store`` takes each one out of the work folder as soon as it is accepted (into a
command's staging folder, or straight into place with ``outputs.place``). A stuck
LibreOffice is killed with its whole process group, so nothing outlives the command.
Each PDF is checked with pypdf (a PDF header, at least one page) before it is accepted.

LibreOffice runs with a profile of its own in a temporary folder, so it never attaches to
a LibreOffice the user has open, and two commands never share state; its own temporary
files go there too. Only its named pipes are made in ``/tmp`` whatever ``TMPDIR`` says: a
LibreOffice that ends removes them, one that is killed leaves them, so whoever kills it
removes them (``remove_office_pipes``) and nothing is left behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import queue
import shutil
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from clausegen.errors import LibreOfficeMissingError, PdfConversionError
from clausegen.render.outputs import place
from clausegen.render.pdf_check import pdf_problem
from clausegen.render.pdf_profile import DEFAULT_PROFILE, PdfProfile, convert_to

DEBIAN_PACKAGE = "libreoffice-writer-nogui"
DEFAULT_TIMEOUT = 60.0
"""Seconds one document may take, LibreOffice's start-up included for the first."""
RETRIES = 1
SHELL_SIGNAL_BASE = 128
"""``soffice`` is a shell script: a child killed by signal N makes it exit with 128 + N."""
WORK_PREFIX = "clausegen-pdf-"
"""The temporary folder's prefix: its ``profile`` and ``pdf`` folders are LibreOffice's."""
PIPE_FOLDERS = (Path("/tmp"), Path("/var/tmp"))
"""Where LibreOffice makes its named pipes, whatever ``TMPDIR`` says: ``/tmp``, or
``/var/tmp`` when ``/tmp`` is not writable (its system layer, ``sal/osl/unx/pipe.cxx``)."""


def office_pipes(profile: Path, *names: str) -> list[Path]:
    """The named pipes a LibreOffice running on ``profile`` makes: its single-instance pipe,
    named after the MD5 of the profile's URL in UTF-16 (each byte in hex, without leading
    zeros, as LibreOffice writes it), and one per ``--accept=pipe,name=NAME`` in ``names``."""
    digest = hashlib.md5(profile.as_uri().encode("utf-16-le"), usedforsecurity=False).digest()
    single = "SingleOfficeIPC_" + "".join(f"{byte:x}" for byte in digest)
    return [
        folder / f"OSL_PIPE_{os.getuid()}_{name}"
        for folder in PIPE_FOLDERS
        for name in (single, *names)
    ]


def remove_office_pipes(profile: Path, *names: str) -> None:
    """Remove the pipes of a LibreOffice that was killed on ``profile`` (``office_pipes``);
    call it once that LibreOffice is gone."""
    for pipe in office_pipes(profile, *names):
        with contextlib.suppress(OSError):
            pipe.unlink(missing_ok=True)


def find_soffice() -> str:
    """The LibreOffice executable on the PATH; an error naming the package when none is."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise LibreOfficeMissingError(package=DEBIAN_PACKAGE)


@dataclass(frozen=True)
class PdfConversion:
    """The PDFs made (in the documents' order) and, if the conversion stopped, why."""

    pdfs: list[Path]
    error: PdfConversionError | None


@dataclass(frozen=True)
class _BatchOutcome:
    finished: list[str]
    """Documents LibreOffice went past: it started the next one, or exited normally."""
    stopped_at: str | None
    reason: str | None


Store = Callable[[Path], Path]
"""Takes an accepted PDF out of LibreOffice's work folder; where it now is. It raises an
``OutputError`` naming the PDF when it cannot, which stops the conversion."""


def convert_to_pdf(
    documents: list[Path],
    destination: Path | str | None = None,
    *,
    store: Store | None = None,
    soffice: str,
    timeout: float = DEFAULT_TIMEOUT,
    profile: PdfProfile = DEFAULT_PROFILE,
) -> PdfConversion:
    """Convert every DOCX in ``documents`` to ``<stem>.pdf`` with ``profile``'s export
    options, retrying once; ``store`` (by
    default: moved into ``destination`` atomically) takes each PDF as soon as it is
    accepted, so what was converted stays if a later one fails."""
    if store is None:
        assert destination is not None
        into = Path(destination)
        store = lambda pdf: place(pdf, into)  # noqa: E731
    names = [document.name for document in documents]
    stored: dict[str, Path] = {}
    with TemporaryDirectory(prefix=WORK_PREFIX) as folder:
        work = Path(folder)
        failures: Counter[str] = Counter()
        while len(stored) < len(documents):
            pending = [document for document in documents if document.name not in stored]
            outcome = _run_batch(soffice, work, pending, timeout, profile)
            failed: list[tuple[str, str]] = []
            for name in outcome.finished:
                pdf = work / "pdf" / _pdf_name(name)
                problem = pdf_problem(pdf)
                if problem is None:
                    stored[name] = store(pdf)
                else:
                    failed.append((name, problem))
            if outcome.stopped_at is not None and outcome.reason is not None:
                failed.append((outcome.stopped_at, outcome.reason))
            for name, reason in failed:
                (work / "pdf" / _pdf_name(name)).unlink(missing_ok=True)
                failures[name] += 1
                if failures[name] > RETRIES:
                    return _stopped(names, stored, name, reason)
    return PdfConversion([stored[name] for name in names], None)


def _stopped(names: list[str], stored: dict[str, Path], name: str, reason: str) -> PdfConversion:
    missing = tuple(_pdf_name(n) for n in names if n not in stored)
    error = PdfConversionError(document=name, reason=reason, converted=len(stored), missing=missing)
    return PdfConversion([stored[n] for n in names if n in stored], error)


def _pdf_name(docx_name: str) -> str:
    return f"{Path(docx_name).stem}.pdf"


def _run_batch(
    soffice: str, work: Path, documents: list[Path], timeout: float, profile: PdfProfile
) -> _BatchOutcome:
    """One LibreOffice process over ``documents``, watched document by document."""
    scratch = work / "tmp"
    scratch.mkdir(exist_ok=True)
    process = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            convert_to(profile),
            "--outdir",
            str(work / "pdf"),
            *map(str, documents),
        ],
        env={**os.environ, "TMPDIR": str(scratch)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    lines = _lines_of(process)
    started = 0
    deadline = time.monotonic() + timeout
    try:
        while (line := _next_line(lines, deadline)) is not None:
            if line.startswith("convert "):
                started += 1
                deadline = time.monotonic() + timeout
        code = process.wait(timeout=max(0.0, deadline - time.monotonic()))
    except (queue.Empty, subprocess.TimeoutExpired):
        current = max(started - 1, 0)
        reason = f"LibreOffice did not finish it within {timeout:g} s"
        return _BatchOutcome(_names(documents[:current]), documents[current].name, reason)
    finally:
        _kill(process)
        remove_office_pipes(work / "profile")
    if code == 0 and started == len(documents):
        return _BatchOutcome(_names(documents), None, None)
    current = max(started - 1, 0)
    if code < 0 or code > SHELL_SIGNAL_BASE:
        number = -code if code < 0 else code - SHELL_SIGNAL_BASE
        reason = f"LibreOffice stopped (killed by signal {number}) while converting it"
    elif code != 0:
        reason = f"LibreOffice stopped with exit code {code} while converting it"
    else:
        reason = "LibreOffice ended without converting it"
        current = started
    return _BatchOutcome(_names(documents[:current]), documents[current].name, reason)


def _next_line(lines: queue.Queue[str | None], deadline: float) -> str | None:
    """The next line of output; ``queue.Empty`` when the deadline passes first."""
    return lines.get(timeout=max(0.0, deadline - time.monotonic()))


def _names(paths: list[Path]) -> list[str]:
    return [path.name for path in paths]


def _lines_of(process: subprocess.Popen[bytes]) -> queue.Queue[str | None]:
    """LibreOffice's output, line by line, from a reader thread; ``None`` at its end."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            lines.put(raw.decode("utf-8", "replace"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return lines


def _kill(process: subprocess.Popen[bytes]) -> None:
    """End LibreOffice and every process it started (its session), if still there."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@dataclass(frozen=True)
class LibreOfficeBatch:
    """The ``Converter`` that runs one LibreOffice process per call (``convert_to_pdf``):
    no process stays behind, the baseline the pool is measured against."""

    soffice: str

    def convert(
        self,
        documents: Sequence[Path],
        *,
        store: Store,
        timeout: float,
        profile: PdfProfile = DEFAULT_PROFILE,
    ) -> PdfConversion:
        """Every DOCX of ``documents`` as PDF, in one LibreOffice batch."""
        return convert_to_pdf(
            list(documents), store=store, soffice=self.soffice, timeout=timeout, profile=profile
        )

    def start(self) -> None:
        """Each call starts its own LibreOffice: nothing to do ahead."""

    def state(self) -> dict[str, Any]:
        return {"kind": "batch", "workers": 1}

    def close(self) -> None:
        """Nothing stays running between calls."""
