"""Versioned legal fragments: load, validate, resolve at a date, render into paragraphs.

A fragment is a piece of legal text with a stable dotted id (``ccap.fondement.
condition_execution``) and dated versions. Each version has its effective date, an optional
last day (``jusqu_au``), its legal source, how sure that source is, and its text: Jinja over
the context of the document it belongs to. A version is cited ``id@YYYY-MM-DD``. Resolving a
fragment at a date gives the newest version in force that day.

Data lives in ``legal_fragments/fragments/*.yaml`` (each top-level key a fragment id)::

    ccap.lots:
      titre: Lots concernés
      contexte: appel_offres
      versions:
        - depuis: 2016-04-01
          source: Ordonnance n° 2015-899 du 23 juillet 2015, article 38
          statut: verifie
          texte: |
            La présente clause s'applique aux lots suivants :
            {% for lot in lots_retenus %}
            - lot {{ lot.numero }} : {{ lot.intitule }} ;
            {% endfor %}

A text becomes paragraphs at the blank lines; a line starting with ``- `` is an item of a
bulleted list; other consecutive lines join into one paragraph.

Everything is checked at load, and every problem reported at once: two versions on one
date, an empty text, a Jinja syntax error, a variable the fragment's context lacks, a
document plan naming a fragment that does not exist.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from jinja2 import Template, TemplateSyntaxError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from clausegen.contexts import AppelOffresContexte, BlocContexte
from clausegen.contexts_execution import (
    BilanContexte,
    ConformiteContexte,
    ConstatContexte,
    EngagementContexte,
)
from clausegen.errors import (
    FragmentDataError,
    FragmentNotInForceError,
    InputError,
    Problem,
    UnknownFragmentError,
)
from clausegen.parameters import Reliability
from clausegen.plans import DocumentPlan, load_plans
from clausegen.readers import read_mapping
from clausegen.template_variables import unknown_variables
from clausegen.templating import text_environment
from clausegen.validation import problems_from

LEGAL_DIR = Path(__file__).resolve().parent.parent / "legal_fragments"
FRAGMENTS_DIR = LEGAL_DIR / "fragments"

CONTEXTS: dict[str, type[BaseModel]] = {
    "appel_offres": AppelOffresContexte,
    "engagement": EngagementContexte,
    "conformite": ConformiteContexte,
    "constat": ConstatContexte,
    "bilan": BilanContexte,
}
"""The context each kind of fragment is rendered with (the ``contexte`` key)."""

_ENVIRONMENT = text_environment()


@dataclass(frozen=True)
class FragmentVersion:
    """One version of a fragment's text, from its effective date."""

    effective_from: date
    until: date | None
    source: str
    reliability: Reliability
    text: str
    template: Template = field(compare=False, repr=False)

    @property
    def sha256(self) -> str:
        """The digest of the text as written (before rendering), cited in manifests."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ResolvedFragment:
    """A fragment's version in force at a date."""

    id: str
    title: str
    version: FragmentVersion

    @property
    def citation(self) -> str:
        return f"{self.id}@{self.version.effective_from.isoformat()}"

    def render(self, context: BaseModel) -> list[BlocContexte]:
        """The version's text for ``context``, as paragraphs and list items."""
        return paragraphs(self.version.template.render(context.model_dump()))


@dataclass(frozen=True)
class Fragment:
    """A fragment and its versions, oldest first."""

    id: str
    title: str
    context: str
    versions: tuple[FragmentVersion, ...]
    source: Path

    def version_at(self, when: date) -> FragmentVersion | None:
        """The newest version in force at ``when``, or None."""
        in_force = [v for v in self.versions if v.effective_from <= when]
        if not in_force or (in_force[-1].until is not None and in_force[-1].until < when):
            return None
        return in_force[-1]

    def at(self, when: date) -> ResolvedFragment:
        """The version in force at ``when``; an error naming the first version when none is."""
        version = self.version_at(when)
        if version is None:
            raise FragmentNotInForceError(
                fragment_id=self.id,
                at=when,
                first_version=self.versions[0].effective_from,
                source=self.source,
            )
        return ResolvedFragment(self.id, self.title, version)


class FragmentRegistry:
    """Every fragment by id, and the plans of the documents made of them."""

    def __init__(self, fragments: list[Fragment], plans: dict[str, DocumentPlan]) -> None:
        self._by_id = {f.id: f for f in fragments}
        self.plans = plans

    def __iter__(self) -> Iterator[Fragment]:
        return iter(sorted(self._by_id.values(), key=lambda f: f.id))

    def get(self, fragment_id: str) -> Fragment:
        try:
            return self._by_id[fragment_id]
        except KeyError:
            close = difflib.get_close_matches(fragment_id, self._by_id, n=3, cutoff=0.8)
            hint = f"Did you mean: {', '.join(close)}?" if close else ""
            raise UnknownFragmentError(fragment_id=fragment_id, hint=hint) from None

    def resolve(self, fragment_id: str, when: date) -> ResolvedFragment:
        return self.get(fragment_id).at(when)


