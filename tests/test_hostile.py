"""The hostile-input corpus (issue 15), run through the command line: see tests/hostile."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.hostile.corpus import CLASSES, all_cases
from tests.hostile.runner import MAX_GROWTH_MIB, MAX_STDERR_BYTES, Case, output_left, run_case

CASES = all_cases()


@pytest.mark.parametrize(("kind", "case"), CASES, ids=[f"{k}/{c.name}" for k, c in CASES])
def test_hostile_input(kind: str, case: Case, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    out = tmp_path / "out"
    arguments = [argument.replace("{out}", str(out)) for argument in case.build(inputs)]
    outcome = run_case(arguments, case.timeout)
    assert not outcome.timed_out, f"still running after {case.timeout} s"
    assert outcome.traceback is None, outcome.traceback
    assert "Traceback" not in outcome.stderr + outcome.stdout
    assert outcome.exit_code == case.exit_code, outcome.stderr
    stderr = outcome.stderr
    assert outcome.extra["stderr_length"] <= MAX_STDERR_BYTES, "the error report is too long"
    lines = stderr.splitlines()
    if case.exit_code == 1:
        assert lines, "no error message"
        assert all(line.startswith("Error: ") for line in lines), stderr
    else:
        assert any(line.startswith("Error: ") for line in lines), stderr
    if case.file is not None:
        assert str(inputs / case.file) in stderr, stderr
    for name in case.names:
        assert name in stderr, f"{name!r} not in {stderr!r}"
    assert output_left(out) == []
    assert outcome.growth_mib <= MAX_GROWTH_MIB, f"grew by {outcome.growth_mib:.0f} MiB"
    assert outcome.seconds <= case.timeout


def test_the_corpus_covers_every_class_with_enough_cases() -> None:
    counts = Counter(kind for kind, _ in CASES)
    assert set(counts) == set(CLASSES)
    assert sum(counts[k] for k in ("extreme_values", "notations", "input_files")) >= 180
    assert sum(counts.values()) >= 300
    assert all(count >= 30 for count in counts.values()), counts
