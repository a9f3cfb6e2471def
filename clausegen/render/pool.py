"""The local pool: N warm LibreOffice workers, each with its own profile, fed documents.

A worker is ``uno_worker.py`` run by the Python that has LibreOffice's UNO bindings, with its
own ``soffice`` (profile and temporary files in a ``clausegen-pdf-*`` folder of its own),
in a process session of its own so that killing it kills its LibreOffice too. Workers start
as documents come (a command with one document starts one) or all at once with ``start()``
(the service); a worker that crashed, went past its timeout or made ``restart_after``
conversions is stopped, and, once the pool was started, replaced at once in the background;
so is a worker whose document failed in any other way, and the retry goes to another one.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from tempfile import mkdtemp
from typing import Any, ClassVar

from clausegen.errors import UnoMissingError
from clausegen.render.dispatch import convert_with
from clausegen.render.libreoffice import (
    WORK_PREFIX,
    PdfConversion,
    Store,
    find_soffice,
    remove_office_pipes,
)
from clausegen.render.pdf_profile import DEFAULT_PROFILE, PdfProfile, filter_data

UNO_PACKAGE = "python3-uno"
UNO_PYTHON_ENV = "CLAUSEGEN_UNO_PYTHON"
STARTUP = 90.0
"""Seconds a worker started ahead of need may take to start LibreOffice and say it is ready;
one started for a document has that document's timeout plus ``STARTUP_MARGIN``."""
STARTUP_MARGIN = 10.0
RESTART_AFTER = 200
"""Conversions after which a worker is replaced by a fresh one (LibreOffice leaks)."""
CLOSE_WITHIN = 10.0
"""Seconds a worker asked to end may take to close its LibreOffice before it is killed."""
WORKER_SCRIPT = Path(__file__).with_name("uno_worker.py")

_uno_python: str | None = None


def find_uno_python() -> str:
    """A Python that can ``import uno`` (``CLAUSEGEN_UNO_PYTHON``, Debian's, this one)."""
    global _uno_python
    if _uno_python is None:
        candidates = [os.environ.get(UNO_PYTHON_ENV, ""), "/usr/bin/python3", sys.executable]
        for candidate in filter(None, candidates):
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                probe = subprocess.run(
                    [candidate, "-c", "import uno"], capture_output=True, timeout=30
                )
                if probe.returncode == 0:
                    _uno_python = candidate
                    break
        else:
            raise UnoMissingError(package=UNO_PACKAGE)
    return _uno_python


