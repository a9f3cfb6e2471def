"""What a file uploaded as an operation file is, by its content: a PDF, a Word or Excel
document, an image, an archive, an XML notice, other binary data — each named in French, so
the form tells the buyer what it received and what it expects, not a YAML parser's error
about bytes. The extension is not trusted: a ``.yaml`` holding a ZIP is a ZIP."""

from __future__ import annotations

import io
import zipfile

SIGNATURES = (
    (b"%PDF-", "un document PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "un document Word ou Excel (ancien format .doc ou .xls)"),
    (b"{\\rtf", "un document RTF"),
    (b"\x89PNG\r\n\x1a\n", "une image PNG"),
    (b"\xff\xd8\xff", "une image JPEG"),
    (b"GIF87a", "une image GIF"),
    (b"GIF89a", "une image GIF"),
    (b"II*\x00", "une image TIFF"),
    (b"MM\x00*", "une image TIFF"),
    (b"BM", "une image BMP"),
    (b"\x1f\x8b", "une archive compressée (gzip)"),
    (b"7z\xbc\xaf\x27\x1c", "une archive 7-Zip"),
    (b"Rar!\x1a\x07", "une archive RAR"),
    (b"MZ", "un programme Windows"),
    (b"\x7fELF", "un programme"),
)
"""Leading bytes of the common files a buyer could pick by mistake, and their names."""

ZIP_KINDS = (
    ("word/document.xml", "un document Word (.docx)"),
    ("xl/workbook.xml", "un classeur Excel (.xlsx)"),
    ("ppt/presentation.xml", "une présentation PowerPoint (.pptx)"),
)
OPEN_DOCUMENT = "un document LibreOffice ou OpenOffice (OpenDocument)"
XML_NOTICE = "un fichier XML (un avis eForms se charge avec «\u00a0Charger l’avis\u00a0»)"


def foreign_kind(content: bytes) -> str | None:
    """The French name of what ``content`` is when it cannot be an operation file (YAML or
    JSON text); None when it may be one (the reader then says what is wrong in it)."""
    head = content[:16]
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(content)
    if head[8:12] == b"WEBP" and head.startswith(b"RIFF"):
        return "une image WebP"
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text: the reader asks for UTF-8
    text = content.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        return XML_NOTICE
    if _binary(content):
        return "un fichier binaire (ni texte YAML ni texte JSON)"
    return None


def _zip_kind(content: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").startswith(
                b"application/vnd.oasis.opendocument"
            ):
                return OPEN_DOCUMENT
    except (zipfile.BadZipFile, OSError, ValueError):
        return "une archive ZIP"
    for member, kind in ZIP_KINDS:
        if member in names:
            return kind
    return "une archive ZIP"


def _binary(content: bytes) -> bool:
    """Bytes no YAML or JSON text holds: a NUL, or control characters other than tabs and
    line breaks in the first kilobytes (text in another encoding than UTF-8 is not binary:
    the reader asks for UTF-8)."""
    sample = content[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in b"\t\n\r\x0c")
    return controls > max(2, len(sample) // 100)
