"""A generator of hostile buyer templates: what a template may try, and where it may hide it.

Each case writes one ``tender.docx`` into a folder and says what ``templates check`` must
answer: the place of every problem and a phrase of its message (the exact messages are in
``tests/test_templates.py``), or, for a template the lint cannot fault, what the
``tender`` command must answer when it renders it. Nothing here is committed as a file: the
templates are built when the tests run.
"""

from __future__ import annotations

import base64
import io
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

Build = Callable[[Path], None]
"""Writes the template at the path given."""


@dataclass(frozen=True)
class HostileTemplate:
    """One hostile template, the kind of hostility, and what each command must say."""

    name: str
    kind: str
    build: Build
    place: str | None
    """Where ``templates check`` must place the problem; None when the lint passes it."""
    phrase: str
    """A phrase of the message (of ``templates check``, or of ``tender`` when place is None)."""


# --- what a tag may try, which the lint must find -------------------------------------------

FORBIDDEN_TAGS: dict[str, tuple[str, str]] = {
    # name: (tag, phrase of its message)
    "dunder_class": ("{{ ''.__class__.__mro__ }}", "is a Python internal"),
    "dunder_globals": ("{{ acheteur.__init__.__globals__ }}", "is a Python internal"),
    "underscore_item": ("{{ acheteur['__class__'] }}", "is a Python internal"),
    "private_attribute": ("{{ acheteur._secret }}", "is a Python internal"),
    "attr_filter": ("{{ acheteur|attr('__class__') }}", "|attr reaches attributes"),
    "attr_filter_plain": ("{{ acheteur|attr('nom') }}", "|attr reaches attributes"),
    "format_method": ("{{ '{0.__class__}'.format(acheteur) }}", ".format() is not allowed"),
    "format_map_method": ("{{ '{x}'.format_map(acheteur) }}", ".format_map() is not allowed"),
    "format_filter": ("{{ '%s'|format(acheteur.nom) }}", "|format is not allowed"),
    "percent_formatting": ("{{ '%1000000000s' % 'a' }}", "% formatting of a text"),
    "include": ("{% include 'etc/passwd' %}", "{% include %} loads another template"),
    "import": ("{% import 'macros.xml' as m %}", "{% import %} loads another template"),
    "from_import": ("{% from 'macros.xml' import m %}", "{% import %} loads another template"),
    "extends": ("{% extends 'base.xml' %}", "{% extends %} loads another template"),
    "autoescape_off": (
        "{% autoescape false %}{{ '<w:p/>' }}{% endautoescape %}",
        "{% autoescape %} cannot be used",
    ),
    "safe": ("{{ '</w:t></w:r></w:p><w:p><w:r><w:t>' | safe }}", "|safe would write raw XML"),
    "safe_block": ("{% filter safe %}<w:br/>{% endfilter %}", "|safe would write raw XML"),
    "urlize": ("{{ 'http://exemple.fr'|urlize }}", "|urlize would write raw XML"),
    "xmlattr": ("{{ {'a': 1}|xmlattr }}", "|xmlattr would write raw XML"),
    "lipsum": ("{{ lipsum(10**6) }}", "lipsum() is not available"),
    "recursive_loop": (
        "{% for lot in lots_retenus recursive %}{{ loop(lots_retenus) }}{% endfor %}",
        "a recursive loop can run without end",
    ),
    "recursive_macro": (
        "{% macro boucle(n) %}{{ boucle(n) }}{% endmacro %}{{ boucle(1) }}",
        "the macro boucle calls itself",
    ),
    "huge_range": ("{% for i in range(10**9) %}x{% endfor %}", "has more than 10 000 items"),
    "huge_range_step": (
        "{% for i in range(0, 10**12, 2) %}x{% endfor %}",
        "has more than 10 000 items",
    ),
    "unbounded_range": (
        "{% for i in range(lots_retenus[0].numero * 10**9) %}x{% endfor %}",
        "whose size the template does not state",
    ),
    "range_kwargs": ("{% for i in range(*[10**9]) %}x{% endfor %}", "whose size"),
    "text_times_huge": ("{{ 'A' * 10**9 }}", "makes a value far too large"),
    "list_times_huge": ("{{ [1, 2] * 10**9 }}", "makes a value far too large"),
    "huge_power": ("{{ 10 ** 1000000 }}", "makes a value far too large"),
    "center_huge": ("{{ acheteur.nom|center(10**9) }}", "center with a width of 1 000 000 000"),
    "center_keyword": ("{{ acheteur.nom|center(width=10**8) }}", "center with a width"),
    "indent_huge": ("{{ acheteur.nom|indent(10**9) }}", "indent with a width"),
    "batch_huge": ("{{ lots_retenus|batch(10**9, 'x')|list }}", "batch with a width"),
    "slice_huge": ("{{ lots_retenus|slice(10**9)|list }}", "slice with a width"),
    "ljust_huge": ("{{ acheteur.nom.ljust(10**9) }}", "ljust with a width"),
    "rjust_huge": ("{{ acheteur.nom.rjust(2**40) }}", "rjust with a width"),
    "zfill_huge": ("{{ '1'.zfill(10**9) }}", "zfill with a width"),
    "expandtabs_huge": ("{{ '\\t'.expandtabs(10**9) }}", "expandtabs with a width"),
}

