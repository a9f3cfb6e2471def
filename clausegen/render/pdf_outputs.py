"""A command's written files with each document's PDF placed after its DOCX and manifest."""

from __future__ import annotations

from pathlib import Path


def docx_only(paths: list[Path]) -> list[Path]:
    """The documents among ``paths`` (not their manifests)."""
    return [path for path in paths if path.suffix == ".docx"]


def with_pdfs(paths: list[Path], pdfs: list[Path]) -> list[Path]:
    """``paths`` (each ``stem.docx`` then ``stem.manifest.json``) with ``stem.pdf`` after;
    PDFs of no listed document (the annex) come last."""
    by_stem = {pdf.stem: pdf for pdf in pdfs}
    result: list[Path] = []
    for path in paths:
        result.append(path)
        stem = path.name.removesuffix(".manifest.json")
        if stem != path.name and stem in by_stem:
            result.append(by_stem.pop(stem))
    return result + list(by_stem.values())
