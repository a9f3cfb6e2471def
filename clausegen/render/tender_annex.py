"""The tender clause as PDF: the CCAP and RC PDFs, and the annex with the commitment forms.

With ``--pdf``, ``clausegen tender`` converts in one LibreOffice batch the CCAP article,
the RC mention and a blank commitment form for each lot carrying the clause, then
assembles the annex (``clausegen.render.annex``) as its plan says
(``clausegen.documents.annex``). The forms live only in the annex: the ``commitment``
command writes them as DOCX for a company to fill in.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from clausegen.documents.annex import AnnexPlan
from clausegen.errors import OutputError, PdfConversionError
from clausegen.render.annex import STEM, AnnexPart, annex_files
from clausegen.render.converters import Converter
from clausegen.render.outputs import OutputFile, OutputFolder, advice
from clausegen.render.pdf_profile import DEFAULT_PROFILE, PdfProfile

ANNEX_PDF = f"{STEM}.pdf"


@dataclass(frozen=True)
class TenderPdf:
    """What the PDF step of ``tender`` needs besides the written DOCX files: the annex's plan
    and every part's rendered files (DOCX and manifest), by name."""

    plan: AnnexPlan
    files: dict[str, OutputFile]

    def part(self, index: int, pdfs: dict[str, OutputFile]) -> AnnexPart:
        entry = self.plan.entries[index]
        document = entry.document
        return AnnexPart(
            bookmark=entry.bookmark,
            label=entry.label,
            docx=self.files[document.docx_name],
            manifest=self.files[document.manifest_name],
            pdf=pdfs[f"{document.stem}.pdf"],
            form=entry.form,
        )


def tender_annex(job: TenderPdf, pdfs: dict[str, OutputFile]) -> list[OutputFile]:
    """The annex PDF and its manifest, from the converted documents (``pdfs`` by name)."""
    parts = [job.part(index, pdfs) for index in range(len(job.plan.entries))]
    return annex_files(parts, job.plan)


def convert_tender(
    job: TenderPdf,
    out: OutputFolder,
    documents: list[Path],
    *,
    converter: Converter,
    timeout: float,
    profile: PdfProfile = DEFAULT_PROFILE,
) -> tuple[list[str], PdfConversionError | None]:
    """Convert the CCAP, RC (``documents``, staged in ``out``) and forms with ``converter``;
    stage the CCAP and RC PDFs and, when every part converted, the annex and its
    manifest. The names staged, and the conversion's failure, counting what was staged."""
    forms = [entry.document for entry in job.plan.entries if entry.form]
    try:
        work = out.scratch("annexe")
        staged = [work / form.docx_name for form in forms]
        for path, form in zip(staged, forms, strict=True):
            path.write_bytes(job.files[form.docx_name].content)
        (work / "pdf").mkdir()
    except OSError as error:
        raise OutputError(path=out.folder / ANNEX_PDF, reason=advice(error)) from error

    def store(pdf: Path) -> Path:
        try:
            return Path(shutil.move(pdf, work / "pdf" / pdf.name))
        except OSError as error:
            raise OutputError(path=out.folder / ANNEX_PDF, reason=advice(error)) from error

    conversion = converter.convert(
        [*documents, *staged], store=store, timeout=timeout, profile=profile
    )
    pdfs = {pdf.name: OutputFile(pdf.name, pdf.read_bytes()) for pdf in conversion.pdfs}
    tender = [f"{entry.document.stem}.pdf" for entry in job.plan.entries if not entry.form]
    outputs = [pdfs[name] for name in tender if name in pdfs]
    error = conversion.error
    if error is None:
        outputs += tender_annex(job, pdfs)
    else:
        missing = (*(name for name in tender if name not in pdfs), ANNEX_PDF)
        error = PdfConversionError(
            document=error.document, reason=error.reason, converted=len(outputs), missing=missing
        )
    for output in outputs:
        out.write(output)
    return [output.name for output in outputs], error
