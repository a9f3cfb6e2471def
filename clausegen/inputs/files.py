"""Opening an input file: a regular file of bounded size, or a located error.

Every input (operation, participants, commitments, ledger, reporting…) is read through
``read_input``: the path is checked with ``stat`` before it is opened (a named pipe would
block the command forever, ``/dev/zero`` would never end), opened without blocking, checked
again on the open descriptor, and read up to its size limit only. The limits are stated in
the README (*Limits*).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from clausegen.errors import InputError, Problem

MIB = 1024 * 1024

MAX_MAPPING_BYTES = 10 * MIB
"""A YAML or JSON input: an operation, a commitment, a participants file."""

MAX_TABLE_BYTES = 32 * MIB
"""A CSV or XLSX input (a ledger): 200 000 rows of a CSV take about 16 MiB."""


def read_input(path: Path, *, limit: int) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes."""
    try:
        before = path.stat()
    except FileNotFoundError:
        raise _error(path, "file not found; check the path.") from None
    except OSError as error:
        raise _error(path, f"cannot be read ({error.strerror}); check the path.") from None
    _check_kind(path, before.st_mode)
    _check_size(path, before.st_size, limit)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise _error(
            path, f"cannot be read ({error.strerror}); give the path of a file you can read."
        ) from None
    try:
        after = os.fstat(descriptor)
        _check_kind(path, after.st_mode)  # replaced between the two looks
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(descriptor, min(MIB, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        _check_size(path, size, limit)
    except OSError as error:
        raise _error(path, f"cannot be read ({error.strerror}); give the path of a file.") from None
    finally:
        os.close(descriptor)
    return b"".join(chunks)


def _check_kind(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    kind = (
        "a folder"
        if stat.S_ISDIR(mode)
        else "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "not a regular file"
    )
    raise _error(path, f"is {kind}, not a file; give the path of a file.")


def _check_size(path: Path, size: int, limit: int) -> None:
    if size > limit:
        raise _error(
            path,
            f"is larger than the {limit // MIB} MiB an input file may hold; check that it is "
            "the right file, or split it.",
            "file_too_large",
            {"limit": limit // MIB},
        )


def _error(
    path: Path, message: str, kind: str = "", values: dict[str, object] | None = None
) -> InputError:
    return InputError(path=path, problems=[Problem("", message, kind, values or {})])
