"""Class 3: input files that are not regular files of bounded size.

Named pipes (which would block the command forever), devices (``/dev/zero`` never ends),
folders, files over the size limit, undecodable text, and XLSX workbooks that are damaged
(truncated, bytes flipped), mislabelled (a CSV, a DOCX or an empty zip named ``.xlsx``) or
that would uncompress to far more than they weigh.
"""

from __future__ import annotations

import functools
import io
import os
import random
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.hostile.bases import (
    COMMITMENT,
    LEDGER,
    OPERATION,
    ROOT,
    file_case,
    ledger_rows,
)
from tests.hostile.runner import Case

ROLES = {
    "operation": "operation.yaml",
    "participants": "participants.yaml",
    "commitment": COMMITMENT,
    "ledger": "heures.csv",
    "ledger-xlsx": "heures.xlsx",
}
"""Each input a command reads, and the file name a case gives it."""


def _role(role: str) -> str:
    return "ledger" if role == "ledger-xlsx" else role


def _symlink(target: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.symlink_to(target)

    return make


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _folder(path: Path) -> None:
    path.mkdir()


def _sparse(size: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with path.open("wb") as file:
            file.truncate(size)

    return make


def _bytes(content: bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(content)

    return make


def cases() -> Iterator[Case]:
    yield from _not_regular_files()
    yield from _too_large_or_undecodable()
    yield from _workbooks()


def _not_regular_files() -> Iterator[Case]:
    kinds: dict[str, Callable[[Path], None]] = {
        "fifo": _fifo,
        "dev-zero": _symlink("/dev/zero"),
        "dev-urandom": _symlink("/dev/urandom"),
        "dev-null": _symlink("/dev/null"),
        "folder": _folder,
    }
    for kind, make in kinds.items():
        for role, file in ROLES.items():
            yield file_case(f"{kind}-{role}", _role(role), file, make, timeout=10)
    yield file_case("missing-ledger", "ledger", "heures.csv", lambda path: None)
    yield file_case("dangling-symlink", "operation", "operation.yaml", _symlink("/nonexistent"))
    if Path("/dev/stdin").exists():
        yield file_case("dev-stdin", "operation", "operation.yaml", _symlink("/dev/stdin"))


def _too_large_or_undecodable() -> Iterator[Case]:
    for role in ("operation", "participants", "commitment"):
        yield file_case(f"over-10-mib-{role}", role, ROLES[role], _sparse(10 * 2**20 + 1))
    yield file_case("over-32-mib-ledger", "ledger", "heures.csv", _sparse(32 * 2**20 + 1))
    yield file_case("over-32-mib-xlsx", "ledger", "heures.xlsx", _sparse(32 * 2**20 + 1))
    utf16 = OPERATION.read_text(encoding="utf-8").encode("utf-16")
    latin1 = LEDGER.read_text(encoding="utf-8").encode("latin-1")
    noise = random.Random(15).randbytes(4096)
    for role, content in {
        "operation-utf16": utf16,
        "operation-random-bytes": noise,
        "participants-random-bytes": noise,
        "commitment-random-bytes": noise,
        "ledger-latin1": latin1,
        "ledger-random-bytes": noise,
        "operation-empty": b"",
        "operation-only-nul": b"\0" * 100,
        "ledger-empty": b"",
    }.items():
        kind = role.split("-", 1)[0]
        yield file_case(f"content-{role}", kind, ROLES[kind], _bytes(content))
    yield file_case(
        "ledger-unclosed-quote",
        "ledger",
        "heures.csv",
        _bytes(('participant;lot\n"P01;' + "x" * 300_000).encode()),
    )


@functools.cache
def _good_xlsx() -> bytes:
    """The sample ledger as an XLSX workbook."""
    from openpyxl import Workbook

    buffer = io.BytesIO()
    workbook = Workbook()
    for row in ledger_rows():
        workbook.active.append(list(row))
    workbook.save(buffer)
    return buffer.getvalue()


def _members() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(_good_xlsx())) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _replaced(part: str, content: Callable[[], bytes] | bytes | None) -> Callable[[], bytes]:
    """The sample workbook with ``part`` replaced (None: left out)."""

    def make() -> bytes:
        members = _members()
        if content is None:
            del members[part]
        else:
            members[part] = content() if callable(content) else content
        return _zip(members)

    return make


ENTITY_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
    b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&d;&d;&d;</t></is></c></row>'
    b"</sheetData></worksheet>"
)

MISLABELLED: dict[str, Callable[[], bytes]] = {
    "csv-as-xlsx": LEDGER.read_bytes,
    "docx-as-xlsx": (ROOT / "clause_templates" / "tender.docx").read_bytes,
    "empty-zip": lambda: _zip({}),
    "no-workbook-part": _replaced("xl/workbook.xml", None),
    "no-sheet-part": _replaced("xl/worksheets/sheet1.xml", None),
    "garbage-sheet-xml": _replaced("xl/worksheets/sheet1.xml", b"<worksheet><"),
    "garbage-workbook-xml": _replaced("xl/workbook.xml", b"\x00\x01not xml"),
    "garbage-content-types": _replaced("[Content_Types].xml", b"<Types"),
    "garbage-styles": _replaced("xl/styles.xml", b"<styleSheet><numFmts count="),
    "entity-expansion": _replaced("xl/worksheets/sheet1.xml", ENTITY_BOMB),
    "zip-bomb-sheet": _replaced("xl/worksheets/sheet1.xml", lambda: b" " * (60 * 2**20)),
    "huge-shared-strings": _replaced(
        "xl/sharedStrings.xml", lambda: random.Random(4).randbytes(17 * 2**20)
    ),
}


def _workbooks() -> Iterator[Case]:
    for fraction in (0.0, 0.05, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 0.99):

        def truncated(path: Path, fraction: float = fraction) -> None:
            good = _good_xlsx()
            path.write_bytes(good[: int(len(good) * fraction) + 1])

        yield file_case(f"xlsx-truncated-{fraction}", "ledger", "heures.xlsx", truncated)
    for number in range(30):  # bytes flipped in the sheet's compressed data

        def flipped(path: Path, number: int = number) -> None:
            chance = random.Random(1515 + number)
            good = _good_xlsx()
            with zipfile.ZipFile(io.BytesIO(good)) as archive:
                sheet = archive.getinfo("xl/worksheets/sheet1.xml")
            start = sheet.header_offset + 30 + len(sheet.filename)  # the sheet's data
            damaged = bytearray(good)
            for _ in range(1 + number % 4):
                offset = start + chance.randrange(sheet.compress_size)
                damaged[offset] ^= 1 << chance.randrange(8)
            path.write_bytes(bytes(damaged))

        yield file_case(f"xlsx-flipped-{number:02d}", "ledger", "heures.xlsx", flipped)
    for name, content in MISLABELLED.items():

        def write(path: Path, content: Callable[[], bytes] = content) -> None:
            path.write_bytes(content())

        yield file_case(f"xlsx-{name}", "ledger", "heures.xlsx", write)
    yield file_case(
        "xlsx-named-csv", "ledger", "heures.csv", lambda path: path.write_bytes(_good_xlsx())
    )
