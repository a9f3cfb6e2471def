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
from clausegen.execution.ledger import MAX_MONTHLY_HOURS, Ledger, LedgerChecks, load_ledger
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
    return _with_ledger(
        participants, engagements, calibration, parameters, execution, ledger, participants_file
    )


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
    are held in memory."""
    execution = execution_period(operation, operation_file)
    participants = spool_participants(participants_file, spool, pool)
    return _with_ledger(
        participants, engagements, calibration, parameters, execution, ledger, participants_file
    )


def _with_ledger(
    participants: dict[str, Person],
    engagements: list[CommitmentFile] | None,
    calibration: Calibration,
    parameters: ParameterSet,
    execution: Execution,
    ledger: Path,
    participants_file: Path,
) -> ExecutionRecords[Person]:
    """The participants and commitments, and the ledger checked against them (the
    participants' validation dates, the committed companies)."""
    maximum = parameters.resolve(MAX_MONTHLY_HOURS, calibration.date_reference).value
    assert isinstance(maximum, Decimal)
    checks = LedgerChecks(
        lots={lot.numero: lot.retenu for lot in calibration.lots},
        validated={key: person.date_validation for key, person in participants.items()},
        participants_file=participants_file,
        execution=execution,
        max_monthly_hours=maximum,
        companies=(
            {e.engagement.lot: e.engagement.entreprise.siret for e in engagements}
            if engagements is not None
            else None
        ),
    )
    return ExecutionRecords(participants, load_ledger(ledger, checks), engagements)
