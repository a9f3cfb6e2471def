"""Reconciliation: hours required vs committed vs realised, per lot and company, traced.

For each commitment (one company on one lot), up to the statement's closing date:

- required: the lot's rounded hours from the calibration;
- due: what the contract holds the company to: the required hours, except when the clause
  is an award criterion (R2152-7) and the company committed more in its offer, whose
  commitments the CCAP makes conditions of execution (L2112-2): then the committed hours.
  A commitment below the lot's minimum leaves the minimum due;
- committed: the commitment's total, and each planned modality (an amount planned for
  subcontracting is converted to hours like a realised one);
- realised: the ledger's hours by modality and structure; an amount invoiced by a
  subcontractor becomes hours = amount × the lot's labour share ÷ the hourly cost (read
  from the lot, the clause, else the dated parameters at the launch date, as in the
  calibration), rounded to the hundredth (``clausegen.calibration.rounding``);
- participants counted by criterion, sex and age band, and their exits by class;
- the status: met (realised ≥ due), in progress (short, execution not over), shortfall
  (short at the end of execution);
- the reporting periods: hours due to date, realised in the period and cumulated, and
  the statement received for it (``clausegen.execution.reporting``);
- the penalties (``clausegen.execution.penalties``): on a shortfall, missing hours × the
  clause's rate; days late in reporting after the formal notice × the daily rate; together
  capped at the clause's share of the awarded amount (the commitment's, else the lot's
  estimate);
- a direct hire on a CDI counts within the CCAP's cap per person
  (``clausegen.execution.counting``).

Every figure has its trace; the law is read at the dates given, never today's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from clausegen.calibration.calibrate import Calibration
from clausegen.calibration.methods import EUR, HOURS, LotInputs
from clausegen.calibration.rounding import round_hundredth_hours
from clausegen.calibration.trace import Operand, Origin, Trace, TraceBuilder, decimal_of
from clausegen.errors import InputError, InputFilesError
from clausegen.execution.commitments import (
    Commitment,
    CommitmentFile,
    Entreprise,
    ModalitePrevue,
    unplanned_problem,
)
from clausegen.execution.counting import capped_cdi_hours
from clausegen.execution.ledger import Ledger, LedgerRow
from clausegen.execution.modalities import Modalite, TypeStructure
from clausegen.execution.participants import Participant, TypeContrat
from clausegen.execution.penalties import PenaltyCalculation, Shortfall, lot_penalties
from clausegen.execution.publics import ClasseSortie, Critere, TrancheAge
from clausegen.execution.reporting import LotPeriodsInputs, PeriodLine, Reporting, lot_periods
from clausegen.inputs.operation import Dispositif, Execution, Operation
from clausegen.law.parameters import ParameterSet, ResolvedParameter

ZERO = Decimal(0)

__all__ = ["PenaltyCalculation"]  # re-exported: the documents read a lot's penalties from here


class Statut(StrEnum):
    ATTEINT = "atteint"
    EN_COURS = "en_cours"
    INSUFFISANT = "insuffisant"

    @property
    def label(self) -> str:
        return {
            "atteint": "Objectif atteint",
            "en_cours": "En cours de réalisation",
            "insuffisant": "Objectif non atteint",
        }[self.value]


@dataclass(frozen=True)
class ModalityLine:
    """Committed and realised hours of one modality (and structure) on one lot."""

    modalite: Modalite
    structure: TypeStructure | None
    partenaires: tuple[str, ...]
    engage: Decimal
    realise: Decimal
    traces: dict[str, Trace]
    facture: bool = False
    """Some of the hours realised are deduced from amounts invoiced (no person named)."""


@dataclass(frozen=True)
class Headcount:
    """Participants counted, never named (ids only for the command's warnings)."""

    total: int
    par_critere: tuple[tuple[Critere, int], ...]
    par_sexe: tuple[tuple[str, int], ...]
    par_tranche_age: tuple[tuple[TrancheAge, int], ...]
    sorties: tuple[tuple[ClasseSortie, int], ...]
    en_parcours: int
    heures_par_participant: Decimal | None
    sortie_non_renseignee: tuple[str, ...] = ()
    """Ids of those whose contract ended before the closing date with no exit recorded."""
    heures_nominatives: Decimal = ZERO
    """Hours done by the people counted (the rest comes from amounts invoiced)."""
    ids: tuple[str, ...] = ()
    """The ids of the people counted (the evaluation counts each person once across lots
    and operations); never printed."""


@dataclass(frozen=True)
class LotReconciliation:
    """One company on one lot, reconciled up to the closing date."""

    numero: int
    intitule: str
    entreprise: Entreprise
    engagement_file: Path
    engagement: Commitment
    requis: Decimal
    """The lot's required hours (its minimum, for an award criterion)."""
    engage: Decimal
    realise: Decimal
    modalites: tuple[ModalityLine, ...]
    statut: Statut
    penalite: PenaltyCalculation | None
    penalite_prevue: bool
    """Whether the clause sets an hourly penalty at all."""
    effectifs: Headcount
    traces: dict[str, Trace]
    periodes: tuple[PeriodLine, ...] = ()
    """The reporting periods begun by the closing date, with their statements."""
    comptes_rendus_enregistres: bool = False
    """Whether the statements received were given (else lateness is not assessed)."""
    du: Decimal | None = None
    """The hours due, when they are the offer's committed hours rather than ``requis``."""

    @property
    def heures_dues(self) -> Decimal:
        """The hours the company is held to: the offer's, else the lot's required hours."""
        return self.du if self.du is not None else self.requis

    @property
    def parametres(self) -> list[ResolvedParameter]:
        """Every parameter behind the lot's figures (may repeat; callers key them by id)."""
        traces = [
            *self.traces.values(),
            *(t for line in self.modalites for t in line.traces.values()),
        ]
        return [p for trace in traces for p in trace.parameters]

    @property
    def ecart(self) -> Decimal:
        """Hours still missing (zero once the hours due are done)."""
        return max(self.heures_dues - self.realise, ZERO)


@dataclass(frozen=True)
class Reconciliation:
    """The reconciliation of a whole operation."""

    date_reference: date
    arrete_au: date
    execution: Execution
    lots: tuple[LotReconciliation, ...]
    lots_sans_engagement: tuple[int, ...]
    lignes_apres_arrete: int
    arrete_demande: date | None = None
    """The closing date asked for, when the ledger stops before it and before the end of
    execution: the hours are then closed at the ledger's last month (``closing_date``)."""

    @property
    def fin_execution_atteinte(self) -> bool:
        """Whether the closing date reaches the end of execution: the lots' end-of-execution
        finding (met or short, with its penalty) is made; else they are in progress."""
        return execution_ended(self.arrete_au, self.execution)

    def par_entreprise(self) -> dict[str, tuple[LotReconciliation, ...]]:
        """Each company's lots, by SIRET, in order of their first lot."""
        grouped: dict[str, list[LotReconciliation]] = {}
        for lot in self.lots:
            grouped.setdefault(lot.entreprise.siret, []).append(lot)
        return {siret: tuple(lots) for siret, lots in grouped.items()}

    @property
    def parametres(self) -> tuple[ResolvedParameter, ...]:
        cited = {p.id: p for lot in self.lots for p in lot.parametres}
        return tuple(cited[key] for key in sorted(cited))


def execution_ended(arrete_au: date, execution: Execution) -> bool:
    """Whether hours counted up to ``arrete_au`` close the lots: a lot short of its hours
    is then « non atteint » (and penalised), else « en cours ». ``arrete_au`` is a date
    ``closing_date`` gives: never past a ledger that stops before the end of execution."""
    return arrete_au >= execution.fin


def hours_known_to(registre: Ledger) -> date:
    """The last day of the ledger's last month, whatever its lot: no hour after it is known.

    The ledger's, not each lot's: the facilitator records the whole operation month by
    month, so a month with rows for some lot is a month recorded for every lot, and a lot
    without rows in it did no hours then (a company that stops its insertion hours is
    short of them, not unknown)."""
    last = max(line.mois for line in registre.lignes)
    following = date(last.year + last.month // 12, last.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def default_closing_date(registre: Ledger, execution: Execution) -> date:
    """The last day of the ledger's last month, or the end of execution if earlier."""
    return min(hours_known_to(registre), execution.fin)


def closing_date(asked: date | None, registre: Ledger, execution: Execution) -> date:
    """The date the hours are closed at: ``asked``, else ``default_closing_date``; but never
    after the ledger's last month when the ledger stops before the end of execution. The
    months after it hold no known hour, not zero hours: counting them would state a finding
    (and a penalty) on hours nobody recorded. The compliance statement and the evaluation
    both close here, so ``execution_ended`` decides the finding the same way for both."""
    recorded = default_closing_date(registre, execution)
    if asked is None:
        return recorded
    return min(asked, recorded) if recorded < execution.fin else asked


def reconcile(
    operation: Operation,
    calibration: Calibration,
    engagements: list[CommitmentFile],
    registre: Ledger,
    participants: dict[str, Participant],
    parameters: ParameterSet,
    arrete_au: date,
    reporting: Reporting | None = None,
) -> Reconciliation:
    """Reconcile every commitment with the ledger rows up to ``arrete_au`` (closed at the
    ledger's last month when it stops before that date and the end of execution:
    ``closing_date``), and with the statements received (``reporting``) when given."""
    assert operation.execution is not None, "the ledger is checked against the execution period"
    asked, arrete_au = arrete_au, closing_date(arrete_au, registre, operation.execution)
    counted = [line for line in registre.lignes if line.mois <= arrete_au]
    sized = {lot.numero: lot for lot in calibration.lots}
    lots = []
    for item in engagements:
        engagement = item.engagement
        rows = [
            line
            for line in counted
            if line.lot == engagement.lot and line.siret == engagement.entreprise.siret
        ]
        lots.append(
            _reconcile_lot(
                _Context(
                    operation,
                    calibration,
                    parameters,
                    registre.path,
                    arrete_au,
                    participants,
                    reporting,
                ),
                item,
                sized[engagement.lot].traces["heures"],
                rows,
                participants,
            )
        )
    unplanned = [
        InputError(path=item.path, problems=[problem])
        for item, lot in zip(engagements, lots, strict=True)
        if (
            problem := unplanned_problem(
                item.engagement, sum((m.engage for m in lot.modalites), ZERO)
            )
        )
    ]
    if unplanned:
        raise InputFilesError(errors=unplanned)
    committed = {item.engagement.lot for item in engagements}
    return Reconciliation(
        date_reference=calibration.date_reference,
        arrete_au=arrete_au,
        execution=operation.execution,
        lots=tuple(lots),
        lots_sans_engagement=tuple(
            lot.numero for lot in calibration.lots if lot.retenu and lot.numero not in committed
        ),
        lignes_apres_arrete=len(registre.lignes) - len(counted),
        arrete_demande=asked if asked != arrete_au else None,
    )


@dataclass(frozen=True)
class _Context:
    operation: Operation
    calibration: Calibration
    parameters: ParameterSet
    ledger: Path
    arrete_au: date
    participants: dict[str, Participant]
    reporting: Reporting | None

    def ended(self) -> bool:
        assert self.operation.execution is not None
        return execution_ended(self.arrete_au, self.operation.execution)


def _reconcile_lot(
    context: _Context,
    item: CommitmentFile,
    required_trace: Trace,
    rows: list[LedgerRow],
    participants: dict[str, Participant],
) -> LotReconciliation:
    engagement = item.engagement
    operation = context.operation
    lot = operation.lot(engagement.lot)
    assert lot is not None and engagement.heures_engagees is not None
    due_trace = _due_trace(context, item, required_trace)
    required = due_trace.result
    lines = _modality_lines(context, item, rows)
    realised_trace = _total_trace(context, lines, engagement.lot)
    realised = realised_trace.result
    ended = context.ended()
    if realised >= required:
        status = Statut.ATTEINT
    else:
        status = Statut.INSUFFISANT if ended else Statut.EN_COURS
    planned = operation.clause.penalite.par_heure_prevue
    assert operation.execution is not None
    periods = lot_periods(
        LotPeriodsInputs(
            execution=operation.execution,
            rules=operation.clause.comptes_rendus,
            rounding=operation.clause.arrondi,
            required=required,
            closing=context.arrete_au,
            lot=lot.numero,
            siret=engagement.entreprise.siret,
        ),
        lambda at: sum(
            (
                line.realise
                for line in _modality_lines(context, item, [r for r in rows if r.mois <= at])
            ),
            ZERO,
        ),
        context.reporting,
    )
    penalty = lot_penalties(
        operation,
        context.parameters,
        context.arrete_au,
        engagement,
        Shortfall(
            due_trace,
            realised_trace,
            "heures requises" if due_trace is required_trace else "heures dues",
        )
        if status is Statut.INSUFFISANT
        else None,
        periods,
        context.reporting.path if context.reporting else None,
    )
    traces = {"requis": required_trace, "realise": realised_trace}
    if due_trace is not required_trace:
        traces["du"] = due_trace
    if penalty is not None:
        traces["penalite"] = penalty.trace
    return LotReconciliation(
        numero=lot.numero,
        intitule=lot.intitule,
        entreprise=engagement.entreprise,
        engagement_file=item.path,
        engagement=engagement,
        requis=required_trace.result,
        engage=engagement.heures_engagees,
        realise=realised,
        modalites=tuple(lines),
        statut=status,
        penalite=penalty,
        penalite_prevue=planned,
        effectifs=_headcount(rows, participants, context.arrete_au),
        traces=traces,
        periodes=periods,
        comptes_rendus_enregistres=context.reporting is not None,
        du=required if due_trace is not required_trace else None,
    )


def _due_trace(context: _Context, item: CommitmentFile, required: Trace) -> Trace:
    """The hours due: ``required``, or, under an award criterion, the offer's committed
    hours when they exceed it (the CCAP makes the offer's commitments conditions of
    execution; a commitment below the minimum leaves the minimum due)."""
    committed = item.engagement.heures_engagees
    assert committed is not None
    if (
        context.operation.clause.dispositif is not Dispositif.CRITERE_ATTRIBUTION
        or committed <= required.result
    ):
        return required
    trace = _builder(context, context.calibration.date_reference)
    trace.step(
        "heures dues",
        "heures engagées dans l'offre, supérieures au minimum du lot (critère d'attribution)",
        (
            required.as_operand("heures requises (minimum du lot)", HOURS),
            Operand(
                "heures engagées",
                committed,
                Origin.ENGAGEMENT,
                f"{item.path.name}: heures_engagees",
                HOURS,
            ),
        ),
        committed,
        HOURS,
    )
    return trace.build()


def _modality_lines(
    context: _Context, item: CommitmentFile, rows: list[LedgerRow]
) -> list[ModalityLine]:
    planned: dict[tuple[Modalite, TypeStructure | None], list[ModalitePrevue]] = {}
    for entry in item.engagement.modalites:
        planned.setdefault((entry.modalite, entry.structure), []).append(entry)
    done: dict[tuple[Modalite, TypeStructure | None], list[LedgerRow]] = {}
    for line in rows:
        done.setdefault((line.modalite, line.structure), []).append(line)
    keys = sorted(
        {*planned, *done},
        key=lambda k: (list(Modalite).index(k[0]), k[1] is not None, k[1] or ""),
    )
    lines = []
    for key in keys:
        entries, realised_rows = planned.get(key, []), done.get(key, [])
        committed = _committed_trace(context, item, entries)
        realised = _realised_trace(context, item.engagement.lot, realised_rows, key[0])
        lines.append(
            ModalityLine(
                modalite=key[0],
                structure=key[1],
                partenaires=tuple(dict.fromkeys(e.partenaire for e in entries if e.partenaire)),
                engage=committed.result,
                realise=realised.result,
                traces={"engage": committed, "realise": realised},
                facture=any(row.montant_ht is not None for row in realised_rows),
            )
        )
    return lines


def _committed_trace(
    context: _Context, item: CommitmentFile, entries: list[ModalitePrevue]
) -> Trace:
    trace = _builder(context, context.calibration.date_reference)
    parts: list[Operand] = []
    for index, entry in enumerate(item.engagement.modalites):
        if entry not in entries:
            continue
        where = f"{item.path.name}: modalites[{index}]"
        if entry.heures is not None:
            parts.append(Operand("heures prévues", entry.heures, Origin.ENGAGEMENT, where, HOURS))
        else:
            assert entry.montant_ht is not None
            amount = Operand("montant prévu", entry.montant_ht, Origin.ENGAGEMENT, where, EUR)
            parts.append(convert_amount(context.operation, trace, item.engagement.lot, amount))
    _sum(trace, "heures engagées", parts)
    return trace.build()


def _realised_trace(
    context: _Context, lot_number: int, rows: list[LedgerRow], modalite: Modalite
) -> Trace:
    trace = _builder(context, context.calibration.date_reference)
    parts: list[Operand] = []
    hours_rows = [line for line in rows if line.heures is not None]
    if modalite is Modalite.EMBAUCHE_DIRECTE:
        cdi = _cdi_hires(context, hours_rows)
        hours_rows = [line for line in hours_rows if line.participant not in cdi]
        for participant, hired in cdi.items():
            declared = sum((line.heures or ZERO for line in hired), ZERO)
            ref = _rows_ref(context.ledger, hired)
            parts.append(capped_cdi_hours(trace, participant, declared, ref))
    amount_rows = [line for line in rows if line.montant_ht is not None]
    if hours_rows:
        declared = sum((line.heures or ZERO for line in hours_rows), ZERO)
        parts.append(
            Operand(
                "heures déclarées",
                declared,
                Origin.REGISTRE,
                _rows_ref(context.ledger, hours_rows),
                HOURS,
            )
        )
    if amount_rows:
        invoiced = sum((line.montant_ht or ZERO for line in amount_rows), ZERO)
        amount = Operand(
            "montant facturé",
            invoiced,
            Origin.REGISTRE,
            _rows_ref(context.ledger, amount_rows),
            EUR,
        )
        parts.append(convert_amount(context.operation, trace, lot_number, amount))
    _sum(trace, "heures réalisées", parts)
    return trace.build()


def conversion_figures(
    operation: Operation, trace: TraceBuilder, lot_number: int
) -> tuple[Operand, Operand]:
    """The labour share and hourly cost that convert a lot's subcontracting amount into
    hours (``LotInputs.conversion_figures``): for a lot sized by the PACT Propreté, the
    PACT's (80 % and 20 €, amount ÷ C), else the lot's, the clause's or the dated
    parameters at the trace's date, exactly as the calibration reads them. The CCAP prints
    these, ``convert_amount`` uses them."""
    index = next(i for i, lot in enumerate(operation.lots) if lot.numero == lot_number)
    return LotInputs(operation, operation.lots[index], index, trace).conversion_figures()


def convert_amount(
    operation: Operation, trace: TraceBuilder, lot_number: int, amount: Operand
) -> Operand:
    """Hours = amount HT × the lot's labour share ÷ hourly cost, to the hundredth, with the
    figures of ``conversion_figures`` (those the CCAP prints for the lot)."""
    share, cost = conversion_figures(operation, trace, lot_number)
    labour = trace.step(
        "part main-d'œuvre du montant",
        "montant HT × part de main-d'œuvre",
        (amount, share),
        decimal_of(amount) * decimal_of(share),
        EUR,
    )
    exact = decimal_of(labour) / decimal_of(cost)
    converted = trace.step(
        "heures équivalentes (exactes)", "main-d'œuvre ÷ coût horaire", (labour, cost), exact, HOURS
    )
    return trace.step(
        "heures équivalentes",
        "arrondi au centième d'heure, demi supérieur",
        (converted,),
        round_hundredth_hours(exact),
        HOURS,
    )


def _sum(trace: TraceBuilder, label: str, parts: list[Operand]) -> None:
    if len(parts) == 1 and trace.made(parts[0]):
        return  # a single converted amount is already the result
    total = sum((decimal_of(part) for part in parts), ZERO)
    formula = " + ".join(part.name for part in parts) if parts else "aucune ligne"
    trace.step(label, formula, tuple(parts), total, HOURS)


def _total_trace(context: _Context, lines: list[ModalityLine], lot_number: int) -> Trace:
    trace = _builder(context, context.calibration.date_reference)
    parts = tuple(
        line.traces["realise"].as_operand(
            f"réalisé {line.modalite.value}"
            + (f" {line.structure.value}" if line.structure else ""),
            HOURS,
        )
        for line in lines
    )
    total = sum((line.realise for line in lines), ZERO)
    trace.step(f"heures réalisées, lot {lot_number}", "somme des modalités", parts, total, HOURS)
    return trace.build()


def _headcount(
    rows: list[LedgerRow], participants: dict[str, Participant], arrete_au: date
) -> Headcount:
    hours: Counter[str] = Counter()
    for line in rows:
        if line.participant is not None and line.heures is not None:
            hours[line.participant] += line.heures  # type: ignore[assignment]
    people = [participants[pid] for pid in sorted(hours)]
    criteria = Counter(c for person in people for c in person.criteres)
    sexes = Counter(person.sexe for person in people)
    bands = Counter(person.tranche_age for person in people)
    exited = [p for p in people if p.sortie is not None and p.sortie.date <= arrete_au]
    exits = Counter(p.sortie.type.classe for p in exited if p.sortie is not None)
    unrecorded = tuple(p.id for p in people if exit_unrecorded(p, arrete_au))
    total_hours = sum(hours.values(), ZERO)
    return Headcount(
        total=len(people),
        par_critere=tuple((c, criteria[c]) for c in Critere),
        par_sexe=tuple((s, sexes[s]) for s in ("F", "H")),
        par_tranche_age=tuple((b, bands[b]) for b in TrancheAge),
        sorties=tuple((c, exits[c]) for c in ClasseSortie),
        en_parcours=len(people) - len(exited) - len(unrecorded),
        heures_par_participant=round_hundredth_hours(total_hours / len(people)) if people else None,
        sortie_non_renseignee=unrecorded,
        heures_nominatives=total_hours,
        ids=tuple(person.id for person in people),
    )


def exit_unrecorded(person: Participant, arrete_au: date) -> bool:
    """The person's contract ended before the closing date and no exit is recorded: not
    "still on the pathway", but an exit the facilitator has to fill in."""
    ended = person.contrat.fin is not None and person.contrat.fin < arrete_au
    return ended and person.sortie is None


def _cdi_hires(context: _Context, rows: list[LedgerRow]) -> dict[str, list[LedgerRow]]:
    """The direct-hire rows of people hired on a CDI, by participant."""
    hired: dict[str, list[LedgerRow]] = {}
    for line in rows:
        person = context.participants.get(line.participant or "")
        if person is not None and person.contrat.type is TypeContrat.CDI:
            hired.setdefault(person.id, []).append(line)
    return hired


def _builder(context: _Context, at: date) -> TraceBuilder:
    return TraceBuilder(context.parameters, at)


def _rows_ref(ledger: Path, rows: list[LedgerRow]) -> str:
    count = len(rows)
    return f"{ledger.name}, {count} ligne{'s' if count > 1 else ''}"
