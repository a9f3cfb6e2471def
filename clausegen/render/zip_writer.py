"""A zip archive written from members compressed once, byte for byte as ``zipfile`` writes it.

The fast render path (``clausegen.render.prepared``) keeps the parts a template never
changes (styles, theme, settings…) deflated once and reuses them for every document. The
standard library cannot write an already-compressed member, so this writes the archive
itself, with ``zipfile``'s own header layouts and the entry settings clausegen uses (fixed
1980-01-01 timestamp, Unix permissions 0644, deflate level 6). A test checks the bytes
against ``zipfile``'s for the same members.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
LEVEL = 6
_CENTRAL = struct.Struct(zipfile.structCentralDir)
_END = struct.Struct(zipfile.structEndArchive)


_DOS_TIME = FIXED_TIME[3] << 11 | FIXED_TIME[4] << 5 | FIXED_TIME[5] // 2
_DOS_DATE = (FIXED_TIME[0] - 1980) << 9 | FIXED_TIME[1] << 5 | FIXED_TIME[2]
_UNIX_0644 = 0o644 << 16


def entry_info(name: str) -> zipfile.ZipInfo:
    """The settings of every member clausegen writes: fixed time, deflated, Unix 0644."""
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = _UNIX_0644
    return info


@dataclass(frozen=True)
class ZipMember:
    """One member, deflated once, with its local header (which holds no offset)."""

    name: str
    crc: int
    size: int
    data: bytes
    header: bytes

    @classmethod
    def of(cls, name: str, content: bytes) -> ZipMember:
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        data = compressor.compress(content) + compressor.flush()
        crc = zlib.crc32(content)
        info = entry_info(name)
        info.flag_bits = 0
        info.CRC, info.file_size, info.compress_size = crc, len(content), len(data)
        return cls(name, crc, len(content), data, info.FileHeader(False))


def zip_archive(members: list[ZipMember]) -> bytes:
    """The archive of ``members``, in their order."""
    chunks: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for member in members:
        name = member.name.encode("ascii")
        chunks += [member.header, member.data]
        directory += [
            _CENTRAL.pack(
                zipfile.stringCentralDir,
                zipfile.DEFAULT_VERSION,  # made by: zipfile's version 2.0…
                3,  # …on Unix
                zipfile.DEFAULT_VERSION,
                0,
                0,
                zipfile.ZIP_DEFLATED,
                _DOS_TIME,
                _DOS_DATE,
                member.crc,
                len(member.data),
                member.size,
                len(name),
                0,
                0,
                0,
                0,
                _UNIX_0644,
                offset,
            ),
            name,
        ]
        offset += len(member.header) + len(member.data)
    central = b"".join(directory)
    end = _END.pack(
        zipfile.stringEndArchive, 0, 0, len(members), len(members), len(central), offset, 0
    )
    return b"".join([*chunks, central, end])