class LocalWorker:
    """One ``uno_worker.py`` and its LibreOffice; converts one document at a time."""

    def __init__(self, python: str, soffice: str) -> None:
        self.python = python
        self.soffice = soffice
        self.conversions = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.work: Path | None = None
        self.lines: queue.Queue[bytes | None] = queue.Queue()

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, within: float = STARTUP) -> str | None:
        """Start LibreOffice and wait until it is ready (up to ``within`` seconds); ``None``,
        or why it did not start."""
        self.work = Path(mkdtemp(prefix=WORK_PREFIX))
        self.process = subprocess.Popen(
            [self.python, str(WORKER_SCRIPT), self.soffice, str(self.work)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        answer = self._answer(within)
        if answer.get("ready"):
            return None
        self.stop()
        return str(answer.get("error", f"LibreOffice did not start within {within:g} s"))

    def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _answer(self, timeout: float) -> dict[str, Any]:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            return {"timeout": True}
        if line is None:
            return {"gone": True}
        return dict(json.loads(line))

    def convert(self, docx: Path, pdf: Path, timeout: float, profile: PdfProfile) -> str | None:
        """Write ``pdf`` from ``docx`` with ``profile``'s export options; ``None``, or why
        not (the worker is then stopped unless LibreOffice only refused this document)."""
        if self.process is None and (problem := self.start(timeout + STARTUP_MARGIN)):
            return problem
        assert self.process is not None and self.process.stdin is not None
        request = json.dumps(
            {
                "docx": str(docx.resolve()),
                "pdf": str(pdf.resolve()),
                "filter": filter_data(profile),
            }
        )
        try:
            self.process.stdin.write(request.encode() + b"\n")
            self.process.stdin.flush()
        except OSError:
            self.stop()
            return "LibreOffice stopped before converting it"
        answer = self._answer(timeout)
        self.conversions += 1
        if answer.get("ok"):
            return None
        if answer.get("timeout"):
            self.stop()
            return f"LibreOffice did not finish it within {timeout:g} s"
        if answer.get("gone"):
            self.stop()
            return "LibreOffice stopped while converting it"
        return str(answer["error"])

    def ask_to_end(self) -> None:
        """Tell the worker there is no more work: it closes its LibreOffice, which removes
        its pipes and files as it ends (``close`` waits for it)."""
        if self.process is not None and self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()

    def close(self, within: float = CLOSE_WITHIN) -> None:
        """End the worker as it should end (``ask_to_end``), killing it if it takes over
        ``within`` seconds; then remove whatever it left (``stop``)."""
        self.ask_to_end()
        if self.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=within)
        self.stop()

    def stop(self) -> None:
        """Kill the worker and its LibreOffice (their whole session), if still there; remove
        their pipes and folder."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            for stream in (self.process.stdin, self.process.stdout):
                with contextlib.suppress(OSError):
                    stream and stream.close()  # type: ignore[func-returns-value]
        if self.work is not None:
            if self.process is not None:
                remove_office_pipes(self.work / "profile", f"clausegen-{self.process.pid}")
            shutil.rmtree(self.work, ignore_errors=True)


class LocalPool:
    """N local LibreOffice workers; the default ``Converter``."""

    kind: ClassVar[str] = "local"

    def __init__(self, workers: int, *, restart_after: int = RESTART_AFTER) -> None:
        if workers < 1:
            raise ValueError("a pool needs at least one worker")
        self.workers = workers
        self.restart_after = restart_after
        self.idle: list[LocalWorker] = []
        self.members: list[LocalWorker] = []
        self.busy = 0
        self.warm = False
        self.closed = False
        self.counts = {"conversions": 0, "failures": 0, "restarts": 0}
        self.condition = threading.Condition()

    def _new_worker(self) -> LocalWorker:
        return LocalWorker(find_uno_python(), find_soffice())

    def start(self) -> None:
        """Start every worker now and keep N running from then on (the service's mode)."""
        find_uno_python()
        with self.condition:
            self.warm = True
            missing = self.workers - len(self.members)
        threads = [threading.Thread(target=self._replace) for _ in range(missing)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _replace(self) -> None:
        """Add a started worker (a failure to start is tried again at the next need)."""
        worker = self._new_worker()
        with self.condition:
            if self.closed or len(self.members) >= self.workers:
                return
            self.members.append(worker)
        if worker.start() is None:
            with self.condition:
                if not self.closed:
                    self.idle.append(worker)
                    self.condition.notify()
                    return
        worker.stop()
        with self.condition:
            self._forget(worker)
            self.condition.notify()

    def acquire(self) -> LocalWorker:
        with self.condition:
            while True:
                if self.closed:
                    raise RuntimeError("the PDF pool is closed")
                while self.idle:
                    worker = self.idle.pop()
                    if worker.alive:
                        self.busy += 1
                        return worker
                    self._forget(worker)
                if len(self.members) < self.workers:
                    worker = self._new_worker()
                    self.members.append(worker)
                    self.busy += 1
                    return worker
                self.condition.wait()

    def release(self, slot: Any, *, failed: bool) -> None:
        worker: LocalWorker = slot
        # a failed worker is replaced: its LibreOffice may be dying, and the retry must go
        # to another worker
        retire = failed or worker.conversions >= self.restart_after
        with self.condition:
            self.busy -= 1
            self.counts["conversions"] += 1
            self.counts["failures"] += failed
            if not retire and worker.alive and not self.closed:
                self.idle.append(worker)
                self.condition.notify()
                return
            self._forget(worker)
            self.counts["restarts"] += 1
            self.condition.notify()
            replace = self.warm and not self.closed
        if failed:
            worker.stop()
        else:
            worker.close()
        if replace:
            threading.Thread(target=self._replace, daemon=True).start()

    def _forget(self, worker: LocalWorker) -> None:
        if worker in self.members:
            self.members.remove(worker)

    def size(self) -> int:
        return self.workers

    def convert(
        self,
        documents: Any,
        *,
        store: Store,
        timeout: float,
        profile: PdfProfile = DEFAULT_PROFILE,
    ) -> PdfConversion:
        """Every DOCX of ``documents`` as PDF, on up to N workers at once."""
        find_uno_python()
        find_soffice()
        return convert_with(self, list(documents), store, timeout, profile)

    def ready(self) -> int:
        """How many workers are started and waiting or converting."""
        with self.condition:
            return sum(1 for worker in self.members if worker.alive)

    def wait_ready(self, timeout: float) -> int:
        """Wait up to ``timeout`` seconds for N running workers; how many there are."""
        deadline = time.monotonic() + timeout
        while (count := self.ready()) < self.workers and time.monotonic() < deadline:
            time.sleep(0.1)
        return count

    def state(self) -> dict[str, Any]:
        with self.condition:
            return {
                "kind": self.kind,
                "workers": self.workers,
                "running": sum(1 for worker in self.members if worker.alive),
                "busy": self.busy,
                **self.counts,
            }

    def close(self) -> None:
        with self.condition:
            self.closed = True
            members, self.members, self.idle = list(self.members), [], []
            self.condition.notify_all()
        for worker in members:
            worker.ask_to_end()  # all at once: each LibreOffice closes while the others do
        for worker in members:
            worker.close()
