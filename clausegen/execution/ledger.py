"""The hours ledger (registre des heures): one row per participant × lot × month × modality.

Columns (the header row names them, in any order)::

    participant  lot  entreprise  siret  mois  modalite  structure  heures  montant_ht

- ``participant``: the participant's id (participants file); empty only on an amount row;
- ``entreprise``/``siret``: the contractor holding the lot (the commitment's company);
- ``mois``: ``YYYY-MM``; ``modalite`` and ``structure`` as in commitments (``etti``, ``ei``…);
- ``heures`` for a person's hours; or ``montant_ht`` for subcontracting or co-contracting
  declared as an amount invoiced, which reconciliation converts to hours.

Each row is checked on its own, then against the operation, the participants and the
commitments; every problem of every row is reported at once, each naming its row and column.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Generic, Protocol, TypeVar

from pydantic import BeforeValidator, Field, ValidationError
from pydantic_core import PydanticCustomError

from clausegen.errors import InputError, Month, Problem
from clausegen.execution.modalities import Modalite, TypeStructure, structure_problem
from clausegen.inputs.operation import Code, Execution, Nombre, Siret, Texte, _Strict
from clausegen.inputs.tables import Row, TableRows
from clausegen.inputs.validation import problems_from
from clausegen.inputs.values import NumeroLot

COLUMNS = (
    "participant",
    "lot",
    "entreprise",
    "siret",
    "mois",
    "modalite",
    "structure",
    "heures",
    "montant_ht",
)
REQUIRED_COLUMNS = ("participant", "lot", "entreprise", "siret", "mois", "modalite", "heures")
MAX_MONTHLY_HOURS = "suivi.heures_mensuelles_maximum"

_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?$")
"""``2027-03``, or a day of that month (``2027-03-01``, as a spreadsheet may turn it)."""


def _month(value: object) -> date:
    match = _MONTH.match(str(value))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise _month_error(f"must be a month written YYYY-MM (got {value!r})")
    year, month = int(match.group(1)), int(match.group(2))
    if match.group(3) is not None:
        try:
            date(year, month, int(match.group(3)))
        except ValueError:
            raise _month_error(
                f"must be a month written YYYY-MM; {value!r} is not a day of {year}-{month:02d}"
            ) from None
    return date(year, month, 1)


def _month_error(message: str) -> PydanticCustomError:
    """A cell that is not a month: the kind ``month``, the sentence as it is."""
    return PydanticCustomError("month", "{sentence}", {"sentence": message})


def _decimal(value: object) -> object:
    """Accept a decimal comma (``7,5``), as French spreadsheets write numbers."""
    return value.replace(",", ".") if isinstance(value, str) else value


M = TypeVar("M", bound=_Strict)

Mois = Annotated[date, BeforeValidator(_month)]
Positif = Annotated[Nombre, BeforeValidator(_decimal), Field(gt=0, decimal_places=2)]


class _ParticipantCell(_Strict):
    participant: Code | None = None


class _RowModel(_Strict):
    """Every column but ``participant``: a ledger repeats these cells row after row."""

    lot: NumeroLot
    entreprise: Texte
    siret: Siret
    mois: Mois
    modalite: Modalite
    structure: TypeStructure | None = None
    heures: Positif | None = None
    montant_ht: Positif | None = None


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One valid ledger row (slots: a large batch holds 50 000, and pickles them)."""

    row: int
    participant: str | None
    lot: int
    entreprise: str
    siret: str
    mois: date
    modalite: Modalite
    structure: TypeStructure | None
    heures: Decimal | None
    montant_ht: Decimal | None

    @property
    def key(self) -> tuple[object, ...]:
        return (self.participant, self.lot, self.siret, self.mois, self.modalite, self.structure)


@dataclass(frozen=True)
class Ledger:
    """The valid rows of a ledger file, in file order."""

    path: Path
    lignes: tuple[LedgerRow, ...]


@dataclass(frozen=True)
class LedgerChecks:
    """What rows are checked against."""

    lots: dict[int, bool]
    """Every lot of the operation: whether it carries the clause."""
    validated: Mapping[str, date]
    """Each participant's validation date, by id."""
    participants_file: Path
    execution: Execution
    max_monthly_hours: Decimal
    companies: dict[int, str] | None = None
    """The committed company's SIRET per lot; None where commitments are not given."""


