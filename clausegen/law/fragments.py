"""Versioned legal fragments: load, validate, resolve at a date, render as text.

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

The law knows no document: the context model of each ``contexte`` is given by the caller
(the documents layer, which also turns rendered text into paragraphs and
checks the document plans).

Everything is checked at load, and every problem reported at once: dates that conflict
(two versions on one date, an end before its start or after the next version's start), an
unknown context, an empty text, a Jinja syntax error, a variable the context lacks.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import Template, TemplateSyntaxError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from clausegen.errors import (
    FragmentDataError,
    FragmentNotInForceError,
    InputError,
    Problem,
    UnknownFragmentError,
)
from clausegen.inputs.readers import read_mapping
from clausegen.inputs.validation import problems_from
from clausegen.law.dated import DateConflict, DatedVersions, Reliability, date_conflicts
from clausegen.law.template_variables import unknown_variables
from clausegen.law.templating import text_environment, unknown_filters

FragmentContexts = Mapping[str, type[BaseModel]]
"""The context model each kind of fragment is rendered with (its ``contexte`` key), given by
the documents layer: the law knows no document."""

FragmentProblems = list[tuple[Path, Problem]]

_ENVIRONMENT = text_environment()


@dataclass(frozen=True)
class FragmentVersion:
    """One version of a fragment's text, from its effective date."""

    effective_from: date
    until: date | None
    source: str
    reliability: Reliability
    text: str

    @cached_property
    def template(self) -> Template:
        """The text compiled on first use: the text was checked at load, and a document
        renders few of the fragments, so compiling them all would be wasted start-up."""
        return _ENVIRONMENT.from_string(self.text)

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
    context: str
    """The kind of context the fragment is written for (its ``contexte`` key)."""

    @property
    def citation(self) -> str:
        return f"{self.id}@{self.version.effective_from.isoformat()}"

    def render_text(self, data: Mapping[str, Any]) -> str:
        """The version's text rendered over ``data`` (a document context as plain data)."""
        return self.version.template.render(data)


@dataclass(frozen=True)
class Fragment:
    """A fragment and its versions, oldest first."""

    id: str
    title: str
    context: str
    versions: DatedVersions[FragmentVersion]
    source: Path

    def version_at(self, when: date) -> FragmentVersion | None:
        """The newest version in force at ``when``, or None."""
        return self.versions.at(when)

    def at(self, when: date) -> ResolvedFragment:
        """The version in force at ``when``; an error naming the first version when none is."""
        version = self.version_at(when)
        if version is None:
            raise FragmentNotInForceError(
                fragment_id=self.id,
                at=when,
                first_version=self.versions.first.effective_from,
                source=self.source,
            )
        return ResolvedFragment(self.id, self.title, version, self.context)


class FragmentRegistry:
    """Every fragment by id."""

    def __init__(self, fragments: list[Fragment]) -> None:
        self._by_id = {f.id: f for f in fragments}

    def __contains__(self, fragment_id: object) -> bool:
        return fragment_id in self._by_id

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


# --- loading ----------------------------------------------------------------------------------


CONFLICT_MESSAGES = {
    DateConflict.SAME_DATE: "two versions have this date; keep one version per effective date.",
    DateConflict.ENDS_BEFORE_START: (
        "jusqu_au is before depuis; a version must end on or after its first day."
    ),
    DateConflict.OVERLAPS_NEXT: (
        "jusqu_au overlaps the next version, which applies from {following}."
    ),
}


class _VersionEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    depuis: date
    jusqu_au: date | None = None

    @property
    def effective_from(self) -> date:
        return self.depuis

    @property
    def until(self) -> date | None:
        return self.jusqu_au

    source: str = Field(min_length=1)
    statut: Reliability
    texte: str


class _FragmentEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    titre: str = Field(min_length=1)
    contexte: str = Field(min_length=1)
    versions: list[_VersionEntry] = Field(min_length=1)


class _FragmentFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fragments: dict[str, _FragmentEntry]


def read_fragments(
    directory: Path, contexts: FragmentContexts, problems: FragmentProblems
) -> dict[str, Fragment]:
    """Every fragment under ``directory``/fragments, by id, checked against ``contexts``; each
    problem found is appended to ``problems``, for the caller to report with its own checks
    (the documents layer, which checks the document plans too)."""
    fragments: dict[str, Fragment] = {}
    files = sorted((directory / "fragments").glob("*.yaml"))
    if not files:
        shown = _shown(directory / "fragments", directory)
        raise FragmentDataError(problems=[(shown, Problem("", "no fragment file (*.yaml)."))])
    for path in files:
        shown = _shown(path, directory)
        for fragment in _load_file(path, shown, contexts, problems):
            if fragment.id in fragments:
                first = fragments[fragment.id].source
                message = f"already defined in {first}; keep one definition."
                problems.append((shown, Problem(fragment.id, message)))
            fragments[fragment.id] = fragment
    return fragments


def _load_file(
    path: Path, shown: Path, contexts: FragmentContexts, problems: FragmentProblems
) -> list[Fragment]:
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
        context = contexts.get(entry.contexte)
        if context is None:
            known = ", ".join(sorted(contexts))
            message = f"unknown context '{entry.contexte}'; contexte is one of: {known}."
            problems.append((shown, Problem(f"{fragment_id}.contexte", message)))
            continue
        versions = _versions(fragment_id, entry, context, shown, problems)
        if versions:
            loaded.append(
                Fragment(fragment_id, entry.titre, entry.contexte, DatedVersions(versions), shown)
            )
    return loaded


def _versions(
    fragment_id: str,
    entry: _FragmentEntry,
    context: type[BaseModel],
    shown: Path,
    problems: FragmentProblems,
) -> tuple[FragmentVersion, ...]:
    ordered = sorted(entry.versions, key=lambda v: v.depuis)
    conflicts = date_conflicts(ordered)
    versions = []
    for index, version in enumerate(ordered):
        where = f"{fragment_id}@{version.depuis.isoformat()}"
        found = len(problems)

        def report(message: str, where: str = where) -> None:
            problems.append((shown, Problem(where, message)))

        for conflict_index, conflict, following in conflicts:
            if conflict_index == index:
                report(CONFLICT_MESSAGES[conflict].format(following=following))
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
        for unknown_filter in unknown_filters(syntax, _ENVIRONMENT):
            report(f"line {unknown_filter.line}: {unknown_filter.message}")
        if len(problems) == found:
            versions.append(
                FragmentVersion(
                    effective_from=version.depuis,
                    until=version.jusqu_au,
                    source=version.source,
                    reliability=version.statut,
                    text=version.texte,
                )
            )
    return tuple(versions) if len(versions) == len(ordered) else ()


def _sentence(text: str | None) -> str:
    return (text or "").rstrip(".") + "."


def _shown(path: Path, directory: Path) -> Path:
    """How messages name a file: from the folder holding legal_fragments/."""
    return path.relative_to(directory.parent)
