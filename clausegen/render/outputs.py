"""Writing a command's output files all at once, or not at all.

Documents are rendered in memory first. The output folder is checked once, before anything
is rendered (``check_output_folder``). Then a command's files are written into a hidden
staging folder made inside the output folder (so on the same file system, even when the
output folder is a mount point), and moved into place together (``OutputFolder``): each
move is atomic (``os.replace``), a file it replaces is kept aside until every move has
succeeded, and if one fails the files already moved are put back as they were. The staging
folder is removed however the command ends (an error, Ctrl-C), and so is an output folder
the command created and left empty.

Every error names the file it is about (the final path, never the staging one), why, and
what to do.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from clausegen.errors import OutputError

STAGING_PREFIX = ".clausegen-"
"""The staging folder's name starts so: hidden, and clearly clausegen's."""
PREVIOUS = ".previous"
"""Inside the staging folder: the files a commit replaces, until it has succeeded."""

SPARE = 128
"""Bytes of a path kept for the staging folder and the longest file name written there."""
FOLDER_WIDE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EIO})
"""Write failures that will hit every later file too (a full disk, a read-only folder)."""


@dataclass(frozen=True)
class OutputFile:
    name: str
    content: bytes


def folder_wide(error: OutputError) -> bool:
    """Whether ``error`` will hit every later file of the folder too (a full disk)."""
    cause = error.__cause__
    return isinstance(cause, OSError) and cause.errno in FOLDER_WIDE


def advice(error: OSError) -> str:
    """Why a file cannot be written, and what to do: ``(reason): what to do``."""
    what = {
        errno.ENOSPC: "free some space on that disk or write elsewhere (-o)",
        errno.EDQUOT: "free some space within your disk quota or write elsewhere (-o)",
        errno.EISDIR: "a folder has that name; move or rename it, or write elsewhere (-o)",
        errno.ENAMETOOLONG: "the path is too long for the file system; write to a folder "
        "with a shorter path (-o)",
        errno.EACCES: "check the permissions of the folder, or write elsewhere (-o)",
        errno.EPERM: "check the permissions of the folder, or write elsewhere (-o)",
        errno.EROFS: "the file system is read-only; write elsewhere (-o)",
    }.get(error.errno or 0, "check the disk and the folder, or write elsewhere (-o)")
    return f"cannot be written ({error.strerror or error}): {what}."


def check_output_folder(folder: Path) -> None:
    """An ``OutputError`` unless ``folder`` is a folder clausegen can write into, or one it
    can create; creates nothing (run before anything is rendered)."""
    existing = folder
    while True:
        try:
            status = existing.lstat()
            break
        except OSError as error:
            if error.errno not in (errno.ENOENT, errno.ENOTDIR, errno.ENAMETOOLONG):
                reason = f"cannot be used ({error.strerror}); give another folder (-o)."
                raise OutputError(path=folder, reason=reason) from None
            if existing.parent == existing:
                raise OutputError(path=folder, reason="cannot be created.") from None
            existing = existing.parent
    if stat.S_ISLNK(status.st_mode) and not existing.exists():
        raise OutputError(
            path=existing, reason="is a broken symbolic link; give another folder (-o)."
        )
    if not existing.is_dir():
        if existing == folder:
            reason = "is a file; give a folder for the documents (-o)."
            raise OutputError(path=folder, reason=reason)
        reason = f"cannot be created: {existing} is a file, not a folder; give another folder (-o)."
        raise OutputError(path=folder, reason=reason)
    if _read_only(existing):
        reason = "is on a read-only file system; write elsewhere (-o)."
        raise OutputError(path=existing if existing == folder else folder, reason=reason)
    if not os.access(existing, os.W_OK | os.X_OK):
        if existing == folder:
            reason = "is not writable (permission denied); write elsewhere (-o) or change its "
            reason += "permissions."
        else:
            reason = f"cannot be created: {existing} is not writable (permission denied); "
            reason += "write elsewhere (-o)."
        raise OutputError(path=folder, reason=reason)
    if existing != folder:
        _check_names(folder, existing)


def _read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _check_names(folder: Path, existing: Path) -> None:
    """Each folder still to create has a name the file system takes, and the whole path too."""
    try:
        limit = os.pathconf(existing, "PC_NAME_MAX")
        longest = os.pathconf(existing, "PC_PATH_MAX")
    except (OSError, ValueError):
        return
    if len(os.fsencode(folder.absolute())) + SPARE >= longest:
        reason = f"cannot be created: its path is longer than {longest - SPARE} bytes; "
        reason += "give a shorter folder (-o)."
        raise OutputError(path=folder, reason=reason)
    for part in folder.relative_to(existing).parts:
        if len(os.fsencode(part)) > limit:
            reason = f"cannot be created: a folder name is longer than {limit} bytes; "
            reason += "give a shorter folder (-o)."
            raise OutputError(path=folder, reason=reason)


def _plain_name(folder: Path, name: str) -> None:
    """A file name, never a path: nothing is written outside the output folder."""
    if not name or name in (".", "..") or "/" in name or "\0" in name or name.startswith("."):
        raise OutputError(path=folder / name, reason="is not a plain file name.")


@dataclass(frozen=True)
class StagingArea:
    """An output folder's staging folder, as a worker process writes a record's files there.

    Files are written by the process that rendered them, so that their bytes never travel
    between processes; the output folder's owner then takes them (``OutputFolder.take``) and
    commits them. With ``per_process``, each process writes into its own subfolder: creating
    files in one folder takes that folder's lock, so workers sharing one would wait for each
    other.
    """

    staging: Path
    folder: Path
    per_process: bool = False

    def write(self, output: OutputFile) -> str:
        """Write ``output`` into the staging folder (never over a file); where it is in the
        staging folder, or an ``OutputError`` naming its final path when it cannot be."""
        _plain_name(self.folder, output.name)
        entry = f"{_own_folder(self.staging)}/{output.name}" if self.per_process else output.name
        staged = self.staging / entry
        try:
            # 0o666 less the umask, like any new file (mkstemp would give 0o600)
            handle = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(handle, "wb") as stream:
                stream.write(output.content)
        except OSError as error:
            staged.unlink(missing_ok=True)
            raise OutputError(path=self.folder / output.name, reason=advice(error)) from error
        return entry

    def write_all(self, outputs: Sequence[OutputFile]) -> tuple[str, ...]:
        """Write ``outputs``, all or none (those written are removed when one fails); where
        they are in the staging folder."""
        written: list[str] = []
        try:
            for output in outputs:
                written.append(self.write(output))
        except OutputError:
            for entry in written:
                (self.staging / entry).unlink(missing_ok=True)
            raise
        return tuple(written)


def staged_name(entry: str) -> str:
    """The file name of a staged file, from where it is in the staging folder
    (``w1234/bilan-P01.docx`` → ``bilan-P01.docx``)."""
    return entry.rpartition("/")[2]


_MADE: set[tuple[int, Path]] = set()
"""The subfolders made, by process id and staging folder (a forked child has its own id)."""


def _own_folder(staging: Path) -> str:
    """This process's subfolder of ``staging`` (``w`` and its process id), made once."""
    process = os.getpid()
    name = f"w{process}"
    if (process, staging) not in _MADE:
        try:
            (staging / name).mkdir(exist_ok=True)
        except OSError as error:
            raise OutputError(path=staging.parent, reason=advice(error)) from error
        _MADE.add((process, staging))
    return name


