"""Writing output files all at once, or not at all.

Documents are rendered in memory first. Then each file is written to a temporary name in
the output folder and, once every file is written, moved to its final name; if anything
fails on the way, the temporary files are removed and no earlier output is overwritten
with a partial set.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from clausegen.errors import OutputError


@dataclass(frozen=True)
class OutputFile:
    name: str
    content: bytes


def ensure_folder(folder: Path) -> None:
    """Create ``folder`` if needed; an ``OutputError`` when it cannot hold documents."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(path=folder, reason="is a file; give a folder for the documents (-o).")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(path=folder, reason=f"cannot be created ({error.strerror}).") from None


def write_outputs(folder: Path, files: list[OutputFile]) -> list[Path]:
    """Write ``files`` into ``folder`` (created if needed); the paths written, in order."""
    ensure_folder(folder)
    staged: list[tuple[Path, Path]] = []
    try:
        for output in files:
            temporary = folder / f".{output.name}.{os.getpid()}.tmp"
            # 0o666 less the umask, like any new file (mkstemp would give 0o600)
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            staged.append((temporary, folder / output.name))
            with os.fdopen(handle, "wb") as stream:
                stream.write(output.content)
        for temporary, final in staged:
            temporary.replace(final)
    except OSError as error:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise OutputError(path=folder, reason=f"cannot be written ({error.strerror}).") from None
    return [final for _, final in staged]
