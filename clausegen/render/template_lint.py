"""Linting a DOCX template before use: what Word does to Jinja tags, and what the tags name.

A buyer restyling a template in Word can break it without seeing it:

- **a tag split across runs**: Word stores text in runs of equal formatting, and spelling
  marks, revisions or a bold letter cut ``{{ lot.heures }}`` into pieces. Retyping the tag
  in one go (or clearing its formatting) makes it one run again;
- **curly quotes inside a tag**: AutoCorrect turns ``"`` into ``“`` and Jinja no longer
  reads the string;
- **a tag left open** at the end of its paragraph (tags do not span paragraphs);
- **Jinja syntax errors**, **variables not in the document's context** (with close matches)
  and **fragments cited by an unknown id** (``fragments["ccap.publics"]``).

Each problem names where it is (``paragraph 12``, ``table 2, row 3, cell 1``,
``footer1, paragraph 1``) and shows the tag. The Jinja checks run on the tags only, one
line per paragraph, so a line number is a paragraph: the same tags, in the same order, as
docxtpl renders (its ``{%p``, ``{%tr``, ``{%tc`` and ``{%r`` prefixes read as ``{%``).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from jinja2 import TemplateSyntaxError, nodes
from lxml import etree
from pydantic import BaseModel

from clausegen.documents.fragments import FRAGMENT_CONTEXTS
from clausegen.errors import UnknownFragmentError
from clausegen.law.fragments import FragmentRegistry
from clausegen.law.template_variables import unknown_variables
from clausegen.law.templating import xml_environment

TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
OPENING = re.compile(r"\{[{%#]")
DOCXTPL_PREFIX = re.compile(r"^\{([{%])(-?)\s*(?:p|tr|tc|r)\s")
CURLY_QUOTES = "“”„‟‘’‚‛«»"
STRAIGHT = {"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"'}
HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
EXCERPT = 60


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
    try:
        paragraphs = list(_paragraphs(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        problem = TemplateProblem(0, "the file", path.name, "is not a DOCX document.")
        return TemplateLint([problem], ())
    problems: list[TemplateProblem] = []
    lines: list[list[str]] = []
    for order, paragraph in enumerate(paragraphs):
        lines.append(list(_tags(order, paragraph, problems)))
    source = "\n".join(" ".join(_normalized(tag) for tag in tags) for tags in lines)
    try:
        tree = xml_environment().parse(source)
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
    for unknown in unknown_variables(tree, context):
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
    cited = _cited_fragments(tree, context, registry, paragraphs, lines, problems)
    return TemplateLint(sorted(problems, key=lambda p: p.order), cited)


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


def _paragraphs(path: Path) -> Iterator[_Paragraph]:
    """Every paragraph of the body (tables included), then of each header and footer."""
    document = Document(str(path))
    yield from _paragraphs_of(document.element.body, "")
    for relationship in document.part.rels.values():
        if relationship.reltype in (HEADER, FOOTER):
            part = relationship.target_part
            name = Path(str(part.partname)).stem
            yield from _paragraphs_of(etree.fromstring(part.blob), f"{name}, ")


def _paragraphs_of(root: etree._Element, prefix: str) -> Iterator[_Paragraph]:
    tables = list(root.iter(qn("w:tbl")))
    body_number = 0
    for paragraph in root.iter(qn("w:p")):
        runs = [
            "".join(text.text or "" for text in run.iter(qn("w:t")))
            for run in paragraph.iter(qn("w:r"))
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
        yield _Paragraph(place, runs)