@dataclass
class OutputFolder:
    """An output folder being written: files are staged, then committed (moved into place).

    Used as a context manager: entering creates the folder (if needed) and the staging
    folder; leaving removes the staging folder, and the output folder itself if this
    command created it and nothing was committed.
    """

    folder: Path
    staging: Path = field(init=False)
    staged: list[str] = field(default_factory=list, init=False)
    committed: int = field(default=0, init=False)
    """How many files were committed (a batch of 10 000 balances keeps no list of them)."""
    _created: list[Path] = field(default_factory=list, init=False)

    def __enter__(self) -> OutputFolder:
        missing = [p for p in (self.folder, *self.folder.parents) if not os.path.lexists(p)]
        try:
            for path in reversed(missing):
                path.mkdir()
                self._created.append(path)
            self.staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.folder))
        except OSError as error:
            self._remove_created()
            reason = f"cannot be created ({error.strerror}); give another folder (-o)."
            if self.folder.is_dir():
                reason = f"cannot be written into ({error.strerror}); write elsewhere (-o)."
            raise OutputError(path=self.folder, reason=reason) from None
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        if not self.committed:
            self._remove_created()

    def _remove_created(self) -> None:
        for path in reversed(self._created):
            with contextlib.suppress(OSError):
                path.rmdir()  # only if empty: never what someone else put there
        self._created = []

    def path(self, name: str) -> Path:
        """Where a staged file is until it is committed (LibreOffice reads DOCX there)."""
        return self.staging / name

    def scratch(self, name: str) -> Path:
        """A hidden working folder in the staging folder: removed with it, never committed."""
        folder = self.staging / f".{name}"
        folder.mkdir(exist_ok=True)
        return folder

    def write(self, output: OutputFile) -> Path:
        """Stage ``output``; an ``OutputError`` naming its final path when it cannot be."""
        entry = StagingArea(self.staging, self.folder).write(output)
        self.staged.append(entry)
        return self.staging / entry

    def area(self) -> StagingArea:
        """The staging folder as worker processes write into it, each into its own
        subfolder (``StagingArea``)."""
        return StagingArea(self.staging, self.folder, per_process=True)

    def take(self, entries: Sequence[str]) -> None:
        """Files a ``StagingArea`` wrote (where they are in the staging folder): staged, to
        commit or discard."""
        self.staged.extend(entries)

    def adopt(self, source: Path) -> Path:
        """Stage a file made elsewhere (a converted PDF), under its own name."""
        _plain_name(self.folder, source.name)
        staged = self.staging / source.name
        try:
            shutil.move(source, staged)
        except OSError as error:
            staged.unlink(missing_ok=True)
            raise OutputError(path=self.folder / source.name, reason=advice(error)) from error
        self.staged.append(source.name)
        return staged

    def discard(self) -> None:
        """Remove the staged files not committed (a record that cannot be written whole)."""
        for entry in self.staged:
            (self.staging / entry).unlink(missing_ok=True)
        self.staged = []

    def commit(self, entries: Sequence[str] | None = None) -> list[Path]:
        """Move the staged files (``entries``, where they are in the staging folder, in that
        order, or all) into the output folder, all or none; their final paths."""
        chosen = list(self.staged if entries is None else entries)
        finals = [self.folder / staged_name(entry) for entry in chosen]
        existing = [_existing(final) for final in finals]  # one lstat each: a batch has many
        for final, mode in zip(finals, existing, strict=True):
            if mode is not None and stat.S_ISDIR(mode):
                raise OutputError(path=final, reason=advice(_is_a_folder())) from _is_a_folder()
            if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
                raise OutputError(path=final, reason=_not_replaced(mode))
        previous = self.staging / PREVIOUS
        moved: list[tuple[Path, Path | None]] = []
        final = self.folder
        try:
            for entry, final, mode in zip(chosen, finals, existing, strict=True):
                kept = None
                if mode is not None:
                    previous.mkdir(exist_ok=True)
                    kept = previous / final.name
                    _keep(final, kept)
                (self.staging / entry).replace(final)
                moved.append((final, kept))
        except BaseException as error:
            _roll_back(moved)
            if isinstance(error, OSError):
                raise OutputError(path=final, reason=advice(error)) from error
            raise
        for _, kept in moved:
            if kept is not None:
                kept.unlink(missing_ok=True)
        self.staged = [entry for entry in self.staged if entry not in chosen]
        paths = [final for final, _ in moved]
        self.committed += len(paths)
        return paths


