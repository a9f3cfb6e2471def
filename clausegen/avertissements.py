"""Warnings a sizing returns alongside its figures."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Avertissement:
    """Something the buyer must look at; ``code`` is stable for scripts."""

    code: str
    message: str
    lots: tuple[int, ...] = ()
