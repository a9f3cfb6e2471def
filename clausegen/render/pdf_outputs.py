"""A command's files with each document's PDF placed after its DOCX and manifest."""

from __future__ import annotations

from clausegen.render.outputs import OutputFile


def docx_only(files: list[OutputFile]) -> list[OutputFile]:
    """The documents among ``files`` (not their manifests)."""
    return [output for output in files if output.name.endswith(".docx")]


def with_pdfs(files: list[OutputFile], pdfs: list[OutputFile]) -> list[OutputFile]:
    """``files`` (each ``stem.docx`` then ``stem.manifest.json``) with ``stem.pdf`` after."""
    by_stem = {pdf.name.removesuffix(".pdf"): pdf for pdf in pdfs}
    result: list[OutputFile] = []
    for output in files:
        result.append(output)
        stem = output.name.removesuffix(".manifest.json")
        if stem != output.name and stem in by_stem:
            result.append(by_stem[stem])
    return result