def load_ledger(path: Path, checks: LedgerChecks) -> Ledger:
    """Read and check the ledger; an ``InputError`` names every bad row and column."""
    table = TableRows(path)  # row by row: the table is never held whole
    problems = column_problems(table.columns, REQUIRED_COLUMNS, COLUMNS)
    if problems:
        for _ in table:  # the table's own problems come first
            pass
        table.check()
        raise InputError(path=path, problems=problems)
    rows: list[LedgerRow] = []
    parse = _RowParser(checks)
    read = 0
    for row in table:
        read += 1
        parsed = parse(row, problems)
        if parsed is not None:
            rows.append(parsed)
    table.check()
    if not read:
        raise InputError(path=path, problems=[Problem("", "holds no row of hours.", "no_rows")])
    problems.extend(_duplicates(rows))
    problems.extend(_monthly_totals(rows, checks.max_monthly_hours))
    if problems:
        raise InputError(path=path, problems=sorted(problems, key=row_order))
    return Ledger(path, tuple(rows))


def column_problems(
    columns: tuple[str, ...], required: tuple[str, ...], known: tuple[str, ...]
) -> list[Problem]:
    """The header row's problems: required columns missing, unknown or repeated ones."""
    problems = []
    missing = [c for c in required if c not in columns]
    listed = ", ".join(known)
    if missing:
        problems.append(
            Problem(
                "row 1",
                f"missing column(s) {', '.join(missing)}; the header row must "
                f"name the columns {listed}.",
                "missing_columns",
                {"row": 1, "columns": ", ".join(missing), "known": listed},
            )
        )
    for column in columns:
        if column not in known:
            problems.append(
                Problem(
                    f"row 1, column {column}",
                    f"unknown column; the columns are {listed}.",
                    "unknown_column",
                    {"row": 1, "column": column, "known": listed},
                )
            )
    seen = [c for c in columns if columns.count(c) > 1]
    if seen:
        problems.append(
            Problem(
                "row 1",
                f"the column {seen[0]} appears twice; keep one.",
                "repeated_column",
                {"row": 1, "column": seen[0]},
            )
        )
    return problems


def parse_row(row: Row, model: type[M], problems: list[Problem]) -> M | None:
    """The row's cells validated by ``model``; None, its problems added, when one is bad."""
    data = {key: value for key, value in row.cells.items() if value is not None}
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for problem in problems_from(error, model):
            column = problem.location.split(".")[0]
            values = {
                **problem.context,
                "row": row.number,
                "column": column,
                "value": row.cells.get(column) or "",
            }
            problems.append(
                Problem(where(row.number, column), problem.message, problem.kind, values)
            )
        return None


Cells = tuple[tuple[str, str], ...]
Found = tuple[tuple[str, str, str, dict[str, Any]], ...]
"""Problems of a row without its number: (column, message, kind, values)."""


class _Validated(Generic[M]):
    """A model validated once per distinct set of cells: its fields, or its problems."""

    def __init__(self, model: type[M]) -> None:
        self.model = model
        self.seen: dict[Cells, tuple[dict[str, Any] | None, Found]] = {}

    def __call__(self, cells: Cells) -> tuple[dict[str, Any] | None, Found]:
        known = self.seen.get(cells)
        if known is None:
            try:
                known = (dict(self.model.model_validate(dict(cells))), ())
            except ValidationError as error:
                typed = dict(cells)
                found = []
                for problem in problems_from(error, self.model):
                    column = problem.location.split(".")[0]
                    values = {**problem.context, "column": column, "value": typed.get(column, "")}
                    found.append((column, problem.message, problem.kind, values))
                known = (None, tuple(found))
            self.seen[cells] = known
        return known


