"""The tender clause as PDF: the CCAP and RC PDFs, and the annex with the commitment forms.

With ``--pdf``, ``clausegen tender`` converts in one LibreOffice batch the CCAP article,
the RC mention and a blank commitment form for each lot carrying the clause, then
assembles the annex (``clausegen.render.annex``) as its plan says
(``clausegen.documents.annex``). The forms live only in the annex: the ``commitment``
command writes them as DOCX for a company to fill in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

from clausegen.documents.annex import AnnexPlan
from clausegen.errors import PdfConversionError
from clausegen.render.annex import AnnexPart, annex_files
from clausegen.render.libreoffice import convert_to_pdf
from clausegen.render.outputs import OutputFile, write_outputs
from clausegen.render.pdf_outputs import docx_only


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
    job: TenderPdf, written: list[Path], *, soffice: str, timeout: float
) -> tuple[list[Path], PdfConversionError | None]:
    """Convert the CCAP, RC and forms in one LibreOffice batch; write the CCAP and RC PDFs
    and, when every part converted, the annex and its manifest beside the DOCX files."""
    outdir = written[0].parent
    forms = [entry.document for entry in job.plan.entries if entry.form]
    with TemporaryDirectory(prefix="clausegen-annex-") as folder:
        staging = Path(folder)
        staged = [staging / form.docx_name for form in forms]
        for path, form in zip(staged, forms, strict=True):
            path.write_bytes(job.files[form.docx_name].content)
        (staging / "pdf").mkdir()
        conversion = convert_to_pdf(
            [*docx_only(written), *staged], staging / "pdf", soffice=soffice, timeout=timeout
        )
        pdfs = {pdf.name: OutputFile(pdf.name, pdf.read_bytes()) for pdf in conversion.pdfs}
    tender = [entry.document for entry in job.plan.entries if not entry.form]
    outputs = [pdfs[f"{d.stem}.pdf"] for d in tender if f"{d.stem}.pdf" in pdfs]
    if conversion.error is None:
        outputs += tender_annex(job, pdfs)
    return write_outputs(outdir, outputs), conversion.error