PLACEMENTS: dict[str, str] = {
    "body": "paragraph 1",
    "table": "table 1, row 1, cell 2",
    "header": "header1, paragraph 1",
    "footer": "footer1, paragraph 1",
}


def _document_with(tag: str, placement: str) -> Document:
    document = Document()
    if placement == "body":
        document.add_paragraph(tag)
    elif placement == "table":
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text = "Objet"
        table.cell(0, 1).text = tag
    elif placement == "header":
        document.sections[0].header.paragraphs[0].text = tag
    else:
        document.sections[0].footer.paragraphs[0].text = tag
    return document


def _save(document: DocxDocument, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


def _tag_case(name: str, tag: str, placement: str) -> Build:
    def build(path: Path) -> None:
        _save(_document_with(tag, placement), path)

    return build


# --- tags hidden where they are not text -----------------------------------------------------


def _with_xml(xml: str) -> Build:
    """A paragraph holding ``xml`` (run-level WordprocessingML) after a plain run."""

    def build(path: Path) -> None:
        document = Document()
        paragraph = document.add_paragraph("Texte ")
        for element in list(parse_xml(f"<w:wrap {nsdecls('w')}>{xml}</w:wrap>")):
            paragraph._p.append(element)
        _save(document, path)

    return build


def _with_property(name: str, value: str) -> Build:
    def build(path: Path) -> None:
        document = Document()
        document.add_paragraph("Texte")
        setattr(document.core_properties, name, value)
        _save(document, path)

    return build


def _with_app_property(value: str) -> Build:
    """A tag in docProps/app.xml (the company field), written into the package."""

    def build(path: Path) -> None:
        document = Document()
        document.add_paragraph("Texte")
        buffer = io.BytesIO()
        document.save(buffer)
        app = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'extended-properties"><Company>{value}</Company></Properties>'
        )
        _rewrite(buffer.getvalue(), path, {"docProps/app.xml": app.encode("utf-8")})

    return build


def _with_picture_description(value: str) -> Build:
    """A picture whose alternative text (``wp:docPr/@descr``) holds a tag."""

    def build(path: Path) -> None:
        document = Document()
        document.add_paragraph("Logo :")
        document.add_picture(io.BytesIO(PNG))
        document.inline_shapes[0]._inline.docPr.set("descr", value)
        _save(document, path)

    return build