class _RowParser:
    """Rows parsed and checked in one pass. The cells a ledger repeats on every row (lot,
    company, SIRET, month, modality, hours) are validated and checked once per distinct
    combination, each participant id once; only what ties a row to its participant is
    looked at row by row."""

    def __init__(self, checks: LedgerChecks) -> None:
        self.checks = checks
        self.participant = _Validated(_ParticipantCell)
        self.values = _Validated(_RowModel)
        self.checked: dict[tuple[Cells, bool], tuple[Found, Found]] = {}

    def __call__(self, row: Row, problems: list[Problem]) -> LedgerRow | None:
        """The row, valid; or None, its problems added to ``problems``."""
        participant_text = row.cells.get("participant")
        cells = tuple(
            (column, value)
            for column, value in row.cells.items()
            if value is not None and column != "participant"
        )
        person, person_found = self.participant(
            (("participant", participant_text),) if participant_text is not None else ()
        )
        values, found = self.values(cells)
        found = person_found + found
        if person is None or values is None:
            problems.extend(_numbered(row.number, found))
            return None
        line = LedgerRow(row.number, participant=person["participant"], **values)
        key = (cells, line.participant is None)
        shared = self.checked.get(key)
        if shared is None:
            shared = self.checked[key] = (
                _found(line, self.checks, _CHECKS_BEFORE),
                _found(line, self.checks, _CHECKS_AFTER),
            )
        found = shared[0] + _participant_found(line, self.checks) + shared[1]
        if found:
            problems.extend(_numbered(row.number, found))
            return None
        return line


def _numbered(row: int, found: Found) -> list[Problem]:
    """``found``'s problems, placed on spreadsheet row ``row``."""
    return [
        Problem(where(row, column), message, kind, {**values, "row": row})
        for column, message, kind, values in found
    ]


def _participant_found(line: LedgerRow, checks: LedgerChecks) -> Found:
    """``_check_participant``'s problems; the usual row (a known person, validated by its
    month) without making a report for it."""
    if line.participant is None:
        return ()
    validated = checks.validated.get(line.participant)
    if validated is not None and line.mois >= validated.replace(day=1):
        return ()
    return _found(line, checks, (_check_participant,))


def _found(line: LedgerRow, checks: LedgerChecks, which: tuple[Check, ...]) -> Found:
    found: list[tuple[str, str, str, dict[str, Any]]] = []

    def report(column: str, message: str, kind: str, **values: object) -> None:
        found.append((column, message, kind, {"column": column, **values}))

    for check in which:
        check(line, checks, report)
    return tuple(found)


class Report(Protocol):
    """Reports a row's problem: its column, the CLI's sentence, its kind and values."""

    def __call__(self, column: str, message: str, kind: str, **values: object) -> None: ...


Check = Callable[[LedgerRow, LedgerChecks, Report], None]


def _check_amounts(line: LedgerRow, _checks: LedgerChecks, report: Report) -> None:
    if (line.heures is None) == (line.montant_ht is None):
        report(
            "heures",
            "give either heures or montant_ht (an amount invoiced), one of them.",
            "hours_or_amount",
        )
    elif line.montant_ht is not None and not line.modalite.by_amount:
        report(
            "montant_ht",
            f"only sous_traitance and co_traitance may be declared as an "
            f"amount; give {line.modalite.value} in heures.",
            "amount_modality",
            modality=line.modalite.value,
        )
    elif line.montant_ht is not None and line.participant is not None:
        report(
            "participant",
            "an amount invoiced is not one person's hours; leave participant "
            "empty on an amount row, or give the person's heures.",
            "amount_with_participant",
        )
    elif line.heures is not None and line.participant is None:
        report(
            "participant",
            "this field is required on a row of hours; give the participant's id.",
            "hours_without_participant",
        )


def _check_structure(line: LedgerRow, _checks: LedgerChecks, report: Report) -> None:
    problem = structure_problem(line.modalite, line.structure)
    if problem:
        report(
            "structure",
            problem,
            "modality_structure",
            value=line.structure.value if line.structure else "",
            modality=line.modalite.value,
            allowed=", ".join(s.value for s in line.modalite.structures) or "aucune",
        )


def _check_participant(line: LedgerRow, checks: LedgerChecks, report: Report) -> None:
    if line.participant is None:
        return
    validated = checks.validated.get(line.participant)
    if validated is None:
        report(
            "participant",
            f"no participant '{line.participant}' in "
            f"{checks.participants_file}; add the person there or correct the id.",
            "unknown_participant",
            value=line.participant,
        )
    elif line.mois < validated.replace(day=1):
        report(
            "mois",
            f"participant {line.participant} was validated on "
            f"{validated.isoformat()}; hours before that month do not count. "
            "Correct the month or the validation date.",
            "before_validation",
            value=f"{line.mois:%Y-%m}",
            participant=line.participant,
            validated=validated,
        )


