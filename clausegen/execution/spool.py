"""Validated records kept on disk for the length of a run, read back by any process.

A batch over a large input (the balances of 10 000 participants) would otherwise hold every
validated record in the command's memory, and hand a copy to every worker. Instead each
record is pickled into a file of a private temporary folder (mode 0700: it holds personal
data) as soon as it is validated; the command keeps only where each one is (``Spooled``),
and the process that renders a record reads it back. Each process appends to its own file
(several views of it in one process append in turn, each record where its write ends), so
workers spool in parallel without locking, and nothing is buffered in memory, so a fork
never copies half-written data. The folder is removed when the spool is closed, however the
command ends (an error, Ctrl-C).
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from clausegen.errors import OutputError


@dataclass(frozen=True, slots=True)
class Spooled:
    """Where one record is: the file of the process that spooled it, offset and length."""

    file: str
    offset: int
    length: int


class Spool:
    """A private folder of pickled records (a context manager: leaving it removes them).

    A spool pickles as its folder: a worker handed it works on the same records, writing
    into its own file."""

    def __init__(self) -> None:
        try:
            folder = Path(tempfile.mkdtemp(prefix="clausegen-spool-"))
        except OSError as error:
            raise _unwritable(Path(tempfile.gettempdir()), error) from None
        self._open(folder, owner=os.getpid())

    @classmethod
    def attached(cls, folder: str) -> Spool:
        """This process's view of the spool in ``folder`` (one per process)."""
        key = (os.getpid(), folder)
        spool = _ATTACHED.get(key)
        if spool is None:
            spool = cls.__new__(cls)
            spool._open(Path(folder), owner=None)
            _ATTACHED[key] = spool
        return spool

    def _open(self, folder: Path, owner: int | None) -> None:
        self.folder = folder
        self._owner = owner
        self._process = os.getpid()
        self._file: tuple[str, int] | None = None  # this process's file: name, descriptor
        self._readers: dict[str, int] = {}
        self._last: tuple[Spooled, Any] | None = None

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (Spool.attached, (str(self.folder),))

    def __enter__(self) -> Spool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Remove the folder and every record in it (only the process that made it does)."""
        if os.getpid() != self._owner:
            return
        for descriptor in [*self._readers.values(), *([self._file[1]] if self._file else [])]:
            os.close(descriptor)
        self._readers = {}
        self._file = None
        shutil.rmtree(self.folder, ignore_errors=True)

    def put(self, record: object) -> Spooled:
        """Write ``record`` at the end of this process's file; where it is."""
        self._forget_parent()
        data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            if self._file is None:
                name = f"{self._process}.pickles"
                flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
                self._file = (name, os.open(self.folder / name, flags, 0o600))
            name, descriptor = self._file
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view) :]
            end = os.lseek(descriptor, 0, os.SEEK_CUR)
        except OSError as error:
            raise _unwritable(self.folder, error) from None
        return Spooled(name, end - len(data), len(data))

    def get(self, where: Spooled) -> Any:
        """The record ``put`` wrote there (the last one read is kept: a worker asks for a
        record's warnings, then renders it)."""
        if self._last is not None and self._last[0] == where:
            return self._last[1]
        self._forget_parent()
        descriptor = self._readers.get(where.file)
        if descriptor is None:
            descriptor = os.open(self.folder / where.file, os.O_RDONLY)
            self._readers[where.file] = descriptor
        data = os.pread(descriptor, where.length, where.offset)
        record = pickle.loads(data)
        self._last = (where, record)
        return record

    def _forget_parent(self) -> None:
        """In a forked worker: its own file to write, its own descriptors (the inherited
        ones stay the parent's)."""
        if self._process != os.getpid():
            self._process = os.getpid()
            self._file = None
            self._readers = {}
            self._last = None


_ATTACHED: dict[tuple[int, str], Spool] = {}
"""Each process's view of each spool it was handed, by process id and folder."""


def _unwritable(folder: Path, error: OSError) -> OutputError:
    return OutputError(
        path=folder,
        reason=f"cannot be written ({error.strerror}): the temporary folder holds the "
        "validated input of a large run; free some space there, or set TMPDIR to a folder "
        "with room.",
    )
