"""Options and helpers the commands share: dates, the execution files, the sized operation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import click

from clausegen.calibration.calibrate import Calibration, calibrate
from clausegen.errors import (
    CalibrationError,
    CompositionError,
    FragmentNotInForceError,
    ParameterNotInForceError,
)
from clausegen.inputs.loading import load_operation
from clausegen.inputs.operation import Operation
from clausegen.law.parameters import ParameterSet, load_parameters


@contextmanager
def about(path: Path) -> Iterator[None]:
    """Name the input file in the errors the core raises about its content (same error)."""
    try:
        yield
    except (
        CalibrationError,
        CompositionError,
        FragmentNotInForceError,
        ParameterNotInForceError,
    ) as error:
        raise error.about(path) from None


ISO_DATE = click.DateTime(formats=["%Y-%m-%d"])


def day(value: datetime | None) -> date | None:
    """The date of an ``ISO_DATE`` option, or None."""
    return value.date() if value is not None else None


LEDGER = click.option(
    "--ledger",
    type=click.Path(path_type=Path),
    required=True,
    help="The hours ledger, .csv or .xlsx: one row per participant, lot, month and modality.",
)
PARTICIPANTS = click.option(
    "--participants",
    "participants_file",
    type=click.Path(path_type=Path),
    required=True,
    help="The participants file (.yaml or .json).",
)


def sized(operation: Path) -> tuple[Operation, ParameterSet, Calibration]:
    """The operation file loaded, the parameters, and the operation sized at its launch date."""
    loaded = load_operation(operation)
    parameters = load_parameters()
    with about(operation):
        calibration = calibrate(loaded, parameters, loaded.consultation.date_lancement)
    return loaded, parameters, calibration
