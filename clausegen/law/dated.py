"""Dated versions: values keyed by effective date, each in force until the next one or its end.

Parameters and legal fragments are both kept this way (OpenFisca's dated parameters are the
model): a version takes effect on ``effective_from`` and stays in force until the next
version takes effect or, when it has one, until its last day ``until``. Looking a value up
at a date gives the newest version in force that day, or None.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Generic, Protocol, TypeVar


class Reliability(StrEnum):
    """How sure a version's legal reference is (domain.md's [V], [M] and [U] tags)."""

    VERIFIE = "verifie"
    A_VERIFIER = "a_verifier"
    INDICATIF = "indicatif"

    @property
    def label(self) -> str:
        return {
            "verifie": "vérifié",
            "a_verifier": "à vérifier",
            "indicatif": "valeur indicative",
        }[self.value]


class Dated(Protocol):
    """What a version needs to be looked up by date."""

    @property
    def effective_from(self) -> date: ...

    @property
    def until(self) -> date | None: ...


Version = TypeVar("Version", bound=Dated)


class DateConflict(StrEnum):
    """Why a list of versions is inconsistent."""

    SAME_DATE = "same_date"  # two versions take effect on one date
    ENDS_BEFORE_START = "ends_before_start"  # a version's last day is before its first
    OVERLAPS_NEXT = "overlaps_next"  # a version's last day is on or after the next one's first


@dataclass(frozen=True)
class DatedVersions(Generic[Version]):
    """The versions of one value, oldest first."""

    versions: tuple[Version, ...]

    @property
    def first(self) -> Version:
        return self.versions[0]

    def __iter__(self) -> Iterator[Version]:
        return iter(self.versions)

    def __getitem__(self, index: int) -> Version:
        return self.versions[index]

    def __len__(self) -> int:
        return len(self.versions)

    def last_day_before(self, when: date) -> date | None:
        """The last day of the version that ended before ``when``, if one did."""
        in_force = [v for v in self.versions if v.effective_from <= when]
        return in_force[-1].until if in_force and in_force[-1].until is not None else None

    def index(self, version: Version) -> int:
        return self.versions.index(version)

    def at(self, when: date) -> Version | None:
        """The newest version in force at ``when``, or None (before the first, after an end)."""
        in_force = [v for v in self.versions if v.effective_from <= when]
        if not in_force:
            return None
        newest = in_force[-1]
        return None if newest.until is not None and newest.until < when else newest


def date_conflicts(ordered: Sequence[Dated]) -> list[tuple[int, DateConflict, date | None]]:
    """(index, conflict, the next version's date) for each inconsistency of ``ordered``."""
    conflicts: list[tuple[int, DateConflict, date | None]] = []
    for index, version in enumerate(ordered):
        following = ordered[index + 1].effective_from if index + 1 < len(ordered) else None
        if index and ordered[index - 1].effective_from == version.effective_from:
            conflicts.append((index, DateConflict.SAME_DATE, following))
        if version.until is not None and version.until < version.effective_from:
            conflicts.append((index, DateConflict.ENDS_BEFORE_START, following))
        if version.until is not None and following and version.until >= following:
            conflicts.append((index, DateConflict.OVERLAPS_NEXT, following))
    return conflicts
