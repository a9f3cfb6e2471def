"""Linting a DOCX template before use: what Word does to Jinja tags, and what the tags name.

A buyer restyling a template in Word can break it without seeing it:

- **a tag split across runs**: Word stores text in runs of equal formatting, and spelling
  marks, revisions or a bold letter cut ``{{ lot.heures }}`` into pieces. Retyping the tag
  in one go (or clearing its formatting) makes it one run again;
- **curly quotes inside a tag**: AutoCorrect turns ``"`` into ``“`` and Jinja no longer
  reads the string;
- **a tag left open** at the end of its paragraph (tags do not span paragraphs);
- **Jinja syntax errors**, **variables not in the document's context** (with close matches)
  and **fragments cited by an unknown id** (``fragments["ccap.publics"]``);
- **what the sandbox forbids** (``clausegen.law.sandbox``): Python internals, ``|attr``,
  ``.format``, ``include``/``import``/``extends``, ``autoescape``, ``|safe`` and other raw
  markup, recursion, unbounded or huge ranges, huge repetitions and padding widths;
- **tags where docxtpl would render them unseen**: in the document properties
  (``docProps/*.xml``), inside XML attributes, inside field codes or tracked deletions;
- **a file that is not a template**: a folder, a device or a pipe (checked without opening
  it), a file over ``MAX_TEMPLATE_BYTES``, a package unpacking to over ``MAX_UNPACKED_BYTES``.

Each problem names where it is (``paragraph 12``, ``table 2, row 3, cell 1``,
``footer1, paragraph 1``) and shows the tag. The Jinja checks run on the tags only, one
line per paragraph, so a line number is a paragraph: the same tags, in the same order, as
docxtpl renders (its ``{%p``, ``{%tr``, ``{%tc`` and ``{%r`` prefixes read as ``{%``).
"""

from __future__ import annotations

import re
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import nsmap, qn
from jinja2 import TemplateSyntaxError, nodes
from jinja2.filters import FILTERS as JINJA_FILTERS
from lxml import etree
from pydantic import BaseModel

from clausegen.documents.fragments import FRAGMENT_CONTEXTS
from clausegen.errors import UnknownFragmentError
from clausegen.law.fragments import FragmentRegistry
from clausegen.law.sandbox import forbidden_constructs
from clausegen.law.template_variables import unknown_variables
from clausegen.law.templating import unknown_filters, xml_environment

TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
OPENING = re.compile(r"\{[{%#]")
DOCXTPL_PREFIX = re.compile(r"^\{([{%])(-?)\s*(?:p|tr|tc|r)\s")
CURLY_QUOTES = "“”„‟‘’‚‛«»"
STRAIGHT = {"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"'}
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
STORIES = {RELATIONSHIPS + kind for kind in ("header", "footer", "footnotes")}
"""The parts docxtpl renders besides the body (footnotes: on its plain path)."""
EXCERPT = 60
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
"""The largest template file (20 MiB): a restyled template with a logo weighs far less."""
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
"""The most a template's parts may unpack to (100 MiB), against compression bombs."""
MAX_PARTS = 1_000
TEXT = qn("w:t")
FIELD_CODE = qn("w:instrText")
DELETED = (qn("w:delText"), qn("w:delInstrText"))


@dataclass(frozen=True)
class TemplateProblem:
    """One problem: where in the template, the text concerned, and what to do."""

    order: int
    place: str
    excerpt: str
    message: str

    def __str__(self) -> str:
        return f'{self.place}, "{self.excerpt}": {self.message}'


@dataclass(frozen=True)
class TemplateLint:
    """Every problem found, in document order, and the fragment ids the template cites."""

    problems: list[TemplateProblem]
    cited: tuple[str, ...]


@dataclass(frozen=True)
class _Paragraph:
    place: str
    runs: list[str]
    """The text of each run, in order."""
    element: etree._Element

    @property
    def text(self) -> str:
        return "".join(self.runs)

    def runs_over(self, start: int, end: int) -> int:
        """How many runs hold part of ``text[start:end]``."""
        count, position = 0, 0
        for run in self.runs:
            if run and position < end and start < position + len(run):
                count += 1
            position += len(run)
        return count


def lint_template(path: Path, context: type[BaseModel], registry: FragmentRegistry) -> TemplateLint:
    """Every problem of the template at ``path`` for documents rendered with ``context``."""
    refused = file_problem(path)
    if refused is not None:
        return TemplateLint([TemplateProblem(0, "the file", path.name, refused)], ())
    problems: list[TemplateProblem] = []
    try:
        paragraphs = list(_paragraphs(path, problems))
        problems += _property_tags(path)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        problem = TemplateProblem(0, "the file", path.name, "is not a DOCX document.")
        return TemplateLint([problem], ())
    lines: list[list[str]] = []
    for order, paragraph in enumerate(paragraphs):
        lines.append(list(_tags(order, paragraph, problems)))
    source = "\n".join(" ".join(_normalized(tag) for tag in tags) for tags in lines)
    environment = xml_environment()
    environment.refuses_constructs = False
    try:
        tree = environment.parse(source)
    except RecursionError:
        problems.append(TemplateProblem(0, "the tags", path.name, _TOO_DEEP))
        return TemplateLint(sorted(problems, key=lambda p: p.order), ())
    except TemplateSyntaxError as error:
        line = min(max(error.lineno, 1), len(lines)) - 1
        problems.append(
            _at(
                paragraphs,
                lines,
                line,
                "",
                f"Jinja syntax error: {(error.message or '').rstrip('.')}.",
            )
        )
        return TemplateLint(sorted(problems, key=lambda p: p.order), ())
    try:
        _check_tree(tree, source, context, paragraphs, lines, problems)
    except RecursionError:
        problems.append(TemplateProblem(0, "the tags", path.name, _TOO_DEEP))
        return TemplateLint(sorted(problems, key=lambda p: p.order), ())
    cited = _cited_fragments(tree, context, registry, paragraphs, lines, problems)
    return TemplateLint(sorted(problems, key=lambda p: p.order), cited)


_TOO_DEEP = "the tags nest too deeply to be read; write simpler expressions."


def file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be a template (a folder, a device, too large…), or None.

    Checked with ``stat`` and the zip directory only: a pipe or a device is never opened,
    and a compression bomb never unpacked.
    """
    try:
        status = path.stat()
    except FileNotFoundError:
        return "does not exist; give the path of a .docx template."
    except OSError as error:
        return f"cannot be read ({error.strerror}); check the path and its permissions."
    if stat.S_ISDIR(status.st_mode):
        return "is a folder, not a DOCX template; give a .docx file."
    if not stat.S_ISREG(status.st_mode):
        return (
            "is not a regular file (a device, a pipe or a socket); give a .docx file saved "
            "by Word or LibreOffice."
        )
    if status.st_size > MAX_TEMPLATE_BYTES:
        return (
            f"weighs {_mebibytes(status.st_size)}, over the {_mebibytes(MAX_TEMPLATE_BYTES)} "
            "a template may weigh; make its images smaller."
        )
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError):
        return "is not a DOCX document."
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_PARTS or unpacked > MAX_UNPACKED_BYTES:
        return (
            f"unpacks to {_mebibytes(unpacked)} in {len(members)} parts, over the "
            f"{_mebibytes(MAX_UNPACKED_BYTES)} and {MAX_PARTS} parts a template may have; "
            "save it again from Word or LibreOffice, with smaller images."
        )
    return None


def _mebibytes(size: int) -> str:
    return f"{size / 2**20:.1f}\u00a0MiB".replace(".0\u00a0", "\u00a0").replace("\u00a0", " ")


def _check_tree(
    tree: nodes.Template,
    source: str,
    context: type[BaseModel],
    paragraphs: list[_Paragraph],
    lines: list[list[str]],
    problems: list[TemplateProblem],
) -> None:
    """The sandbox's refusals and the unknown variables of a parsed template; then, if it
    is clean, that it compiles as rendering will compile it."""
    forbidden = forbidden_constructs(tree)
    for construct in forbidden:
        problems.append(
            _at(paragraphs, lines, construct.line - 1, construct.needle, construct.message)
        )
    for unknown in unknown_variables(tree, context):
        if any(part.startswith("_") for part in unknown.path.split(".")):
            continue  # a Python internal, reported above
        problems.append(
            _at(
                paragraphs,
                lines,
                unknown.line - 1,
                unknown.path,
                f"{unknown} Use a variable of this document's context "
                "(clausegen templates context lists them).",
            )
        )
    environment = xml_environment()
    for unknown_filter in unknown_filters(tree, environment):
        if unknown_filter.name in JINJA_FILTERS:
            continue  # one the sandbox removes, reported above
        problems.append(
            _at(
                paragraphs,
                lines,
                unknown_filter.line - 1,
                unknown_filter.name,
                unknown_filter.message,
            )
        )
    if forbidden or problems:
        return
    try:
        environment.compile(source)
    except TemplateSyntaxError as error:
        line = min(max(error.lineno, 1), len(lines)) - 1
        message = (error.message or "").rstrip(".")
        problems.append(_at(paragraphs, lines, line, "", f"{message}."))
    except (SyntaxError, MemoryError) as error:
        problems.append(
            TemplateProblem(0, "the tags", "", f"cannot be compiled ({error}); simplify them.")
        )


def _tags(order: int, paragraph: _Paragraph, problems: list[TemplateProblem]) -> Iterator[str]:
    """The paragraph's tags, recording the ones Word has damaged."""
    text = paragraph.text
    for match in TAG.finditer(text):
        tag = match.group()
        runs = paragraph.runs_over(match.start(), match.end())
        if runs > 1:
            problems.append(
                TemplateProblem(
                    order,
                    paragraph.place,
                    _short(tag),
                    f"the tag is split across {runs} runs (Word formatted parts of it "
                    "separately); select the whole tag, clear its formatting or retype it "
                    "in one go.",
                )
            )
        quotes = "".join(sorted({c for c in tag if c in CURLY_QUOTES}))
        if quotes:
            problems.append(
                TemplateProblem(
                    order,
                    paragraph.place,
                    _short(tag),
                    f"curly quotes {quotes} inside the tag (Word's AutoCorrect typed them); "
                    "replace them with straight quotes \" or '.",
                )
            )
        yield "".join(STRAIGHT.get(c, "'" if c in CURLY_QUOTES else c) for c in tag)
    rest = TAG.sub("", text)
    opening = OPENING.search(rest)
    if opening:
        problems.append(
            TemplateProblem(
                order,
                paragraph.place,
                _short(rest[opening.start() :]),
                "the tag is not closed in this paragraph; a tag opens and closes in the same "
                "paragraph (close it with }}, %} or #}).",
            )
        )


def _normalized(tag: str) -> str:
    """docxtpl's paragraph, row, cell and run tags (``{%p if …%}``) as plain Jinja."""
    return DOCXTPL_PREFIX.sub(lambda m: "{" + m.group(1) + m.group(2) + " ", tag)


def _cited_fragments(
    tree: nodes.Template,
    context: type[BaseModel],
    registry: FragmentRegistry,
    paragraphs: list[_Paragraph],
    lines: list[list[str]],
    problems: list[TemplateProblem],
) -> tuple[str, ...]:
    """The ids in ``fragments["…"]``, each checked: it exists and suits this document."""
    cited: list[str] = []
    for node in tree.find_all(nodes.Getitem):
        if not (isinstance(node.node, nodes.Name) and node.node.name == "fragments"):
            continue
        fragment_id, problem = _citation(node.arg, context, registry)
        if problem is not None:
            problems.append(_at(paragraphs, lines, node.lineno - 1, fragment_id, problem))
        elif fragment_id not in cited:
            cited.append(fragment_id)
    return tuple(cited)


def _citation(
    key: nodes.Node, context: type[BaseModel], registry: FragmentRegistry
) -> tuple[str, str | None]:
    """The id cited (or the text standing for it) and why it cannot be cited, or None."""
    if not (isinstance(key, nodes.Const) and isinstance(key.value, str)):
        return (
            "fragments[",
            'cite a fragment by its id written out, as in fragments["ccap.publics"].',
        )
    fragment_id = key.value
    try:
        fragment = registry.get(fragment_id)
    except UnknownFragmentError as error:
        hint = f" {error.hint}" if error.hint else ""
        return fragment_id, (
            f"no fragment '{fragment_id}' exists.{hint} clausegen fragments list shows them all."
        )
    if not issubclass(context, FRAGMENT_CONTEXTS[fragment.context]):
        usable = ", ".join(
            name for name, model in FRAGMENT_CONTEXTS.items() if issubclass(context, model)
        )
        return fragment_id, (
            f"fragment '{fragment_id}' is written for {fragment.context} documents; "
            f"this template can cite {usable} fragments."
        )
    return fragment_id, None


def _at(
    paragraphs: list[_Paragraph], lines: list[list[str]], line: int, needle: str, message: str
) -> TemplateProblem:
    """A problem on a Jinja line (a paragraph), showing its tag that holds ``needle``."""
    tags = lines[line] if 0 <= line < len(lines) else []
    shown = next((tag for tag in tags if needle and needle in tag), None)
    if shown is None:
        shown = " ".join(tags) or paragraphs[line].text
    return TemplateProblem(line, paragraphs[line].place, _short(shown), message)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def _paragraphs(path: Path, problems: list[TemplateProblem]) -> Iterator[_Paragraph]:
    """Every paragraph of the body (tables included), then of each header, footer and the
    footnotes; recording the tags docxtpl would render outside the text."""
    document = Document(str(path))
    # parsed again without python-docx's element classes, whose .text is not the XML's
    yield from _story(etree.fromstring(document.part.blob), "", problems)
    for relationship in document.part.rels.values():
        if relationship.reltype in STORIES and not relationship.is_external:
            part = relationship.target_part
            name = Path(str(part.partname)).stem
            yield from _story(etree.fromstring(part.blob), f"{name}, ", problems)


def _story(
    root: etree._Element, prefix: str, problems: list[TemplateProblem]
) -> Iterator[_Paragraph]:
    """The paragraphs of a body, header, footer or the footnotes, then the tags placed
    where they are not text (attributes, field codes, tracked deletions), at their
    paragraph."""
    places: dict[etree._Element, tuple[int, str]] = {}
    for paragraph in _paragraphs_of(root, prefix):
        places[paragraph.element] = (len(places), paragraph.place)
        yield paragraph
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        owner = next((p for p in element.iterancestors(qn("w:p"))), element)
        order, place = places.get(owner, (0, f"{prefix}the part" if prefix else "the body"))
        for name, value in element.attrib.items():
            for tag in _tags_in(value):
                problems.append(
                    TemplateProblem(
                        order,
                        place,
                        _short(tag),
                        f"a tag inside the XML attribute {_qualified(name)} (a link, an "
                        "image's alternative text, a field or a style), where the lint "
                        "cannot check it; put tags in the document's text only.",
                    )
                )
        if element.tag != TEXT:
            for tag in _tags_in(element.text or ""):
                problems.append(TemplateProblem(order, place, _short(tag), _outside(element)))


def _tags_in(text: str) -> list[str]:
    """The tags in ``text``, and an opening left unclosed."""
    if "{" not in text:
        return []
    found = [match.group() for match in TAG.finditer(text)]
    rest = OPENING.search(TAG.sub("", text))
    return found + ([TAG.sub("", text)[rest.start() :]] if rest else [])


def _outside(element: etree._Element) -> str:
    if element.tag == FIELD_CODE:
        return (
            "a tag inside a field code (Word's { MERGEFIELD … }, { HYPERLINK … } fields), "
            "which Word computes, not clausegen; put the tag in the text, outside the field."
        )
    if element.tag in DELETED:
        return (
            "a tag inside text deleted with track changes; accept or reject the tracked "
            "changes (Review › Accept all), then check again."
        )
    return (
        f"a tag outside the document's text (in {_qualified(element.tag)}); put tags in "
        "the text only."
    )


def _qualified(name: str) -> str:
    """``{namespace}local`` as ``w:local`` (the prefix Word uses), or the local name."""
    namespace, _, local = name[1:].partition("}") if name.startswith("{") else ("", "", name)
    prefix = next((p for p, uri in nsmap.items() if uri == namespace), None)
    return f"{prefix}:{local}" if prefix else local


def _property_tags(path: Path) -> list[TemplateProblem]:
    """Tags in the document properties (docProps/*.xml): docxtpl renders the title,
    subject, author… as Jinja, unseen; clausegen sets them itself."""
    problems = []
    with zipfile.ZipFile(path) as package:
        for name in sorted(package.namelist()):
            if not (name.startswith("docProps/") and name.endswith(".xml")):
                continue
            text = package.read(name).decode("utf-8", "replace")
            for tag in _tags_in(text):
                problems.append(
                    TemplateProblem(
                        -1,
                        name,
                        _short(tag),
                        "a tag in the document's properties (title, subject, author, "
                        "keywords…), which clausegen fills itself; remove it there "
                        "(File › Properties).",
                    )
                )
    return problems


def _paragraphs_of(root: etree._Element, prefix: str) -> Iterator[_Paragraph]:
    tables = list(root.iter(qn("w:tbl")))
    body_number = 0
    for paragraph in root.iter(qn("w:p")):
        runs = [
            "".join(text.text or "" for text in run.iter(TEXT)) for run in paragraph.iter(qn("w:r"))
        ]
        cell = next(paragraph.iterancestors(qn("w:tc")), None)
        if cell is None:
            body_number += 1
            place = f"{prefix}paragraph {body_number}"
        else:
            row = cell.getparent()
            table = row.getparent()
            row_number = list(table.iterchildren(qn("w:tr"))).index(row) + 1
            cell_number = list(row.iterchildren(qn("w:tc"))).index(cell) + 1
            place = f"{prefix}table {tables.index(table) + 1}, row {row_number}, cell {cell_number}"
        yield _Paragraph(place, runs, paragraph)
