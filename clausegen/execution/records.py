"""Loading what the execution follow-up needs: participants, commitments, the hours ledger.

The ledger is checked against the operation's lots and execution period, the participants
and, for the compliance statement, the commitments. The operation must give its execution
period; the limit on a person's monthly hours is a dated parameter read at the launch date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
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
    validated = {key: person.date_validation for key, person in participants.items()}
    return ExecutionRecords(
        participants,
        *_ledger(
            calibration, parameters, execution, validated, ledger, participants_file, commitments
        ),
    )


def load_spooled_records(
    operation: Operation,
    operation_file: Path,
    calibration: Calibration,
    parameters: ParameterSet,
    spool: Spool,
    *,
    jobs: int,
    ledger: Path,
    participants_file: Path,
    commitments: Path | None = None,
) -> ExecutionRecords[SpooledParticipant]:
    """As ``load_execution_records``, each participant validated on ``jobs`` workers and
    kept in ``spool`` (``spool_participants``): a batch over a large file holds in memory
    only the ids, validation dates and ledger rows."""
    execution = execution_period(operation, operation_file)
    participants = spool_participants(participants_file, spool, jobs)
    validated = {key: person.date_validation for key, person in participants.items()}
    return ExecutionRecords(
        participants,
        *_ledger(
            calibration, parameters, execution, validated, ledger, participants_file, commitments
        ),
    )


def _ledger(
    calibration: Calibration,
    parameters: ParameterSet,
    execution: Execution,
    validated: dict[str, date],
    ledger: Path,
    participants_file: Path,
    commitments: Path | None,
) -> tuple[Ledger, list[CommitmentFile] | None]:
    """The commitments (when given), then the ledger checked against them and the
    participants' validation dates."""
    engagements = load_commitments(commitments, calibration) if commitments else None
    maximum = parameters.resolve(MAX_MONTHLY_HOURS, calibration.date_reference).value
    assert isinstance(maximum, Decimal)
    checks = LedgerChecks(
        lots={lot.numero: lot.retenu for lot in calibration.lots},
        validated=validated,
        participants_file=participants_file,
        execution=execution,
        max_monthly_hours=maximum,
        companies=(
            {e.engagement.lot: e.engagement.entreprise.siret for e in engagements}
            if engagements is not None
            else None
        ),
    )
    return load_ledger(ledger, checks), engagements