def unknown_lot(lot: int, lots: Mapping[int, bool], report: Report) -> bool:
    """Whether ``lot`` is none of the operation's ``lots``, reported if so (a ledger's row,
    a statement's)."""
    if lot in lots:
        return False
    known = ", ".join(str(n) for n in sorted(lots))
    report(
        "lot",
        f"the operation has no lot {lot} (lots: {known}).",
        "unknown_lot",
        value=lot,
        known=known,
    )
    return True


def _check_lot(line: LedgerRow, checks: LedgerChecks, report: Report) -> None:
    if unknown_lot(line.lot, checks.lots, report):
        return
    if not checks.lots[line.lot]:
        report(
            "lot",
            f"lot {line.lot} carries no insertion clause; its hours cannot count.",
            "lot_without_clause",
            value=line.lot,
        )
    elif checks.companies is not None:
        holder = checks.companies.get(line.lot)
        if holder is None:
            report(
                "lot",
                f"no commitment covers lot {line.lot}; add the company's commitment "
                "to the commitments folder.",
                "lot_without_commitment",
                value=line.lot,
            )
        elif holder != line.siret:
            report(
                "siret",
                f"{line.siret} ({line.entreprise}) has no commitment on lot "
                f"{line.lot}, which is held by SIRET {holder}; correct the SIRET or add "
                "the company's commitment.",
                "siret_not_committed",
                value=line.siret,
                lot=line.lot,
                holder=holder,
            )


def _check_period(line: LedgerRow, checks: LedgerChecks, report: Report) -> None:
    period = checks.execution
    if not period.debut.replace(day=1) <= line.mois <= period.fin:
        report(
            "mois",
            f"{line.mois:%Y-%m} is outside the execution period "
            f"({period.debut.isoformat()} to {period.fin.isoformat()}); correct the month, "
            "or the operation's execution period.",
            "outside_execution",
            value=f"{line.mois:%Y-%m}",
            start=period.debut,
            end=period.fin,
        )


_CHECKS_BEFORE: tuple[Check, ...] = (_check_amounts, _check_structure)
_CHECKS_AFTER: tuple[Check, ...] = (_check_lot, _check_period)
"""With ``_CHECKS_BEFORE``, the checks that look at a row's cells but not at who its
participant is; ``_check_participant`` runs between the two, row by row."""


def _duplicates(rows: list[LedgerRow]) -> list[Problem]:
    first: dict[tuple[object, ...], int] = {}
    problems = []
    for line in rows:
        key = line.key
        earlier = first.setdefault(key, line.row)
        if earlier != line.row:
            problems.append(
                Problem(
                    f"row {line.row}",
                    f"same participant, lot, company, month, "
                    f"modality and structure as row {earlier}; merge the two "
                    "rows into one.",
                    "duplicate_row",
                    {"row": line.row, "first": earlier},
                )
            )
    return problems


def _monthly_totals(rows: list[LedgerRow], maximum: Decimal) -> list[Problem]:
    months: dict[tuple[str, date], list[LedgerRow]] = defaultdict(list)
    for line in rows:
        if line.participant is not None and line.heures is not None:
            months[(line.participant, line.mois)].append(line)
    problems = []
    for (participant, month), lines in months.items():
        total = sum((line.heures or Decimal(0) for line in lines), Decimal(0))
        if total > maximum:
            numbers = ", ".join(str(line.row) for line in lines)
            where = f"row {numbers}" if len(lines) == 1 else f"rows {numbers}"
            problems.append(
                Problem(
                    f"{where}, column heures",
                    f"participant {participant} has "
                    f"{total} h in {month:%Y-%m}, above the {maximum} h one person can "
                    f"do in a month ({MAX_MONTHLY_HOURS}); correct the hours.",
                    "monthly_hours",
                    {
                        "row": [line.row for line in lines],
                        "column": "heures",
                        "participant": participant,
                        "total": total,
                        "month": Month(month),
                        "maximum": maximum,
                    },
                )
            )
    return problems


def where(row: int, column: str) -> str:
    """Where a problem is: ``row 4, column mois``, or the whole ``row 4``."""
    return f"row {row}, column {column}" if column else f"row {row}"


def row_order(problem: Problem) -> tuple[int, str]:
    """Problems sorted by row, the header's first."""
    match = re.match(r"rows? (\d+)", problem.location)
    return (int(match.group(1)) if match else 0, problem.location)
