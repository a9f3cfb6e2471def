"""Where and how a document command writes: ``-o``, ``--templates``, ``--pdf``, ``--strict``."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from clausegen.cli.options import Bounded
from clausegen.cli.unverified import refuse_unverified, unverified_report
from clausegen.documents.manifest import Manifest, UnverifiedVersion, unverified_in
from clausegen.errors import (
    Interrupted,
    OutputError,
    PdfConversionError,
    UnoMissingError,
    escaped,
)
from clausegen.render.converters import (
    UNOSERVERS_ENV,
    WORKERS_MAX,
    default_workers,
    shared_converter,
)
from clausegen.render.converters import Converter as PdfConverter
from clausegen.render.libreoffice import DEFAULT_TIMEOUT, LibreOfficeBatch, find_soffice
from clausegen.render.outputs import OutputFile, OutputFolder, check_output_folder
from clausegen.render.pdf_outputs import with_pdfs
from clausegen.render.pdf_profile import DEFAULT_PROFILE, PROFILES, PdfProfile
from clausegen.render.pool import find_uno_python
from clausegen.render.templates import KIND_FILES, TemplateSet


@dataclass(frozen=True)
class Delivery:
    """Where and how a document command writes: folder, templates, PDF or not."""

    outdir: Path
    templates: TemplateSet
    soffice: str | None
    """LibreOffice, found before anything is rendered when --pdf is asked; else None."""
    timeout: float
    strict: bool = False
    """--strict: refuse documents that depend on a version whose source is not verified."""
    workers: int | None = None
    """--pdf-workers: LibreOffice workers converting at once (default: the number of cores)."""
    profile: PdfProfile = DEFAULT_PROFILE
    """--pdf-profile: the PDF export options (tagged PDF/A-2b, or plain)."""

    def check(self, versions: Sequence[UnverifiedVersion]) -> None:
        """With --strict, an error listing ``versions`` when there are any (before writing)."""
        if self.strict:
            refuse_unverified(versions)

    def converter(self) -> PdfConverter:
        """The process-wide PDF converter: the pool of warm LibreOffice workers (default:
        one per core), or the unoservers of CLAUSEGEN_UNOSERVERS; one LibreOffice batch for
        this command when one worker is asked (--pdf-workers 1, CLAUSEGEN_PDF_WORKERS=1) or
        no Python with LibreOffice's UNO bindings is installed (the batch needs none)."""
        assert self.soffice is not None
        if not os.environ.get(UNOSERVERS_ENV, "").strip():
            if (self.workers or default_workers()) == 1:
                return LibreOfficeBatch(self.soffice)
            try:
                find_uno_python()
            except UnoMissingError:
                return LibreOfficeBatch(self.soffice)
        return shared_converter(workers=self.workers)

    def convert(
        self, out: OutputFolder, documents: list[Path]
    ) -> tuple[list[str], PdfConversionError | None]:
        """The staged ``documents`` as PDF, staged beside them, by the converter pool."""
        assert self.soffice is not None
        conversion = self.converter().convert(
            documents, store=out.adopt, timeout=self.timeout, profile=self.profile
        )
        return [pdf.name for pdf in conversion.pdfs], conversion.error


PDF_TIMEOUT_MAX = 3600
"""--pdf-timeout's upper bound, in seconds: an hour for one document."""
PDF_WORKERS_MAX = WORKERS_MAX
"""--pdf-workers' upper bound."""


