"""Statistical confidentiality of the counts of people a buyer-facing document shows.

The threshold N is the dated parameter ``confidentialite.effectif_minimum``. The rule:

- A group (a lot, a company, the whole evaluation) of fewer than N people prints its count
  as ``< N``, no average per person and no date of any of its people; every cell of its
  breakdowns (criteria, sex, age band, situation) reads ``< N`` whatever its value, 0
  included, so that no cell tells which criteria or situations its people have. A group of
  no one prints ``0``: it names no one, and its breakdowns are left out.
- A breakdown lists its fixed, full list of rows (every criterion, both sexes, every age
  band and situation): which rows appear tells nothing.
- In a group of N people or more, a count below N, 0 included, reads ``< N`` (primary
  suppression): a 0 would tell the reader, who knows who works for the company, that
  none of them meets the criterion or is in the situation, the same as a small count tells
  who does.
- A table whose rows partition the people counted (sex, age band, situation at the closing
  date) adds up to the total printed, so a hidden row could be worked out by subtraction.
  The reader knows each ``< N`` row lies between 0 and N − 1 and a masked row (``s``)
  between 0 and the total; from the total, each hidden row then has a least and a greatest
  possible value. While one hidden row has a single possible value, one more row is masked
  (secondary suppression): the smallest row still shown, else a ``< N`` row, which then
  reads ``s``.
- A count of a subset of the people (one eligibility criterion, since a person may meet
  several; the people on several operations) is printed only when both it and the people
  outside it number N or more: below N it reads ``< N``, and when fewer than N people are
  outside it (« 6 of 7 receive RSA ») it reads ``s``, since the total would give them by
  subtraction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from clausegen.documents.formatting import NBSP

PARAMETER = "confidentialite.effectif_minimum"
MASKED = "s"
"""What a row masked so that no other can be worked out reads (« secret »)."""


class Shown(Enum):
    VALUE = "value"
    BELOW = "below"
    MASKED = "masked"


@dataclass(frozen=True)
class ProtectedCount:
    """A count as the statement prints it."""

    value: int
    shown: Shown
    threshold: int

    @property
    def text(self) -> str:
        if self.shown is Shown.VALUE:
            return str(self.value)
        return f"<{NBSP}{self.threshold}" if self.shown is Shown.BELOW else MASKED


def small_group(total: int, threshold: int) -> bool:
    """Whether a group of ``total`` people (some, fewer than ``threshold``) is printed as
    ``< N``, with no average, no date and every breakdown cell alike."""
    return 0 < total < threshold


def protect_group(total: int, threshold: int) -> ProtectedCount:
    """The count of a whole group: ``0`` for no one, ``< N`` below the threshold."""
    shown = Shown.BELOW if small_group(total, threshold) else Shown.VALUE
    return ProtectedCount(total, shown, threshold)


def protect_subsets(counts: Sequence[int], total: int, threshold: int) -> list[ProtectedCount]:
    """Counts of subsets of a group of ``total`` people (criteria: a person may meet
    several): ``< N`` below the threshold, ``s`` when fewer than N people are outside."""
    return [_subset(count, total, threshold) for count in counts]


def protect_partition(counts: Sequence[int], threshold: int) -> list[ProtectedCount]:
    """Counts that add up to the group's total: primary, then secondary suppression (a
    small group's total is not printed: every cell then reads ``< N``)."""
    cells = [_primary(count, threshold) for count in counts]
    total = sum(counts)
    if small_group(total, threshold):
        return cells
    while total and any(low == high for low, high in bounds(cells, total)):
        index = _next_to_mask(cells)
        if index is None:
            break  # a one-row table: its only row is the total itself
        cells[index] = _mask(cells[index])
    return cells


def bounds(cells: Sequence[ProtectedCount], total: int) -> list[tuple[int, int]]:
    """The least and greatest value a reader can work out for each hidden cell, from the
    total and what the other cells show; a shown cell's bounds are its value."""
    limits = [_reader_limits(cell, total) for cell in cells]
    hidden_sum = total - sum(c.value for c in cells if c.shown is Shown.VALUE)
    result = []
    for index, (low, high) in enumerate(limits):
        if cells[index].shown is Shown.VALUE:
            result.append((low, high))
            continue
        others = [limit for i, limit in enumerate(limits) if i != index and _hidden(cells[i])]
        least = max(low, hidden_sum - sum(h for _, h in others))
        greatest = min(high, hidden_sum - sum(lo for lo, _ in others))
        result.append((least, greatest))
    return [b for cell, b in zip(cells, result, strict=True) if _hidden(cell)]


def _subset(count: int, total: int, threshold: int) -> ProtectedCount:
    if count < threshold or small_group(total, threshold):
        return ProtectedCount(count, Shown.BELOW, threshold)
    if total - count < threshold:
        return ProtectedCount(count, Shown.MASKED, threshold)
    return ProtectedCount(count, Shown.VALUE, threshold)


def _primary(count: int, threshold: int) -> ProtectedCount:
    shown = Shown.BELOW if count < threshold else Shown.VALUE
    return ProtectedCount(count, shown, threshold)


def _hidden(cell: ProtectedCount) -> bool:
    return cell.shown is not Shown.VALUE


def _reader_limits(cell: ProtectedCount, total: int) -> tuple[int, int]:
    if cell.shown is Shown.VALUE:
        return (cell.value, cell.value)
    if cell.shown is Shown.BELOW:
        return (0, cell.threshold - 1)
    return (0, total)


def _next_to_mask(cells: Sequence[ProtectedCount]) -> int | None:
    """The smallest row still shown; when none is, the largest ``< N`` row; None when
    every row is masked already or there is a single row."""
    if len(cells) < 2:
        return None
    shown = [i for i, cell in enumerate(cells) if cell.shown is Shown.VALUE]
    if shown:
        return min(shown, key=lambda i: (cells[i].value, i))
    below = [i for i, cell in enumerate(cells) if cell.shown is Shown.BELOW]
    if below:
        return max(below, key=lambda i: (cells[i].value, -i))
    return None


def _mask(cell: ProtectedCount) -> ProtectedCount:
    return ProtectedCount(cell.value, Shown.MASKED, cell.threshold)
