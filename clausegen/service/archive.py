"""ZIP archives of rendered files, whole or streamed member by member, with clausegen's
fixed entry settings (so the same files give the same archive)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from clausegen.render.outputs import OutputFile
from clausegen.render.zip_writer import entry_info

ZIP_MEDIA_TYPE = "application/zip"


class _Sink(io.RawIOBase):
    """A write-only stream whose bytes are taken out as they come (not seekable)."""

    def __init__(self) -> None:
        self.chunks = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.chunks += data
        return len(data)

    def take(self) -> bytes:
        taken = bytes(self.chunks)
        self.chunks.clear()
        return taken


class ZipStream:
    """A ZIP written member by member: each ``add`` returns the bytes to send so far."""

    def __init__(self) -> None:
        self._sink = _Sink()
        self._zip = zipfile.ZipFile(self._sink, "w")

    def add(self, output: OutputFile) -> bytes:
        self._zip.writestr(entry_info(output.name), output.content)
        return self._sink.take()

    def close(self) -> bytes:
        self._zip.close()
        return self._sink.take()


def zip_of(files: Iterable[OutputFile]) -> bytes:
    """One ZIP holding ``files``, in their order."""
    stream = ZipStream()
    return b"".join([*(stream.add(f) for f in files), stream.close()])
