"""Calculation traces, kept as data: the steps of a figure and the parameters it read.

A ``Trace`` is what clausegen shows when asked how it got a number: each step with its
formula, its operands (each with where it came from) and its result, and every dated
parameter read, with its value, effective date and reference. Views (French text, JSON)
are built from it elsewhere; the last step's result is always the figure itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from clausegen.law.parameters import ParameterSet, ResolvedParameter

YES_NO = "oui/non"
"""The unit of a step whose result is a yes (1) or no (0) finding."""

DATE = "date"
"""The unit of an operand holding an ISO date (``"2026-09-15"``)."""


class Origin(StrEnum):
    """Where an operand's value comes from."""

    SAISIE = "saisie"  # the operation file (ref = field path)
    PARAMETRE = "parametre"  # a dated parameter (ref = parameter id)
    ETAPE = "etape"  # a step's result: of this trace (ref = step number), or the last step
    # of the figure's own trace, attached as ``Operand.trace`` (ref = the figure's name)
    LOT = "lot"  # a figure of a sized lot (ref = lot number)
    ENGAGEMENT = "engagement"  # a company's commitment file (ref = file and field)
    REGISTRE = "registre"  # the hours ledger (ref = file and the rows summed)
    COMPTES_RENDUS = "comptes_rendus"  # the statements received (ref = file and row)


@dataclass(frozen=True)
class Operand:
    """A named value a step uses, and where it comes from."""

    name: str
    value: Decimal | bool | str
    origin: Origin
    ref: str
    unit: str | None = None
    trace: Trace | None = field(default=None, compare=False, repr=False)
    """The trace of the figure this value is (a child node), when it was calculated apart."""


@dataclass(frozen=True)
class Step:
    """One calculation: a French label, a formula, its operands and its result."""

    number: int
    label: str
    formula: str
    operands: tuple[Operand, ...]
    result: Decimal
    unit: str | None = None


@dataclass(frozen=True)
class Trace:
    """The steps of one figure and the parameters they read."""

    steps: tuple[Step, ...]
    parameters: tuple[ResolvedParameter, ...]

    @property
    def result(self) -> Decimal:
        return self.steps[-1].result

    def children(self) -> list[Trace]:
        """The traces of the figures this one is calculated from (its operands' own traces)."""
        return [
            operand.trace
            for step in self.steps
            for operand in step.operands
            if operand.trace is not None
        ]

    def as_operand(self, name: str, unit: str | None = None) -> Operand:
        """This figure as an operand of another calculation, pointing back to this trace."""
        return Operand(name, self.result, Origin.ETAPE, name, unit, trace=self)


@dataclass
class TraceBuilder:
    """Records steps and parameter reads while a figure is calculated."""

    parameters: ParameterSet
    at: date
    _steps: list[Step] = field(default_factory=list)
    _read: dict[str, ResolvedParameter] = field(default_factory=dict)
    _results: list[Operand] = field(default_factory=list)

    def parameter(self, parameter_id: str, name: str) -> Operand:
        """Resolve a parameter at the trace's date, record the citation, return an operand."""
        resolved = self.parameters.resolve(parameter_id, self.at)
        self._read[parameter_id] = resolved
        return Operand(name, resolved.value, Origin.PARAMETRE, parameter_id, resolved.unit)

    def step(
        self,
        label: str,
        formula: str,
        operands: tuple[Operand, ...],
        result: Decimal,
        unit: str | None = None,
    ) -> Operand:
        """Record a step; returns its result as an operand for the next steps."""
        number = len(self._steps) + 1
        self._steps.append(Step(number, label, formula, operands, result, unit))
        self._results.append(Operand(label, result, Origin.ETAPE, str(number), unit))
        return self._results[-1]

    def made(self, operand: Operand) -> bool:
        """Whether ``operand`` is the result of one of this trace's own steps."""
        return any(operand is made for made in self._results)

    def build(self) -> Trace:
        return Trace(tuple(self._steps), tuple(self._read.values()))


def given(name: str, value: Decimal | bool | str, path: str, unit: str | None = None) -> Operand:
    """An operand read from the operation file at ``path``."""
    return Operand(name, value, Origin.SAISIE, path, unit)


def decimal_of(operand: Operand) -> Decimal:
    """The operand's value, which must be a number."""
    if not isinstance(operand.value, Decimal):
        raise TypeError(f"operand {operand.name!r} is not a number: {operand.value!r}")
    return operand.value
