"""Fragments in documents: the context each kind of fragment is written for, the document
plans checked against the fragments, and a fragment's rendered text as paragraphs.

The law layer stores fragments without knowing any document; this module fills in the
registry of fragment contexts (``FRAGMENT_CONTEXTS``) it checks their variables against, so
adding a document kind edits only the documents layer.
"""

from __future__ import annotations

import difflib
from itertools import pairwise
from pathlib import Path

from pydantic import BaseModel

from clausegen.documents.contexts import BlockContext, TenderContext, TermsContext
from clausegen.documents.execution_contexts import (
    BalanceContext,
    CommitmentContext,
    ComplianceContext,
    FindingContext,
)
from clausegen.documents.formatting import typographie
from clausegen.documents.plans import DocumentPlan, load_plans
from clausegen.errors import FragmentDataError, Problem
from clausegen.inputs.bundled import LEGAL_FRAGMENTS, bundled_folder
from clausegen.law.fragments import (
    Fragment,
    FragmentProblems,
    FragmentRegistry,
    ResolvedFragment,
    read_fragments,
)

LEGAL_DIR = bundled_folder(LEGAL_FRAGMENTS)

TERMS = "termes"
"""The kind of the shared fragments: rendered with the ``termes`` of any document's context."""

FRAGMENT_CONTEXTS: dict[str, type[BaseModel]] = {
    "appel_offres": TenderContext,
    "engagement": CommitmentContext,
    "conformite": ComplianceContext,
    "constat": FindingContext,
    "bilan": BalanceContext,
    TERMS: TermsContext,
}
"""The context each kind of fragment is rendered with (the fragment's ``contexte`` key)."""


class DocumentFragments(FragmentRegistry):
    """Every fragment by id, and the plans of the documents made of them."""

    def __init__(self, fragments: list[Fragment], plans: dict[str, DocumentPlan]) -> None:
        super().__init__(fragments)
        self.plans = plans


def load_fragments(directory: Path = LEGAL_DIR) -> DocumentFragments:
    """Every fragment and document plan under ``directory``, checked; all problems at once."""
    problems: FragmentProblems = []
    fragments = read_fragments(directory, FRAGMENT_CONTEXTS, problems)
    plans_path = directory / "documents.yaml"
    plans = load_plans(plans_path, plans_path.relative_to(directory.parent))
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
    return DocumentFragments(list(fragments.values()), plans)


def fragment_blocks(fragment: ResolvedFragment, context: BaseModel) -> list[BlockContext]:
    """The fragment's text for ``context``, as paragraphs and list items in French spacing; a
    shared fragment is rendered with the context's ``termes``."""
    if fragment.context == TERMS and not isinstance(context, TermsContext):
        context = getattr(context, TERMS)
    return typeset(paragraphs(fragment.render_text(context.model_dump())))


def paragraphs(text: str) -> list[BlockContext]:
    """Split rendered text into paragraphs (at blank lines) and list items (``- ``). The
    sentence announcing a list is kept on the page of the list's first item
    (``avec_suivant``), so that a list never starts a page apart from its sentence. The
    chain stops there, and the rest of a list may run over a page break, item by item:
    LibreOffice does not move a chain of kept paragraphs longer than the room left on a
    page, and breaks it inside instead. Kept with the second item too, a first item that
    did not fit left the heading and the sentence alone at the page's foot (the cleaning
    sample's « Modalités de mise en œuvre »)."""
    blocks: list[BlockContext] = []
    lines: list[str] = []

    def close_paragraph() -> None:
        if lines:
            blocks.append(BlockContext(texte=" ".join(lines), liste=False))
            lines.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            close_paragraph()
        elif line.startswith("- "):
            close_paragraph()
            blocks.append(BlockContext(texte=line[2:].strip(), liste=True))
        else:
            lines.append(line)
    close_paragraph()
    kept = [
        block.model_copy(update={"avec_suivant": True})
        if following.liste and not block.liste
        else block
        for block, following in pairwise(blocks)
    ]
    return kept + blocks[-1:]


def typeset(blocks: list[BlockContext]) -> list[BlockContext]:
    """French spacing (``formatting.typographie``) in every paragraph of rendered fragments."""
    return [block.model_copy(update={"texte": typographie(block.texte)}) for block in blocks]