def paragraphs(text: str) -> list[BlocContexte]:
    """Split rendered text into paragraphs (at blank lines) and list items (``- ``)."""
    blocks: list[BlocContexte] = []
    lines: list[str] = []

    def close_paragraph() -> None:
        if lines:
            blocks.append(BlocContexte(texte=" ".join(lines), liste=False))
            lines.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            close_paragraph()
        elif line.startswith("- "):
            close_paragraph()
            blocks.append(BlocContexte(texte=line[2:].strip(), liste=True))
        else:
            lines.append(line)
    close_paragraph()
    return blocks


# --- loading ----------------------------------------------------------------------------------


class _VersionEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    depuis: date
    jusqu_au: date | None = None
    source: str = Field(min_length=1)
    statut: Reliability
    texte: str


class _FragmentEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    titre: str = Field(min_length=1)
    contexte: Literal["appel_offres", "engagement", "conformite", "constat", "bilan"]
    versions: list[_VersionEntry] = Field(min_length=1)


class _FragmentFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fragments: dict[str, _FragmentEntry]


def load_fragments(directory: Path = LEGAL_DIR) -> FragmentRegistry:
    """Load and check every fragment and document plan under ``directory``."""
    problems: list[tuple[Path, Problem]] = []
    fragments: dict[str, Fragment] = {}
    files = sorted((directory / "fragments").glob("*.yaml"))
    if not files:
        shown = _shown(directory / "fragments", directory)
        raise FragmentDataError(problems=[(shown, Problem("", "no fragment file (*.yaml)."))])
    for path in files:
        shown = _shown(path, directory)
        for fragment in _load_file(path, shown, problems):
            if fragment.id in fragments:
                first = fragments[fragment.id].source
                message = f"already defined in {first}; keep one definition."
                problems.append((shown, Problem(fragment.id, message)))
            fragments[fragment.id] = fragment
    plans_path = directory / "documents.yaml"
    plans = load_plans(plans_path, _shown(plans_path, directory))
    for plan in plans.values():
        for section, fragment_id in plan.all_fragment_ids():
            if fragment_id not in fragments:
                close = difflib.get_close_matches(fragment_id, fragments, n=1)
                hint = f"; did you mean {close[0]}?" if close else "."
                where = f"{plan.kind}.sections[{section}]"
                message = f"no fragment '{fragment_id}' exists{hint}"
                problems.append((plan.source, Problem(where, message)))
    if problems:
        raise FragmentDataError(problems=problems)
    return FragmentRegistry(list(fragments.values()), plans)


def _load_file(path: Path, shown: Path, problems: list[tuple[Path, Problem]]) -> list[Fragment]:
    try:
        parsed = _FragmentFile.model_validate({"fragments": read_mapping(path)})
    except InputError as error:
        problems.extend((shown, p) for p in error.problems)
        return []
    except ValidationError as error:
        for problem in problems_from(error, _FragmentFile):
            problems.append(
                (shown, Problem(problem.location.removeprefix("fragments."), problem.message))
            )
        return []
    loaded = []
    for fragment_id, entry in parsed.fragments.items():
        versions = _versions(fragment_id, entry, shown, problems)
        if versions:
            loaded.append(Fragment(fragment_id, entry.titre, entry.contexte, versions, shown))
    return loaded


def _versions(
    fragment_id: str,
    entry: _FragmentEntry,
    shown: Path,
    problems: list[tuple[Path, Problem]],
) -> tuple[FragmentVersion, ...]:
    context = CONTEXTS[entry.contexte]
    ordered = sorted(entry.versions, key=lambda v: v.depuis)
    versions = []
    for index, version in enumerate(ordered):
        where = f"{fragment_id}@{version.depuis.isoformat()}"
        found = len(problems)

        def report(message: str, where: str = where) -> None:
            problems.append((shown, Problem(where, message)))

        if index and ordered[index - 1].depuis == version.depuis:
            report("two versions have this date; keep one version per effective date.")
        following = ordered[index + 1].depuis if index + 1 < len(ordered) else None
        if version.jusqu_au is not None and version.jusqu_au < version.depuis:
            report("jusqu_au is before depuis; a version must end on or after its first day.")
        if version.jusqu_au is not None and following and version.jusqu_au >= following:
            report(f"jusqu_au overlaps the next version, which applies from {following}.")
        if not version.texte.strip():
            report("the text is empty; write the fragment's text under texte.")
            continue
        try:
            syntax = _ENVIRONMENT.parse(version.texte)
        except TemplateSyntaxError as error:
            report(f"line {error.lineno}: Jinja syntax error: {_sentence(error.message)}")
            continue
        for unknown in unknown_variables(syntax, context):
            report(f"line {unknown.line}: {unknown}")
        if len(problems) == found:
            versions.append(
                FragmentVersion(
                    effective_from=version.depuis,
                    until=version.jusqu_au,
                    source=version.source,
                    reliability=version.statut,
                    text=version.texte,
                    template=_ENVIRONMENT.from_string(version.texte),
                )
            )
    return tuple(versions) if len(versions) == len(ordered) else ()


def _sentence(text: str | None) -> str:
    return (text or "").rstrip(".") + "."


def _shown(path: Path, directory: Path) -> Path:
    """How messages name a file: from the folder holding legal_fragments/."""
    return path.relative_to(directory.parent)
