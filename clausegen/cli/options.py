"""Options and helpers the commands share: dates, the execution files, the sized operation."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

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


class Bounded(click.ParamType):
    """A number written in plain ASCII digits (``60``; ``90.5`` too when ``decimals``) from
    ``low`` to ``high``: never ``inf``, ``nan``, ``1e308``, ``0x10``, ``6_0`` or ``٣``."""

    def __init__(
        self, what: str, low: int, high: int, *, example: str = "", decimals: bool = False
    ) -> None:
        self.what, self.low, self.high, self.decimals = what, low, high, decimals
        self.name = what
        self.example = example or str(low)
        self.range = f"{what} from {low} to {high}"
        self.pattern = re.compile(r"[0-9]+(\.[0-9]+)?" if decimals else r"[0-9]+")

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value  # the default
        text = str(value)
        shown = repr(text if len(text) <= 40 else text[:40] + "…")
        if not self.pattern.fullmatch(text):
            self.fail(
                f"{shown} is not {self.what} written in digits (like {self.example}); "
                f"give {self.range}.",
                param,
                ctx,
            )
        number = Decimal(text)
        if not self.low <= number <= self.high:
            self.fail(f"{shown} is out of range; give {self.range}.", param, ctx)
        return float(number) if self.decimals else int(number)

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return f"{self.low}-{self.high}"


class IsoDate(click.ParamType):
    """A day written YYYY-MM-DD, as a ``datetime`` at midnight; a day the calendar does not
    have (``2026-02-30``) is said as such, not as a format the text does not match."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, datetime):
            return value
        text = str(value)
        shown = repr(text if len(text) <= 40 else text[:40] + "…")
        match = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text)
        if match is None:
            raise click.BadParameter(
                f"{shown} is not a date written YYYY-MM-DD (like 2027-03-15).", ctx, param
            )
        try:
            return datetime.strptime(text, "%Y-%m-%d")
        except ValueError:
            pass
        year, month, _ = (int(part) for part in match.groups())
        if not 1 <= month <= 12:
            why = f"there is no month {month}; write YYYY-MM-DD."
        elif year < 1:
            why = "there is no year 0; write YYYY-MM-DD."
        else:
            days = calendar.monthrange(year, month)[1]
            why = (
                f"{calendar.month_name[month]} {year} has {days} days; write a day that "
                "exists, as YYYY-MM-DD."
            )
        raise click.BadParameter(f"{shown} is not a date: {why}", ctx, param)

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str | None:
        """YYYY-MM-DD after an option; an argument keeps its name (FIRST, SECOND)."""
        return "YYYY-MM-DD" if isinstance(param, click.Option) else None


ISO_DATE = IsoDate()


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