class OutputFolderPath(click.Path):
    """``-o``: a folder path; an empty one is a usage error, not the current folder."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value:
            self.fail(
                "an empty path is not a folder; give the folder to write into "
                "(-o . for the current one).",
                param,
                ctx,
            )
        if isinstance(value, str) and "\0" in value:
            self.fail("a path cannot hold a NUL character.", param, ctx)
        return super().convert(value, param, ctx)


def delivery_options(command: Callable[..., None]) -> Callable[..., None]:
    """-o, --templates, --pdf, --pdf-profile, --pdf-timeout and --strict, passed to ``command`` as
    ``delivery``."""

    @functools.wraps(command)
    def wrapper(
        *args: Any,
        outdir: Path,
        templates: Path | None,
        pdf: bool,
        pdf_timeout: float,
        pdf_workers: int | None,
        pdf_profile: str,
        strict: bool,
        **kwargs: Any,
    ) -> None:
        template_set = TemplateSet(templates)
        for path in template_set.unused():
            click.echo(
                f"Warning: [modele] {escaped(str(path))} is not used: a template is named after "
                f"its command ({KIND_FILES}).",
                err=True,
            )
        soffice = find_soffice() if pdf else None
        check_output_folder(outdir)
        delivery = Delivery(
            outdir,
            template_set,
            soffice,
            pdf_timeout,
            strict,
            pdf_workers,
            PdfProfile(pdf_profile),
        )
        if soffice is not None:
            delivery.converter()  # its settings are checked before anything is rendered
        command(*args, delivery=delivery, **kwargs)

    options = [
        click.option(
            "-o",
            "--output",
            "outdir",
            type=OutputFolderPath(path_type=Path),
            required=True,
            help="Folder to write the documents and their manifests into (created if needed); "
            "a command writes all its files or none.",
        ),
        click.option(
            "--templates",
            type=click.Path(exists=True, file_okay=False, path_type=Path),
            help=f"A folder of the buyer's own templates ({KIND_FILES}); a kind missing "
            "there is taken from clausegen's.",
        ),
        click.option(
            "--pdf",
            is_flag=True,
            help="Also write each document as PDF (a pool of warm headless LibreOffice "
            "workers, or the unoserver instances of CLAUSEGEN_UNOSERVERS).",
        ),
        click.option(
            "--pdf-workers",
            type=Bounded("a number of workers", 1, PDF_WORKERS_MAX, example="2"),
            default=None,
            metavar="N",
            help="LibreOffice workers converting at once with --pdf; 1 converts in one "
            "LibreOffice batch [default: CLAUSEGEN_PDF_WORKERS, else the number of cores].",
        ),
        click.option(
            "--pdf-profile",
            type=click.Choice(PROFILES),
            default=DEFAULT_PROFILE.value,
            show_default=True,
            help="How --pdf exports: pdfa-2b-tagged (tagged for assistive technology, "
            "PDF/A-2b for archiving) or plain (LibreOffice's default export).",
        ),
        click.option(
            "--pdf-timeout",
            type=Bounded(
                "a number of seconds", 1, PDF_TIMEOUT_MAX, example="60 or 90.5", decimals=True
            ),
            default=DEFAULT_TIMEOUT,
            show_default=True,
            metavar="SECONDS",
            help="Time LibreOffice may take on one document before it is stopped and retried.",
        ),
        click.option(
            "--strict",
            is_flag=True,
            help="Write nothing if a document depends on a fragment or parameter version "
            "whose source is not verified (status a_verifier or indicatif).",
        ),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


Converter = Callable[[OutputFolder, list[Path]], tuple[list[str], PdfConversionError | None]]
"""Converts the staged DOCX files and stages the PDFs: their names, and a failure if any."""


def deliver(
    delivery: Delivery,
    files: list[OutputFile],
    *,
    heading: str = "",
    warnings: tuple[str, ...] = (),
    convert: Converter | None = None,
    manifests: Sequence[Manifest] = (),
    report: bool = False,
) -> None:
    """Write ``files``, then their PDFs when asked, all or none; list them, warn, report a
    failed PDF (the DOCX files and the PDFs made are written, and counted).

    With --strict, nothing is written when the documents of ``manifests`` depend on an
    unverified version; with ``report``, those versions are listed on stderr.
    """
    unverified = unverified_in(manifests)
    delivery.check(unverified)
    error = None
    try:
        with OutputFolder(delivery.outdir) as out:
            documents = [out.write(output) for output in files]
            names = [Path(output.name) for output in files]
            if delivery.soffice is not None:
                pdfs, error = (convert or delivery.convert)(
                    out, [path for path in documents if path.suffix == ".docx"]
                )
                names = with_pdfs(names, [Path(name) for name in pdfs])
            written = out.commit([name.name for name in names])
    except OutputError as failure:
        raise failure.then("Nothing was written.") from None
    except KeyboardInterrupt:
        raise Interrupted(written="nothing was written.") from None
    try:
        click.echo(f"{heading}{len(written)} files in {escaped(str(delivery.outdir))}:")
        for path in written:
            click.echo(f"  {path.name}")
    except KeyboardInterrupt:
        raise Interrupted(
            written=f"{len(written)} files were written in {escaped(str(delivery.outdir))}."
        ) from None
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    for line in unverified_report(unverified) if report else ():
        click.echo(line, err=True)
    if error is not None:
        raise error
