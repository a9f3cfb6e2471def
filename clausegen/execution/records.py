"""Loading what the execution follow-up needs: participants, commitments, the hours ledger.

The ledger is checked against the operation's lots and execution period, the participants
and, for the compliance statement, the commitments. The operation must give its execution
period; the limit on a person's monthly hours is a dated parameter read at the launch date.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Generic, TypeVar

from clausegen.calibration.calibrate import Calibration
from clausegen.errors import InputError, Problem
from clausegen.execution.commitments import CommitmentFile, load_commitments
from clausegen.execution.ledger import (
    MAX_MONTHLY_HOURS,
    KnownParticipants,
    Ledger,
    LedgerChecks,
    checked_ledger,
    load_ledger,
    read_ledger,
)
from clausegen.execution.participants import (
    Participant,
    SpooledParticipant,
    load_participants,
    spool_participants,
)
from clausegen.execution.spool import Spool
from clausegen.inputs.operation import Execution, Operation
from clausegen.law.parameters import ParameterSet

Person = TypeVar("Person", Participant, SpooledParticipant)


@dataclass(frozen=True)
class ExecutionRecords(Generic[Person]):
    """The validated follow-up data of one operation (its participants in memory, or kept
    on disk with only their ids and validation dates in memory)."""

    participants: dict[str, Person]
    registre: Ledger
    engagements: list[CommitmentFile] | None


def execution_period(operation: Operation, operation_file: Path) -> Execution:
    if operation.execution is None:
        raise InputError(
            path=operation_file,
            problems=[
                Problem(
                    "execution",
                    "the execution period is needed to follow the hours; add "
                    "execution: {debut: YYYY-MM-DD, fin: YYYY-MM-DD}.",
                )
            ],
        )
    return operation.execution


def load_execution_records(
    operation: Operation,
    operation_file: Path,
    calibration: Calibration,
    parameters: ParameterSet,
    *,
    ledger: Path,
    participants_file: Path,
    commitments: Path | None = None,
) -> ExecutionRecords[Participant]:
    """Participants, then commitments (when given), then the ledger checked against both."""
    execution = execution_period(operation, operation_file)
    participants = load_participants(participants_file)
    engagements = load_commitments(commitments, calibration) if commitments else None
    checks = _ledger_checks(calibration, parameters, execution, engagements)
    registre = load_ledger(ledger, checks, _known(participants, participants_file))
    return ExecutionRecords(participants, registre, engagements)


def load_spooled_records(
    operation: Operation,
    operation_file: Path,
    calibration: Calibration,
    parameters: ParameterSet,
    spool: Spool,
    pool: Pool | None,
    *,
    ledger: Path,
    participants_file: Path,
    engagements: list[CommitmentFile] | None,
) -> ExecutionRecords[SpooledParticipant]:
    """As ``load_execution_records``, with the commitments already read (a batch reads them
    before starting its workers), each participant validated on ``pool``'s workers and kept
    in ``spool`` (``spool_participants``): only the ids, validation dates and ledger rows
    are held in memory. The ledger is read here while the workers validate the
    participants; a problem in the participants file is still the one reported first."""
    execution = execution_period(operation, operation_file)
    spooling = spool_participants(participants_file, spool, pool)
    checks = _ledger_checks(calibration, parameters, execution, engagements)
    try:
        reading = read_ledger(ledger, checks)
    except InputError:
        spooling.finish()  # raises the participants file's problem, if it has one
        raise
    participants = spooling.finish()
    return ExecutionRecords(
        participants, checked_ledger(reading, _known(participants, participants_file)), engagements
    )


def _ledger_checks(
    calibration: Calibration,
    parameters: ParameterSet,
    execution: Execution,
    engagements: list[CommitmentFile] | None,
) -> LedgerChecks:
    """What the ledger's rows are checked against, but the participants: the lots, the
    execution period, a person's monthly limit (a dated parameter), the committed
    companies."""
    maximum = parameters.resolve(MAX_MONTHLY_HOURS, calibration.date_reference).value
    assert isinstance(maximum, Decimal)
    return LedgerChecks(
        lots={lot.numero: lot.retenu for lot in calibration.lots},
        execution=execution,
        max_monthly_hours=maximum,
        companies=(
            {e.engagement.lot: e.engagement.entreprise.siret for e in engagements}
            if engagements is not None
            else None
        ),
    )


def _known(participants: dict[str, Person], participants_file: Path) -> KnownParticipants:
    """Each participant's validation date, the ledger's rows are checked against."""
    return KnownParticipants(
        {key: person.date_validation for key, person in participants.items()}, participants_file
    )
