"""Writing output files all at once, or not at all.

Documents are rendered in memory first. Then each file is written to a temporary name in
the output folder and, once every file is written, moved to its final name; if anything
fails on the way, the temporary files are removed and no earlier output is overwritten
with a partial set.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from clausegen.errors import OutputError


def _file_mode() -> int:
    """The mode a plain ``open()`` would give a new file (0o644 under the usual umask)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_FILE_MODE = _file_mode()


@dataclass(frozen=True)
class OutputFile:
    name: str
    content: bytes


def write_outputs(folder: Path, files: list[OutputFile]) -> list[Path]:
    """Write ``files`` into ``folder`` (created if needed); the paths written, in order."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(path=folder, reason="is a file; give a folder for the documents (-o).")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(path=folder, reason=f"cannot be created ({error.strerror}).") from None
    staged: list[tuple[Path, Path]] = []
    try:
        for output in files:
            handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", dir=folder)
            with os.fdopen(handle, "wb") as stream:
                stream.write(output.content)
            Path(temporary).chmod(_FILE_MODE)
            staged.append((Path(temporary), folder / output.name))
        for temporary, final in staged:
            temporary.replace(final)
    except OSError as error:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise OutputError(path=folder, reason=f"cannot be written ({error.strerror}).") from None
    return [final for _, final in staged]
