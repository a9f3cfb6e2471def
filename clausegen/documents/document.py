"""A document from composition to finished: what it says, what produced it, how it is filed.

Each ``compose_*`` function returns a ``ComposedDocument``: its kind, its context, the
fragment versions and parameters behind it, the date the law was read at, and how it is
filed (file stem, author, subject, date). ``finish_document`` adds what the template brings
(the fragments it cites by id, its digest) and the input files' digests, and gives the
``Document`` that ``clausegen.render`` turns into bytes: its context, its manifest and its
properties. Nothing is rendered here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from typing import Any, Protocol

from pydantic import BaseModel

from clausegen.documents.contexts import HeadingContext
from clausegen.documents.fragments import FRAGMENT_CONTEXTS, fragment_blocks
from clausegen.documents.manifest import Calculation, FileDigest, Manifest
from clausegen.law.declaration import LotDeclaration
from clausegen.law.fragments import FragmentRegistry, ResolvedFragment
from clausegen.law.parameters import ResolvedParameter

KEYWORDS = "clause sociale d’insertion; commande publique"
"""The documents' keywords, before the manifest's digest (``keywords``)."""


def keywords(manifest_sha256: str) -> str:
    """A document's keywords: ``KEYWORDS`` and the sha256 of its JSON manifest (the
    ``.manifest.json`` written beside it). The PDF export copies them into its XMP metadata,
    so a PDF names the exact production it came from. Not the DOCX's own digest (a file
    cannot hold its own) nor the PDF's: the manifest is made before both and names every
    input, template, fragment and parameter behind the document."""
    return f"{KEYWORDS}; manifeste sha256:{manifest_sha256}"


class DocumentContext(Protocol):
    """Any document's context: it names its title and nature."""

    @property
    def document(self) -> HeadingContext: ...

    def model_dump(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Filing:
    """How a document is filed: its file stem and its properties."""

    stem: str
    author: str
    subject: str
    created: date


@dataclass(frozen=True)
class ComposedDocument:
    """A document's content and what produced it, before a template is chosen."""

    kind: str
    context: DocumentContext
    fragments: tuple[ResolvedFragment, ...]
    parameters: tuple[ResolvedParameter, ...]
    at: date
    filing: Filing
    closing: date | None = None
    """The date hours are counted up to (compliance statements)."""
    calculations: tuple[Calculation, ...] = ()
    """The traced figures the document states (compliance statements), for its manifest."""
    declarations: tuple[LotDeclaration, ...] = ()
    """The social considerations its lots declare (compliance statements), for its manifest."""

    @property
    def title(self) -> str:
        return self.context.document.titre


@dataclass(frozen=True)
class TemplateReference:
    """What composition needs of a template: its digest and the fragments it cites by id."""

    digest: FileDigest
    cited: tuple[str, ...]


@dataclass(frozen=True)
class Properties:
    """What File › Properties shows: core properties and the custom ones (the manifest)."""

    title: str
    subject: str
    author: str
    keywords: str
    created: datetime
    custom: list[tuple[str, str]]


@dataclass(frozen=True)
class Document:
    """A finished document: everything rendering needs, nothing left to compose."""

    stem: str
    context: DocumentContext
    manifest: Manifest
    properties: Properties

    @property
    def docx_name(self) -> str:
        return f"{self.stem}.docx"

    @property
    def manifest_name(self) -> str:
        return f"{self.stem}.manifest.json"


def finish_document(
    composed: ComposedDocument,
    template: TemplateReference,
    inputs: tuple[FileDigest, ...],
    registry: FragmentRegistry,
) -> Document:
    """``composed`` with its template's cited fragments, its manifest and its properties."""
    composed = cite_fragments(composed, template.cited, registry)
    filing = composed.filing
    manifest = Manifest(
        document=composed.kind,
        output=f"{filing.stem}.docx",
        inputs=inputs,
        template=template.digest,
        at=composed.at,
        fragments=composed.fragments,
        parameters=composed.parameters,
        closing=composed.closing,
        calculations=composed.calculations,
        declarations=composed.declarations,
    )
    heading = composed.context.document
    properties = Properties(
        title=heading.titre
        if heading.titre == heading.nature
        else f"{heading.nature} – {heading.titre}",
        subject=filing.subject,
        author=filing.author,
        keywords=keywords(manifest.sha256),
        created=datetime.combine(filing.created, time(0), tzinfo=UTC),
        custom=manifest.custom_properties(),
    )
    return Document(filing.stem, composed.context, manifest, properties)


def cite_fragments(
    composed: ComposedDocument, fragment_ids: tuple[str, ...], registry: FragmentRegistry
) -> ComposedDocument:
    """``composed`` with the fragments its template cites by id, resolved at its date.

    A buyer's template may place a fragment itself (``fragments["ccap.publics"]``). Each is
    rendered with the part of the document's context its fragment kind is written for, and
    its version joins the document's manifest like any fragment the plan uses.
    """
    if not fragment_ids:
        return composed
    context: BaseModel = composed.context  # type: ignore[assignment]
    resolved = [registry.resolve(fragment_id, composed.at) for fragment_id in fragment_ids]
    cited = {}
    for fragment in resolved:
        model = FRAGMENT_CONTEXTS[registry.get(fragment.id).context]
        part = model.model_validate(context.model_dump(include=set(model.model_fields)))
        cited[fragment.id] = fragment_blocks(fragment, part)
    known = {fragment.citation for fragment in composed.fragments}
    return replace(
        composed,
        context=context.model_copy(update={"fragments": cited}),  # type: ignore[arg-type]
        fragments=composed.fragments + tuple(f for f in resolved if f.citation not in known),
    )
