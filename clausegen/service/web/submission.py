"""A posted form, read the way the CLI reads an operation file, and sized.

The form's mapping is written as ``operation.yaml`` in a private temporary folder (the name
is the server's, never the user's) and loaded with ``load_operation``: the same model, the
same limits and the same messages as ``clausegen calibrate``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from clausegen.calibration.calibrate import Calibration, calibrate
from clausegen.errors import ClausegenError, InputError, Problem
from clausegen.inputs.loading import load_operation
from clausegen.inputs.operation import Operation
from clausegen.law.parameters import ParameterSet, load_parameters
from clausegen.service.web.form import FormState, operation_data, operation_yaml

OPERATION_FILE = "operation.yaml"


@dataclass
class Submission:
    """The form as posted: its state, the operation file it makes, and what came of it."""

    state: FormState
    yaml_text: str
    folder: Path
    operation: Operation | None = None
    calibration: Calibration | None = None
    problems: list[Problem] = field(default_factory=list)
    """Input problems, each at its field path (the CLI's messages)."""
    errors: list[str] = field(default_factory=list)
    """Errors that are about no single field (a parameter not in force, a lot not sizable)."""

    @property
    def path(self) -> Path:
        return self.folder / OPERATION_FILE

    @property
    def ok(self) -> bool:
        return self.calibration is not None and not self.problems and not self.errors


@contextmanager
def submitted(state: FormState, parameters: ParameterSet | None = None) -> Iterator[Submission]:
    """Read and size the form's operation; its file lives until the ``with`` block ends."""
    data, problems = operation_data(state)
    text = operation_yaml(data)
    with tempfile.TemporaryDirectory(prefix="clausegen-web-") as folder:
        submission = Submission(state, text, Path(folder), problems=list(problems))
        submission.path.write_text(text, encoding="utf-8")
        try:
            submission.operation = load_operation(submission.path)
        except InputError as error:
            submission.problems += error.problems
        except ClausegenError as error:
            submission.errors.append(str(error))
        if submission.operation is not None and not submission.problems:
            operation = submission.operation
            try:
                submission.calibration = calibrate(
                    operation,
                    parameters or load_parameters(),
                    operation.consultation.date_lancement,
                )
            except ClausegenError as error:
                submission.errors.append(str(error))
        yield submission
