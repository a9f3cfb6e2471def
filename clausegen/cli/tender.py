"""``clausegen tender``: the CCAP article and the RC mention, and with ``--pdf`` the annex."""

from __future__ import annotations

from pathlib import Path

import click

from clausegen.calibration.calibrate import calibrate
from clausegen.cli.delivery import Delivery, deliver, delivery_options
from clausegen.cli.options import about
from clausegen.cli.produce import tender_files
from clausegen.cli.views.warnings import warning_line
from clausegen.documents.fragments import load_fragments
from clausegen.errors import (
    PdfConversionError,
)
from clausegen.inputs.loading import load_operation
from clausegen.law.parameters import load_parameters
from clausegen.render.outputs import OutputFolder
from clausegen.render.tender_annex import convert_tender


@click.command("tender")
@click.argument("operation", type=click.Path(path_type=Path))
@delivery_options
def tender_command(operation: Path, delivery: Delivery) -> None:
    """Write the tender-file clause of OPERATION: the CCAP article and the RC mention.

    Each DOCX comes with its manifest (the same in its custom properties and in a
    .manifest.json file): input digest, fragment versions, parameters, clausegen's version.
    With --pdf, also their PDFs and the annex for the tender file: CCAP article, RC mention
    and a blank commitment form per lot, bookmarked, in one PDF. The fragment and parameter
    versions they use whose source is not verified are listed on stderr (--strict: refused).
    """
    loaded = load_operation(operation)
    parameters = load_parameters()
    registry = load_fragments()
    templates = delivery.templates
    with about(operation):
        at = loaded.consultation.date_lancement
        calibration = calibrate(loaded, parameters, at)
        tender = tender_files(
            operation,
            loaded,
            calibration,
            registry,
            parameters,
            templates,
            annex=delivery.soffice is not None,
        )

    def convert(
        out: OutputFolder, documents: list[Path]
    ) -> tuple[list[str], PdfConversionError | None]:
        assert tender.pdf is not None and delivery.soffice is not None
        return convert_tender(
            tender.pdf,
            out,
            documents,
            converter=delivery.converter(),
            timeout=delivery.timeout,
            profile=delivery.profile,
        )

    deliver(
        delivery,
        tender.files,
        heading=f"Law as of {at.isoformat()} (launch date); ",
        warnings=tuple(warning_line(w) for w in calibration.avertissements),
        convert=convert,
        manifests=tender.manifests,
        report=True,
    )