def _rewrite(package: bytes, path: Path, replaced: dict[str, bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            target.writestr(item, replaced.get(item.filename, source.read(item.filename)))


PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)

FIELD_CODE = "a tag inside a field code"
ATTRIBUTE = "a tag inside the XML attribute"
PROPERTIES = "a tag in the document's properties"

HIDDEN: dict[str, tuple[Build, str, str]] = {
    # name: (build, place, phrase)
    "field_code_mergefield": (
        _with_xml(
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> MERGEFIELD {{ acheteur.nom }} </w:instrText>'
            '</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
        ),
        "paragraph 1",
        FIELD_CODE,
    ),
    "field_code_hyperlink": (
        _with_xml(
            '<w:r><w:instrText xml:space="preserve"> HYPERLINK "{{ '
            "''.__class__ }}\" </w:instrText></w:r>"
        ),
        "paragraph 1",
        FIELD_CODE,
    ),
    "field_code_open_tag": (
        _with_xml('<w:r><w:instrText xml:space="preserve"> PAGE {% if </w:instrText></w:r>'),
        "paragraph 1",
        FIELD_CODE,
    ),
    "simple_field_attribute": (
        _with_xml(
            '<w:fldSimple w:instr="MERGEFIELD {{ acheteur.nom }}">'
            "<w:r><w:t>x</w:t></w:r></w:fldSimple>"
        ),
        "paragraph 1",
        f"{ATTRIBUTE} w:instr",
    ),
    "bookmark_attribute": (
        _with_xml('<w:bookmarkStart w:id="0" w:name="{% include \'x\' %}"/>'),
        "paragraph 1",
        f"{ATTRIBUTE} w:name",
    ),
    "picture_description": (
        _with_picture_description("{{ ''.__class__ }}"),
        "paragraph 2",
        f"{ATTRIBUTE} descr",
    ),
    "deleted_text": (
        _with_xml(
            '<w:del w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z"><w:r>'
            "<w:delText>{{ acheteur|attr('x') }}</w:delText></w:r></w:del>"
        ),
        "paragraph 1",
        "a tag inside text deleted with track changes",
    ),
    "core_title": (_with_property("title", "{{ ''.__class__ }}"), "docProps/core.xml", PROPERTIES),
    "core_subject": (
        _with_property("subject", "{{ 'A' * 10**9 }}"),
        "docProps/core.xml",
        PROPERTIES,
    ),
    "core_comments": (
        _with_property("comments", "{% include 'x' %}"),
        "docProps/core.xml",
        PROPERTIES,
    ),
    "core_author": (_with_property("author", "{{ acheteur.nom"), "docProps/core.xml", PROPERTIES),
    "core_keywords": (
        _with_property("keywords", "{% for i in range(10**9) %}"),
        "docProps/core.xml",
        PROPERTIES,
    ),
    "app_company": (_with_app_property("{{ lipsum() }}"), "docProps/app.xml", PROPERTIES),
}


# --- files that are not templates ------------------------------------------------------------


def _folder(path: Path) -> None:
    path.mkdir(parents=True)


def _pipe(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)


def _device(target: str) -> Build:
    def build(path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)

    return build


def _bytes(content: bytes) -> Build:
    def build(path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)

    return build


def _truncated(path: Path) -> None:
    buffer = io.BytesIO()
    Document().save(buffer)
    _bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])(path)


def _bomb(path: Path) -> None:
    """A valid DOCX with a 120 MiB part of zeros, deflated to about 120 KiB."""
    buffer = io.BytesIO()
    Document().save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        with target.open("word/media/zeros.bin", "w") as zeros:
            chunk = bytes(1024 * 1024)
            for _ in range(120):
                zeros.write(chunk)


def _many_parts(path: Path) -> None:
    buffer = io.BytesIO()
    Document().save(buffer)
    extra = {f"customXml/part{n}.xml": b"<a/>" for n in range(1_200)}
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(path, "w") as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        for name, content in extra.items():
            target.writestr(name, content)


