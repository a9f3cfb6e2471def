"""Merging PDFs into one, keeping what LibreOffice's tagged PDF/A export put in each (pikepdf).

A page-by-page merge (pypdf's ``append``) keeps the pages and drops everything the catalog
holds: the structure tree, ``/MarkInfo``, ``/Lang``, the XMP metadata, the output intent. Here
the first part's catalog is kept (language, output intent, XMP with ``pdfaid``, viewer
preferences), the pages of the others are added after its own, and their structure trees are
carried over: each part's ``Document`` element becomes a ``Part`` (titled with its bookmark)
under one new ``Document`` element, in the parts' order, which is the reading order; each page's
``/StructParents`` (and each annotation's ``/StructParent``) is shifted past the keys already
taken so that the parent tree stays one number tree. Role maps are merged. The parts' own
outlines are left out: the caller writes the merged document's.

Parts without a structure tree (the ``plain`` profile) merge the same way; the result then
has none either.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, NumberTree, Object, Pdf


@dataclass(frozen=True)
class MergePart:
    """One PDF to merge and the title its ``Part`` structure element takes."""

    pdf: bytes
    title: str


def merge(parts: Sequence[MergePart]) -> tuple[Pdf, list[tuple[int, int]]]:
    """One PDF of ``parts`` in order, and each part's first and last page (0-based)."""
    if not parts:
        raise ValueError("nothing to merge")
    merged = Pdf.open(io.BytesIO(parts[0].pdf))
    root = merged.Root
    for key in ("/Outlines", "/PageLabels", "/Names", "/OpenAction"):
        if key in root:
            del root[key]
    tree = root.get("/StructTreeRoot")
    document = None
    entries: dict[int, Object] = {}
    # the merged parent tree: each key's marked-content parents
    if tree is not None:
        document = merged.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Document, P=tree, K=Array())
        )
        parent_tree = NumberTree(tree.ParentTree)
        entries = {int(key): value for key, value in parent_tree.items()}
        _adopt(merged, document, tree, parts[0].title)
        tree.K = document
    ranges = [(0, len(merged.pages) - 1)]
    for part in parts[1:]:
        source = Pdf.open(io.BytesIO(part.pdf))
        first = len(merged.pages)
        offset = max(entries) + 1 if entries else 0
        source_tree = source.Root.get("/StructTreeRoot")
        if tree is not None and source_tree is not None:
            _shift_struct_parents(source, offset)
        merged.pages.extend(source.pages)
        ranges.append((first, len(merged.pages) - 1))
        if tree is None or source_tree is None or document is None:
            continue
        copied = merged.copy_foreign(source_tree)
        for key, value in NumberTree(copied.ParentTree).items():
            entries[int(key) + offset] = value
        _adopt(merged, document, copied, part.title)
        for role, standard in dict(copied.get("/RoleMap", Dictionary())).items():
            roles = tree.get("/RoleMap")
            if roles is None:
                tree.RoleMap = roles = Dictionary()
            if role not in roles:
                roles[role] = standard
    if tree is not None:
        tree.ParentTree = merged.make_indirect(
            Dictionary(
                Nums=Array([item for key in sorted(entries) for item in (key, entries[key])])
            )
        )
        tree.ParentTreeNextKey = (max(entries) + 1) if entries else 0
        if "/IDTree" in tree:
            del tree["/IDTree"]
    return merged, ranges


def _adopt(pdf: Pdf, document: Dictionary, tree: Dictionary, title: str) -> None:
    """``tree``'s ``Document`` element made a ``Part`` titled ``title`` under ``document``
    (other top elements are put in a new ``Part``)."""
    kids = tree.K if isinstance(tree.K, Array) else Array([tree.K])
    loose = Array()
    for kid in kids:
        if isinstance(kid, Dictionary) and kid.get("/S") == Name.Document:
            kid.S, kid.T, kid.P = Name.Part, pikepdf.String(title), document
            document.K.append(kid)
        else:
            loose.append(kid)
    if len(loose):
        part = pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Part, P=document, T=pikepdf.String(title))
        )
        for kid in loose:
            if isinstance(kid, Dictionary):
                kid.P = part
        part.K = loose
        document.K.append(part)


def _shift_struct_parents(source: Pdf, offset: int) -> None:
    """Every ``/StructParents`` and ``/StructParent`` of ``source``'s pages moved by
    ``offset``, so its parent-tree keys follow those of the PDF it joins."""
    for page in source.pages:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annotation in page.obj.get("/Annots", Array()):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset
