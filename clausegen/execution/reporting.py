"""The contractors' statements of hours (comptes rendus) and the reporting periods.

The CCAP stipulates one statement per period (``clause.comptes_rendus.periodicite``: a
calendar month or quarter), due by a day of the month after the period (``jour_limite``);
lateness is penalised once a formal notice (mise en demeure) has gone unanswered for
``delai_mise_en_demeure_jours`` days. The facilitator records what was received in a table
(CSV or XLSX, like the hours ledger, read and checked with the same primitives)::

    entreprise  siret  lot  periode  date_reception  date_mise_en_demeure

- one row per company × lot × period; ``periode`` is ``YYYY-MM`` (monthly statements) or
  ``YYYY-T1`` to ``YYYY-T4`` (quarterly ones);
- ``date_reception`` empty for a statement not received; ``date_mise_en_demeure`` the day a
  formal notice was served, when one was.

For each lot, the periods of the execution up to the closing date: hours required to date
(the lot's hours pro rata of the days of execution elapsed, rounded like the lot's hours),
realised in the period and cumulated, the statement's due date, its reception and the days
late.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from clausegen.calibration.rounding import round_hours
from clausegen.errors import InputError, Problem
from clausegen.execution.ledger import (
    Report,
    column_problems,
    parse_row,
    row_order,
    unknown_lot,
    where,
)
from clausegen.inputs.operation import (
    Code,
    ComptesRendus,
    Execution,
    Periodicite,
    RegleArrondi,
    Siret,
    Texte,
    _Strict,
)
from clausegen.inputs.tables import read_table
from clausegen.inputs.values import NumeroLot

COLUMNS = ("entreprise", "siret", "lot", "periode", "date_reception", "date_mise_en_demeure")
REQUIRED_COLUMNS = ("siret", "lot", "periode", "date_reception")

EVERY = {Periodicite.MENSUELLE: "monthly", Periodicite.TRIMESTRIELLE: "quarterly"}
_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-01)?$")
_QUARTER = re.compile(r"^(\d{4})-[Tt]([1-4])$")


# --- periods ----------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month or quarter: the span one statement covers."""

    debut: date
    fin: date
    periodicite: Periodicite

    @property
    def code(self) -> str:
        """As the reporting file writes it: ``2027-03`` or ``2027-T1``."""
        if self.periodicite is Periodicite.MENSUELLE:
            return f"{self.debut:%Y-%m}"
        return f"{self.debut.year}-T{(self.debut.month - 1) // 3 + 1}"


def period_of(day: date, periodicite: Periodicite) -> Period:
    """The month or calendar quarter ``day`` falls in."""
    months = 1 if periodicite is Periodicite.MENSUELLE else 3
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    return Period(start, _add_months(start, months) - timedelta(days=1), periodicite)


def periods(execution: Execution, periodicite: Periodicite, up_to: date) -> tuple[Period, ...]:
    """The periods of the execution that have begun by ``up_to``, in order."""
    found = []
    period = period_of(execution.debut, periodicite)
    last = min(up_to, execution.fin)
    while period.debut <= last:
        found.append(period)
        period = period_of(period.fin + timedelta(days=1), periodicite)
    return tuple(found)


def due_date(period: Period, rules: ComptesRendus) -> date:
    """The day the period's statement is due: ``jour_limite`` of the month after it."""
    following = period.fin + timedelta(days=1)
    return following.replace(day=rules.jour_limite)


def required_to_date(
    required: Decimal, execution: Execution, at: date, rule: RegleArrondi
) -> Decimal:
    """The lot's hours pro rata of the days of execution elapsed at ``at`` (inclusive),
    rounded like the lot's hours: 0 before execution, all of them from its last day."""
    total = (execution.fin - execution.debut).days + 1
    days = min(max((at - execution.debut).days + 1, 0), total)
    return round_hours(required * days / total, rule)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


# --- the reporting file -----------------------------------------------------------------------


class _RowModel(_Strict):
    entreprise: Texte | None = None
    siret: Siret
    lot: NumeroLot
    periode: Code
    date_reception: date | None = None
    date_mise_en_demeure: date | None = None


@dataclass(frozen=True)
class ReportingRow:
    """One statement: received (or not), with the formal notice served for it, if any."""

    row: int
    entreprise: str | None
    siret: str
    lot: int
    periode: Period
    date_reception: date | None
    date_mise_en_demeure: date | None


@dataclass(frozen=True)
class Reporting:
    """The statements recorded, in file order, and the rules they follow."""

    path: Path
    lignes: tuple[ReportingRow, ...]

    def statement(self, lot: int, siret: str, period: Period) -> ReportingRow | None:
        return next(
            (
                line
                for line in self.lignes
                if (line.lot, line.siret, line.periode) == (lot, siret, period)
            ),
            None,
        )


@dataclass(frozen=True)
class ReportingChecks:
    """What rows are checked against."""

    lots: dict[int, bool]
    """Every lot of the operation: whether it carries the clause."""
    companies: dict[int, str]
    """The committed company's SIRET per lot."""
    execution: Execution
    rules: ComptesRendus


def load_reporting(path: Path, checks: ReportingChecks) -> Reporting:
    """Read and check the statements received; an ``InputError`` names every bad row."""
    table = read_table(path)
    problems = column_problems(table.columns, REQUIRED_COLUMNS, COLUMNS)
    if problems:
        raise InputError(path=path, problems=problems)
    if not table.rows:
        raise InputError(
            path=path,
            problems=[
                Problem(
                    "",
                    "holds no statement; add one row per statement received (or not "
                    "received and formally noticed), or leave out --reporting.",
                    "no_statements",
                )
            ],
        )
    rows: list[ReportingRow] = []
    for row in table.rows:
        model = parse_row(row, _RowModel, problems)
        if model is None:
            continue
        found: list[Problem] = []
        period = _period(model.periode, checks.rules.periodicite, row.number, found)
        if period is not None:
            line = ReportingRow(
                row.number,
                model.entreprise,
                model.siret,
                model.lot,
                period,
                model.date_reception,
                model.date_mise_en_demeure,
            )
            found += _row_problems(line, checks)
            if not found:
                rows.append(line)
        problems += found
    problems += _duplicates(rows)
    if problems:
        raise InputError(path=path, problems=sorted(problems, key=row_order))
    return Reporting(path, tuple(rows))


def _period(
    text: str, periodicite: Periodicite, row: int, problems: list[Problem]
) -> Period | None:
    if periodicite is Periodicite.MENSUELLE:
        match = _MONTH.match(text)
        if match and 1 <= int(match.group(2)) <= 12:
            return period_of(date(int(match.group(1)), int(match.group(2)), 1), periodicite)
        wanted = "a month written YYYY-MM"
        kind = "statement_month"
    else:
        match = _QUARTER.match(text)
        if match:
            month = (int(match.group(2)) - 1) * 3 + 1
            return period_of(date(int(match.group(1)), month, 1), periodicite)
        wanted = "a calendar quarter written YYYY-T1 to YYYY-T4"
        kind = "statement_quarter"
    problems.append(
        Problem(
            where(row, "periode"),
            f"must be {wanted} (got '{text}'): the clause asks for {EVERY[periodicite]} "
            f"statements (clause.comptes_rendus.periodicite: {periodicite.value}).",
            kind,
            {"row": row, "column": "periode", "value": text},
        )
    )
    return None


def _row_problems(line: ReportingRow, checks: ReportingChecks) -> list[Problem]:
    found: list[Problem] = []

    def report(column: str, message: str, kind: str, **values: object) -> None:
        values = {"row": line.row, "column": column, **values}
        found.append(Problem(where(line.row, column), message, kind, values))

    _check_lot(line, checks, report)
    _check_period(line, checks, report)
    _check_dates(line, checks, report)
    return found


def _check_lot(line: ReportingRow, checks: ReportingChecks, report: Report) -> None:
    if unknown_lot(line.lot, checks.lots, report):
        return
    if not checks.lots[line.lot]:
        report(
            "lot",
            f"lot {line.lot} carries no insertion clause; no statement is due on it.",
            "statement_lot_without_clause",
            value=line.lot,
        )
    elif line.lot not in checks.companies:
        report(
            "lot",
            f"no commitment covers lot {line.lot}; add the company's commitment to the "
            "commitments folder.",
            "lot_without_commitment",
            value=line.lot,
        )
    elif checks.companies[line.lot] != line.siret:
        report(
            "siret",
            f"{line.siret} has no commitment on lot {line.lot}, which is held by SIRET "
            f"{checks.companies[line.lot]}; correct the SIRET or add the company's commitment.",
            "siret_not_committed",
            value=line.siret,
            lot=line.lot,
            holder=checks.companies[line.lot],
        )


def _check_period(line: ReportingRow, checks: ReportingChecks, report: Report) -> None:
    execution = checks.execution
    if line.periode.fin < execution.debut or line.periode.debut > execution.fin:
        report(
            "periode",
            f"{line.periode.code} is outside the execution period "
            f"({execution.debut.isoformat()} to {execution.fin.isoformat()}); correct the "
            "period, or the operation's execution period.",
            "statement_outside_execution",
            value=line.periode.code,
            start=execution.debut,
            end=execution.fin,
        )


def _check_dates(line: ReportingRow, checks: ReportingChecks, report: Report) -> None:
    received, notice = line.date_reception, line.date_mise_en_demeure
    due = due_date(line.periode, checks.rules)
    if received is None and notice is None:
        report(
            "date_reception",
            "give the day the statement was received, or, for a statement not received, "
            "the day of the formal notice in date_mise_en_demeure.",
            "no_reception",
        )
    if received is not None and received < line.periode.fin:
        report(
            "date_reception",
            f"{received.isoformat()} is before the end of the period {line.periode.code} "
            f"({line.periode.fin.isoformat()}) it reports on; correct the date or the period.",
            "received_before_period_end",
            value=received,
            period=line.periode.code,
            end=line.periode.fin,
        )
    if notice is not None and notice <= due:
        report(
            "date_mise_en_demeure",
            f"{notice.isoformat()} is not after the statement's due date "
            f"({due.isoformat()}): a formal notice follows a missed deadline; correct the "
            "date or the period.",
            "notice_before_due",
            value=notice,
            due=due,
        )
    elif notice is not None and received is not None and notice > received:
        report(
            "date_mise_en_demeure",
            f"the statement was received on {received.isoformat()}, before this formal "
            f"notice ({notice.isoformat()}); leave date_mise_en_demeure empty or correct "
            "the dates.",
            "notice_after_reception",
            value=notice,
            received=received,
        )


def _duplicates(rows: list[ReportingRow]) -> list[Problem]:
    first: dict[tuple[str, int, Period], int] = {}
    problems = []
    for line in rows:
        key = (line.siret, line.lot, line.periode)
        if key in first:
            problems.append(
                Problem(
                    f"row {line.row}",
                    f"same company, lot and period as row {first[key]}; keep one row per "
                    "statement.",
                    "duplicate_statement",
                    {"row": line.row, "first": first[key]},
                )
            )
        else:
            first.setdefault(key, line.row)
    return problems


# --- periods of a lot -------------------------------------------------------------------------


class StatutCompteRendu(StrEnum):
    RECU = "recu"
    NON_RECU = "non_recu"
    A_VENIR = "a_venir"
    NON_ENREGISTRE = "non_enregistre"


@dataclass(frozen=True)
class PeriodLine:
    """One reporting period of a lot: hours required and realised, and its statement."""

    periode: Period
    requis_a_date: Decimal
    realise_periode: Decimal
    realise_cumule: Decimal
    echeance: date
    statut: StatutCompteRendu
    reception: date | None
    mise_en_demeure: date | None
    jours_retard: int | None
    """Days between the due date and the reception; None when not received."""
    jours_penalisables: int
    """Days late after the formal notice's delay, up to the reception (or the closing date)."""
    ligne: int | None
    """The reporting file's row, when the statement is recorded."""


@dataclass(frozen=True)
class LotPeriodsInputs:
    """What a lot's periods are calculated from."""

    execution: Execution
    rules: ComptesRendus
    rounding: RegleArrondi
    required: Decimal
    closing: date
    lot: int
    siret: str


def lot_periods(
    inputs: LotPeriodsInputs,
    realised_up_to: Callable[[date], Decimal],
    reporting: Reporting | None,
) -> tuple[PeriodLine, ...]:
    """Each period of the lot begun by the closing date; ``realised_up_to(month)`` gives
    the hours realised in the months up to ``month`` (the ledger's rows, counted as the
    reconciliation counts them)."""
    lines = []
    before = Decimal(0)
    for period in periods(inputs.execution, inputs.rules.periodicite, inputs.closing):
        at = min(period.fin, inputs.closing)
        cumulated = realised_up_to(at)
        due = due_date(period, inputs.rules)
        statement = reporting.statement(inputs.lot, inputs.siret, period) if reporting else None
        lines.append(
            _statement_line(
                inputs,
                period,
                required_to_date(inputs.required, inputs.execution, at, inputs.rounding),
                (cumulated - before, cumulated),
                due,
                statement,
                recorded=reporting is not None,
            )
        )
        before = cumulated
    return tuple(lines)


def _statement_line(
    inputs: LotPeriodsInputs,
    period: Period,
    required: Decimal,
    realised: tuple[Decimal, Decimal],
    due: date,
    statement: ReportingRow | None,
    *,
    recorded: bool,
) -> PeriodLine:
    received = statement.date_reception if statement else None
    notice = statement.date_mise_en_demeure if statement else None
    if received is not None:
        status = StatutCompteRendu.RECU
    elif not recorded:
        status = StatutCompteRendu.NON_ENREGISTRE
    elif due < inputs.closing:
        status = StatutCompteRendu.NON_RECU
    else:
        status = StatutCompteRendu.A_VENIR
    return PeriodLine(
        periode=period,
        requis_a_date=required,
        realise_periode=realised[0],
        realise_cumule=realised[1],
        echeance=due,
        statut=status,
        reception=received,
        mise_en_demeure=notice,
        jours_retard=max((received - due).days, 0) if received is not None else None,
        jours_penalisables=penalised_days(
            notice, received, inputs.closing, inputs.rules.delai_mise_en_demeure_jours
        ),
        ligne=statement.row if statement else None,
    )


def penalised_days(notice: date | None, received: date | None, closing: date, delay: int) -> int:
    """Days late that the daily penalty applies to: from the end of the formal notice's
    delay to the reception, or to the closing date while the statement is missing."""
    if notice is None:
        return 0
    end = received if received is not None else closing
    return max((end - (notice + timedelta(days=delay))).days, 0)