def _existing(path: Path) -> int | None:
    """The mode of what ``path`` names (a link itself, not its target), or None when
    nothing can be seen there (the move then says why it fails)."""
    try:
        return os.lstat(path).st_mode
    except OSError:
        return None


def _not_replaced(mode: int) -> str:
    """Why a device, a named pipe or a socket in an output's place is left alone: moving a
    file there would replace it (``-o /dev/null`` run as root replaced /dev/null)."""
    kind = (
        "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "not a regular file"
    )
    return (
        f"is {kind}, which clausegen does not replace; give the path of a file (-o), or "
        "leave -o out where the command can print to the standard output."
    )


def _is_a_folder() -> OSError:
    return IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))


def _keep(final: Path, kept: Path) -> None:
    """A second name for the file ``final`` is about to replace (a copy if links fail)."""
    try:
        os.link(final, kept, follow_symlinks=False)
    except OSError:
        shutil.copy2(final, kept, follow_symlinks=False)


def _roll_back(moved: list[tuple[Path, Path | None]]) -> None:
    """Put back what the moves replaced; remove what they added."""
    for final, kept in reversed(moved):
        with contextlib.suppress(OSError):
            if kept is None:
                final.unlink()
            else:
                kept.replace(final)


def write_outputs(folder: Path, files: list[OutputFile]) -> list[Path]:
    """Write ``files`` into ``folder`` (created if needed), all or none; the paths written."""
    with OutputFolder(folder) as out:
        for output in files:
            out.write(output)
        return out.commit()


def place(source: Path, folder: Path) -> Path:
    """Move one file made elsewhere into ``folder``, atomically (under a temporary name in
    ``folder``, then renamed): never a partial file, and no temporary file left."""
    _plain_name(folder, source.name)
    final = folder / source.name
    temporary = folder / f"{STAGING_PREFIX}{os.getpid()}-{secrets.token_hex(4)}.tmp"
    mode = _existing(final)
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISLNK(mode) or stat.S_ISDIR(mode)):
        raise OutputError(path=final, reason=_not_replaced(mode))
    try:
        if final.is_dir() and not final.is_symlink():
            raise _is_a_folder()
        shutil.move(source, temporary)
        temporary.replace(final)
    except OSError as error:
        raise OutputError(path=final, reason=advice(error)) from error
    finally:
        temporary.unlink(missing_ok=True)
    return final
