"""Composing the tender annex: which documents it holds, in which order, bookmarked how.

The annex for the tender file holds the CCAP article, the RC mention, then a blank
commitment form for each lot that carries the clause. Its parts are finished documents;
``clausegen.render.tender_annex`` converts and assembles them into one PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from clausegen.calibration.calibrate import CalibratedLot
from clausegen.documents.common_contexts import subject_of
from clausegen.documents.document import Document
from clausegen.documents.fragments import DocumentFragments
from clausegen.inputs.operation import Operation

TITLE = "Clause sociale d’insertion – annexe au dossier de consultation"
PART_LABELS = {"ccap": "CCAP", "rc": "RC"}


@dataclass(frozen=True)
class AnnexEntry:
    """One document of the annex, its bookmark and its page-label prefix."""

    document: Document
    bookmark: str
    label: str
    form: bool = False
    """A commitment form: bookmarked under the forms' own bookmark."""


@dataclass(frozen=True)
class AnnexPlan:
    """The annex's parts in order and its own metadata."""

    entries: tuple[AnnexEntry, ...]
    title: str
    subject: str
    author: str
    at: str
    """The date the law was resolved at (ISO), as in the parts' manifests."""


def plan_annex(
    operation: Operation,
    registry: DocumentFragments,
    tender: Sequence[Document],
    forms: Sequence[tuple[CalibratedLot, Document]],
) -> AnnexPlan:
    """The annex of ``tender`` (the CCAP article, then the RC mention) and the lots' ``forms``."""
    entries = [
        AnnexEntry(
            document,
            bookmark=registry.plans[document.manifest.document].nature,
            label=PART_LABELS[document.manifest.document],
        )
        for document in tender
    ]
    entries += [
        AnnexEntry(
            document,
            bookmark=f"Lot {lot.numero} – {lot.intitule}",
            label=f"Lot {lot.numero}",
            form=True,
        )
        for lot, document in forms
    ]
    return AnnexPlan(
        entries=tuple(entries),
        title=TITLE,
        subject=subject_of(operation),
        author=operation.acheteur.nom,
        at=tender[0].manifest.at.isoformat(),
    )
