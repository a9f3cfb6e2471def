"""The hours charts: hours required, committed and realised per lot (the compliance
statement) or per operation (the evaluation), as PNG.

Drawn with matplotlib's Agg canvas directly (no pyplot global state), with the DejaVu Sans
font matplotlib ships and no PNG metadata, so the same figures give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from clausegen.documents.formatting import NBSP, NNBSP, hours, number

SERIES = (
    ("Heures requises", "requis", "#9AA5B1"),
    ("Heures engagées", "engage", "#1F3A68"),
    ("Heures réalisées", "realise", "#3C9D5D"),
)
WIDTH_INCHES, HEIGHT_INCHES, DPI = 6.3, 3.0, 150


@dataclass(frozen=True)
class LotBars:
    """The figures the chart shows for one lot."""

    lot: int
    requis: Decimal
    engage: Decimal
    realise: Decimal


def hours_chart(lots: Sequence[LotBars], names: Sequence[str] | None = None) -> bytes:
    """Grouped bars, one group per lot (or per item of ``names``), each bar labelled with
    its hours."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    width = 0.8 / len(SERIES)
    positions = range(len(lots))
    for index, (label, attribute, colour) in enumerate(SERIES):
        values = [float(getattr(lot, attribute)) for lot in lots]
        offsets = [p + (index - 1) * width for p in positions]
        bars = axes.bar(offsets, values, width, label=label, color=colour)
        axes.bar_label(
            bars,
            labels=[_hours(getattr(lot, attribute)) for lot in lots],
            fontsize=7,
            padding=2,
        )
    ticks = list(names) if names is not None else [f"Lot {lot.lot}" for lot in lots]
    axes.set_xticks(list(positions), ticks, fontsize=8)
    axes.set_ylabel("Heures", fontsize=8)
    axes.tick_params(axis="y", labelsize=7)
    axes.yaxis.set_major_formatter(lambda value, _position: _plain(number(Decimal(str(value)))))
    axes.spines[["top", "right"]].set_visible(False)
    axes.margins(y=0.15)
    axes.legend(fontsize=7, frameon=False, loc="upper center", ncols=3, bbox_to_anchor=(0.5, 1.15))
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def chart_description(lots: Sequence[LotBars], names: Sequence[str] | None = None) -> str:
    """The chart in one French sentence with its figures: its alternative text, read by
    assistive technology in place of the picture. With ``names`` (as ``hours_chart``), its
    groups are operations, each named."""
    groups = f"{NNBSP}; ".join(
        f"{_group(lot, names)}, {hours(lot.requis, 2)} requises, "
        f"{hours(lot.engage, 2)} engagées et {hours(lot.realise, 2)} réalisées"
        for lot in lots
    )
    subject = "par lot" if names is None else "par opération"
    return f"Heures d’insertion {subject} (graphique en barres){NBSP}: {groups}."


def _group(lot: LotBars, names: Sequence[str] | None) -> str:
    """A group of bars as the sentence names it: « lot 2 », or its item of ``names``."""
    return f"lot{NBSP}{lot.lot}" if names is None else names[lot.lot - 1]


def _hours(value: Decimal) -> str:
    return _plain(number(value, 2, exact=True))


def _plain(text: str) -> str:
    """Plain spaces in the chart's numbers: its labels never wrap."""
    return text.replace(NNBSP, " ").replace(NBSP, " ")