def _too_large(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        file.truncate(21 * 1024 * 1024)  # sparse: no disk used


NOT_A_FILE = "is not a regular file"
FILES: dict[str, tuple[Build, str]] = {
    "folder": (_folder, "is a folder, not a DOCX template"),
    "pipe": (_pipe, NOT_A_FILE),
    "dev_zero": (_device("/dev/zero"), NOT_A_FILE),
    "dev_urandom": (_device("/dev/urandom"), NOT_A_FILE),
    "dev_null": (_device("/dev/null"), NOT_A_FILE),
    "broken_link": (_device("/nonexistent/tender.docx"), "does not exist"),
    "empty": (_bytes(b""), "is not a DOCX document"),
    "text": (_bytes("Ceci n'est pas un modèle.\n".encode()), "is not a DOCX document"),
    "truncated": (_truncated, "is not a DOCX document"),
    "zip_not_docx": (_bytes(b"PK\x05\x06" + bytes(18)), "is not a DOCX document"),
    "compression_bomb": (_bomb, "unpacks to 120"),
    "many_parts": (_many_parts, "parts, over the"),
    "too_large": (_too_large, "weighs 21 MiB, over the 20 MiB"),
}


# --- tags the lint passes, which rendering must refuse ---------------------------------------

SANDBOX = "the template does what the sandbox forbids"
FAILED = "the template failed on this document"
AT_RENDER: dict[str, tuple[str, str]] = {
    "text_times_data": ("{{ 'A' * (lots_retenus|length * 10**8) }}", f"{SANDBOX} (* would make"),
    "data_times_huge": ("{{ acheteur.nom * 10**6 }}", f"{SANDBOX} (* would make"),
    "replace_grows": ("{{ ('x' * 100000)|replace('x', 'yy' * 100) }}", "(replace would make"),
    "replace_method_grows": (
        "{{ ('x' * 100000).replace('x', 'yy' * 100) }}",
        "(replace would make",
    ),
    "join_grows": ("{{ range(10000)|join('x' * 1000) }}", "(join would make"),
    "join_method_grows": ("{{ ('x' * 1000).join(range(10000)|map('string')) }}", "(join would"),
    "concat_grows": ("{{ ('x' * 600000) + ('y' * 600000) }}", "(+ would make"),
    "center_from_data": (
        "{{ acheteur.nom|center(lots_retenus|length * 10**6) }}",
        "center with a width",
    ),
    "ljust_from_data": ("{{ acheteur.nom.ljust(lots_retenus|length * 10**6) }}", "ljust with"),
    "tojson_indent": ("{{ acheteur|tojson(indent=10**6) }}", "tojson indent with a width"),
    "range_from_data": (
        "{% for i in range(lots_retenus|length + 10**6) %}x{% endfor %}",
        "range() of 1 000 00",
    ),
    "power_from_data": ("{{ 10 ** (lots_retenus|length * 10000) }}", "(** would make"),
    "percent_from_data": ("{{ acheteur.nom % 1 }}", "% formatting of a text"),
    "mutual_recursion": (
        "{% macro a() %}{{ b() }}{% endmacro %}{% macro b() %}{{ a() }}{% endmacro %}{{ a() }}",
        "the template calls itself too deeply",
    ),
    "division_by_zero": ("{{ 1 / 0 }}", f"{FAILED} (ZeroDivisionError"),
    "missing_item": ("{{ lots_retenus[99].heures }}", f"{FAILED} (UndefinedError"),
    "text_minus_number": ("{{ acheteur.nom - 1 }}", f"{FAILED} (TypeError"),
    "float_overflow": ("{{ 2.0 ** 100000 }}", f"{FAILED} (OverflowError"),
}


def hostile_templates() -> Iterator[HostileTemplate]:
    """Every hostile template, in a stable order."""
    placements = list(PLACEMENTS)
    for index, (name, (tag, phrase)) in enumerate(FORBIDDEN_TAGS.items()):
        # each tag in the body, and in one other place in turn
        for placement in ("body", placements[1 + index % (len(placements) - 1)]):
            yield HostileTemplate(
                f"{name}-{placement}",
                "forbidden tag",
                _tag_case(name, tag, placement),
                PLACEMENTS[placement],
                phrase,
            )
    for name, (build, place, phrase) in HIDDEN.items():
        yield HostileTemplate(name, "tag outside the text", build, place, phrase)
    for name, (build, phrase) in FILES.items():
        yield HostileTemplate(name, "not a template file", build, "the file", phrase)
    for name, (tag, phrase) in AT_RENDER.items():
        yield HostileTemplate(name, "refused at render", _tag_case(name, tag, "body"), None, phrase)
