"""The tender clause as PDF: the CCAP and RC PDFs, and the annex with the commitment forms.

With ``--pdf``, ``clausegen tender`` converts in one LibreOffice batch the CCAP article,
the RC mention and a blank commitment form for each lot carrying the clause, then
assembles the annex (``clausegen.render.annex``). The forms live only in the annex: the
``commitment`` command writes them as DOCX for a company to fill in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

from clausegen.calibrage import Calibrage
from clausegen.errors import PdfConversionError
from clausegen.fragments import FragmentRegistry
from clausegen.manifest import FileDigest
from clausegen.model import Operation
from clausegen.parameters import ParameterSet
from clausegen.render.annex import AnnexInfo, AnnexPart, annex_files
from clausegen.render.execution import CommitmentRenderer
from clausegen.render.libreoffice import convert_to_pdf
from clausegen.render.outputs import OutputFile, write_outputs
from clausegen.render.pdf_outputs import docx_only
from clausegen.render.templates import TemplateSet
from clausegen.render.tender import FILE_STEMS

PART_LABELS = {"ccap": "CCAP", "rc": "RC"}


@dataclass(frozen=True)
class LotForm:
    """The blank commitment form of one lot: its DOCX and manifest."""

    numero: int
    intitule: str
    docx: OutputFile
    manifest: OutputFile


def blank_forms(
    operation: Operation,
    calibrage: Calibrage,
    inputs: tuple[FileDigest, ...],
    registry: FragmentRegistry,
    parameters: ParameterSet,
    templates: TemplateSet,
) -> list[LotForm]:
    """A blank commitment form for every lot that carries the clause, in lot order."""
    render = CommitmentRenderer(operation, calibrage, inputs, registry, parameters, templates)
    forms = []
    for lot in calibrage.lots:
        if lot.retenu:
            docx, manifest = render(lot.numero, None)
            forms.append(LotForm(lot.numero, lot.intitule, docx, manifest))
    return forms


def tender_annex(
    operation: Operation,
    calibrage: Calibrage,
    registry: FragmentRegistry,
    tender: list[OutputFile],
    forms: list[LotForm],
    pdfs: dict[str, OutputFile],
) -> list[OutputFile]:
    """The annex PDF and its manifest, from the converted documents (``pdfs`` by name)."""
    by_name = {output.name: output for output in tender}
    parts = [
        AnnexPart(
            bookmark=registry.plans[kind].nature,
            label=PART_LABELS[kind],
            docx=by_name[f"{stem}.docx"],
            manifest=by_name[f"{stem}.manifest.json"],
            pdf=pdfs[f"{stem}.pdf"],
        )
        for kind, stem in FILE_STEMS.items()
    ]
    parts += [
        AnnexPart(
            bookmark=f"Lot {form.numero} – {form.intitule}",
            label=f"Lot {form.numero}",
            docx=form.docx,
            manifest=form.manifest,
            pdf=pdfs[form.docx.name.removesuffix(".docx") + ".pdf"],
            form=True,
        )
        for form in forms
    ]
    consultation = operation.consultation
    info = AnnexInfo(
        title="Clause sociale d'insertion – annexe au dossier de consultation",
        subject=f"{consultation.reference} – {consultation.objet}",
        author=operation.acheteur.nom,
        at=calibrage.date_reference.isoformat(),
    )
    return annex_files(parts, info)


@dataclass(frozen=True)
class TenderPdf:
    """What the PDF step of ``tender`` needs besides the written DOCX files."""

    operation: Operation
    calibrage: Calibrage
    registry: FragmentRegistry
    tender: list[OutputFile]
    forms: list[LotForm]


def convert_tender(
    job: TenderPdf, written: list[Path], *, soffice: str, timeout: float
) -> tuple[list[Path], PdfConversionError | None]:
    """Convert the CCAP, RC and forms in one LibreOffice batch; write the CCAP and RC PDFs
    and, when every part converted, the annex and its manifest beside the DOCX files."""
    outdir = written[0].parent
    with TemporaryDirectory(prefix="clausegen-annex-") as folder:
        staging = Path(folder)
        forms = [staging / form.docx.name for form in job.forms]
        for path, form in zip(forms, job.forms, strict=True):
            path.write_bytes(form.docx.content)
        (staging / "pdf").mkdir()
        conversion = convert_to_pdf(
            [*docx_only(written), *forms], staging / "pdf", soffice=soffice, timeout=timeout
        )
        pdfs = {pdf.name: OutputFile(pdf.name, pdf.read_bytes()) for pdf in conversion.pdfs}
    outputs = [pdfs[f"{stem}.pdf"] for stem in FILE_STEMS.values() if f"{stem}.pdf" in pdfs]
    if conversion.error is None:
        outputs += tender_annex(
            job.operation, job.calibrage, job.registry, job.tender, job.forms, pdfs
        )
    return write_outputs(outdir, outputs), conversion.error
