"""Where and how a document command writes: ``-o``, ``--templates``, ``--pdf``, ``--strict``."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from clausegen.cli.unverified import refuse_unverified, unverified_report
from clausegen.documents.manifest import Manifest, UnverifiedVersion, unverified_in
from clausegen.errors import (
    PdfConversionError,
)
from clausegen.render.libreoffice import (
    DEFAULT_TIMEOUT,
    convert_to_pdf,
    find_soffice,
)
from clausegen.render.outputs import OutputFile, write_outputs
from clausegen.render.pdf_outputs import docx_only, with_pdfs
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

    def check(self, versions: Sequence[UnverifiedVersion]) -> None:
        """With --strict, an error listing ``versions`` when there are any (before writing)."""
        if self.strict:
            refuse_unverified(versions)

    def convert(self, written: list[Path]) -> tuple[list[Path], PdfConversionError | None]:
        """The written documents as PDF, beside them, in one LibreOffice batch."""
        assert self.soffice is not None
        conversion = convert_to_pdf(
            docx_only(written), self.outdir, soffice=self.soffice, timeout=self.timeout
        )
        return conversion.pdfs, conversion.error


def delivery_options(command: Callable[..., None]) -> Callable[..., None]:
    """-o, --templates, --pdf, --pdf-timeout and --strict, passed to ``command`` as
    ``delivery``."""

    @functools.wraps(command)
    def wrapper(
        *args: Any,
        outdir: Path,
        templates: Path | None,
        pdf: bool,
        pdf_timeout: float,
        strict: bool,
        **kwargs: Any,
    ) -> None:
        template_set = TemplateSet(templates)
        for path in template_set.unused():
            click.echo(
                f"Warning: [modele] {path} is not used: a template is named after its "
                f"command ({KIND_FILES}).",
                err=True,
            )
        soffice = find_soffice() if pdf else None
        delivery = Delivery(outdir, template_set, soffice, pdf_timeout, strict)
        command(*args, delivery=delivery, **kwargs)

    options = [
        click.option(
            "-o",
            "--output",
            "outdir",
            type=click.Path(path_type=Path),
            required=True,
            help="Folder to write the documents and their manifests into (created if needed).",
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
            help="Also write each document as PDF (headless LibreOffice, one process).",
        ),
        click.option(
            "--pdf-timeout",
            type=click.FloatRange(min=1),
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


Converter = Callable[[list[Path]], tuple[list[Path], PdfConversionError | None]]


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
    """Write ``files``, then their PDFs when asked; list them, warn, report a failed PDF.

    With --strict, nothing is written when the documents of ``manifests`` depend on an
    unverified version; with ``report``, those versions are listed on stderr.
    """
    unverified = unverified_in(manifests)
    delivery.check(unverified)
    written = write_outputs(delivery.outdir, files)
    error = None
    if delivery.soffice is not None:
        pdfs, error = (convert or delivery.convert)(written)
        written = with_pdfs(written, pdfs)
    click.echo(f"{heading}{len(written)} files in {delivery.outdir}:")
    for path in written:
        click.echo(f"  {path.name}")
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    for line in unverified_report(unverified) if report else ():
        click.echo(line, err=True)
    if error is not None:
        raise error
