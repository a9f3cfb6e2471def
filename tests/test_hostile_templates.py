"""The hostile-template corpus (issue 15, item 4), each case run through the CLI.

``templates check`` must fault each template with its place, and ``tender --templates``
refuse it with a clear error naming the template (and, when it fails while rendering, the
document): never a traceback, never a file left behind. A template the lint cannot fault
must pass the check and be stopped while rendering. The budget tests run the command in
its own process and measure its peak memory and time.
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docx import Document

from clausegen.render import budget
from tests.helpers import OPERATION, ROOT, run
from tests.hostile_templates import hostile_templates

CASES = list(hostile_templates())


def test_the_corpus_has_at_least_60_cases_of_each_kind_of_hostility():
    kinds = collections.Counter(case.kind for case in CASES)
    assert len(CASES) >= 60
    assert set(kinds) == {
        "forbidden tag",
        "tag outside the text",
        "not a template file",
        "refused at render",
    }
    assert len({case.name for case in CASES}) == len(CASES)


def _no_traceback(result) -> None:  # type: ignore[no-untyped-def]
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_hostile_template_is_refused_by_check_and_by_the_command(tmp_path, case):
    folder = tmp_path / "modeles"
    template = folder / "tender.docx"
    case.build(template)

    check = run("templates", "check", folder)
    _no_traceback(check)
    if case.place is None:
        assert (check.exit_code, check.stderr) == (0, ""), check.stderr
    else:
        assert check.exit_code == 1
        lines = check.stderr.splitlines()
        assert lines and all(line.startswith(f"Error: {template}: ") for line in lines)
        assert any(
            line.startswith(f"Error: {template}: {case.place}, ") and case.phrase in line
            for line in lines
        ), check.stderr

    out = tmp_path / "dce"
    command = run("tender", OPERATION, "-o", out, "--templates", folder)
    _no_traceback(command)
    assert (command.exit_code, command.stdout) == (1, "")
    lines = command.stderr.splitlines()
    assert lines and all(line.startswith(f"Error: {template}: ") for line in lines)
    if case.place is None:
        assert lines == [line for line in lines if "ccap-clause-insertion.docx: " in line]
        assert case.phrase in command.stderr
    assert not out.exists()


def _house_template(folder: Path, *paragraphs: str) -> Path:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    folder.mkdir(parents=True, exist_ok=True)
    document.save(str(folder / "tender.docx"))
    return folder / "tender.docx"


def test_a_template_running_too_long_is_stopped_at_the_time_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(budget, "TIME_BUDGET", 1.0)
    template = _house_template(
        tmp_path / "modeles",
        "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
    )
    assert run("templates", "check", template).exit_code == 0
    started = time.monotonic()
    result = run("tender", OPERATION, "-o", tmp_path / "dce", "--templates", template.parent)
    assert time.monotonic() - started < 10
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {template}: ccap-clause-insertion.docx: rendering took more than 1 s, the most "
        "one document may take; the template's loops do too much: simplify them.\n"
    )
    assert not (tmp_path / "dce").exists()


MEMORY_CEILING_MIB = 768
"""The command's peak resident memory when a template tries to allocate gigabytes: the
process (under 100 MiB) plus the 512 MiB budget, with room for the measurement."""


def _measured(*args: str | Path) -> tuple[int, str, float, float]:
    """Run ``clausegen ARGS`` in its own process: exit code, stderr, seconds, peak MiB."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "clausegen", *map(str, args)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert process.stderr is not None
    stderr = process.stderr.read().decode("utf-8")
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, stderr, time.monotonic() - started, usage.ru_maxrss / 1024


def test_a_template_allocating_gigabytes_fails_within_the_memory_budget(tmp_path):
    """Text doubled 40 times through a namespace (10 TiB if let run): no lint rule sees
    it; the memory budget stops it."""
    template = _house_template(
        tmp_path / "modeles",
        "{% set ns = namespace(texte='AAAAAAAAAA') %}",
        "{% for i in range(40) %}{% set ns.texte = ns.texte ~ ns.texte %}{% endfor %}",
        "{{ ns.texte|length }}",
    )
    code, stderr, seconds, peak = _measured(
        "tender", OPERATION, "-o", tmp_path / "dce", "--templates", template.parent
    )
    assert (code, stderr) == (
        1,
        f"Error: {template}: ccap-clause-insertion.docx: rendering needed more than 512 MiB of "
        "memory, the most one document may take; the template builds a huge text: simplify "
        "it.\n",
    )
    assert peak < MEMORY_CEILING_MIB, f"peak {peak:.0f} MiB"
    assert seconds < budget.TIME_BUDGET + 20
    assert not (tmp_path / "dce").exists()


def test_a_gigabyte_repetition_is_refused_before_it_is_allocated(tmp_path):
    template = _house_template(
        tmp_path / "modeles", "{{ 'A' * (lots_retenus|length * 10**9) }}", "{{ 'x'|center(10**9) }}"
    )
    code, stderr, _, peak = _measured(
        "tender", OPERATION, "-o", tmp_path / "dce", "--templates", template.parent
    )
    assert code == 1
    assert stderr.startswith(f"Error: {template}: paragraph 2, ")
    template = _house_template(tmp_path / "autres", "{{ 'A' * (lots_retenus|length * 10**9) }}")
    code, stderr, _, peak = _measured(
        "tender", OPERATION, "-o", tmp_path / "dce", "--templates", template.parent
    )
    assert (code, stderr) == (
        1,
        f"Error: {template}: ccap-clause-insertion.docx: the template does what the sandbox "
        "forbids (* would make 6 000 000 000 characters or items, over the limit of "
        f"1 000 000); clausegen templates check {template} shows where.\n",
    )
    _, _, _, usual = _measured("tender", OPERATION, "-o", tmp_path / "usual")
    assert peak < usual + 100, f"peak {peak:.0f} MiB, {usual:.0f} MiB with the bundled template"
