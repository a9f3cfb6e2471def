"""Running one hostile case: in a forked process, through ``CliRunner``, with limits."""

from __future__ import annotations

import multiprocessing
import resource
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

MAX_GROWTH_MIB = 384
"""How much a case's process may grow, at its peak, above its size when it started (the
idle command with clausegen imported): the memory one command needs for its input."""

ADDRESS_SPACE_MARGIN_MIB = 2048
"""How much address space a case may add to the forked process's own (``RLIMIT_AS``)."""

TIME_LIMIT_S = 15.0
"""Wall time of a case, fork included; a hung case is killed then."""

MAX_STDERR_BYTES = 64 * 1024
"""An error report stays readable: 20 problems and a count, not megabytes."""


@dataclass(frozen=True)
class Case:
    """One hostile input and what its error must say."""

    name: str
    build: Callable[[Path], list[str]]
    """Writes the inputs into the folder given; returns the command's arguments."""
    names: tuple[str, ...] = ()
    """Strings stderr must contain besides the file: the field path, the row, the column."""
    file: str | None = None
    """The input file the error must name, relative to the folder; None: not checked."""
    exit_code: int = 1
    timeout: float = TIME_LIMIT_S


@dataclass
class Outcome:
    """What running a case gave."""

    exit_code: int | None = None
    stdout: str = ""
    stderr: str = ""
    traceback: str | None = None
    growth_mib: float = 0.0
    seconds: float = 0.0
    timed_out: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _child(arguments: list[str], connection: Connection) -> None:
    """In the forked process: bound the address space, run the command, report."""
    from click.testing import CliRunner

    from clausegen.cli.app import main

    start = _status()
    limit = (start["VmSize"] + ADDRESS_SPACE_MARGIN_MIB * 1024) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    result = CliRunner().invoke(main, arguments)
    error = result.exception
    trace = None
    if error is not None and not isinstance(error, SystemExit) and result.exc_info:
        trace = "".join(traceback.format_exception(*result.exc_info))
    connection.send(
        {
            "exit_code": result.exit_code,
            "stdout": result.stdout[: MAX_STDERR_BYTES * 2],
            "stderr": result.stderr[: MAX_STDERR_BYTES * 2],
            "stderr_length": len(result.stderr),
            "traceback": trace,
            "growth_mib": (_status()["VmHWM"] - start["VmRSS"]) / 1024,
        }
    )
    connection.close()


def _status() -> dict[str, int]:
    """The process's sizes in KiB, from /proc/self/status (VmSize, VmRSS, VmHWM…)."""
    with Path("/proc/self/status").open(encoding="ascii") as status:
        return {
            key: int(value.split()[0])
            for key, _, value in (line.partition(":") for line in status)
            if key.startswith("Vm")
        }


def _context() -> Any:
    """Fork: the test process has clausegen imported, so a case costs a fork."""
    import openpyxl  # noqa: F401

    import clausegen.cli.app  # noqa: F401  imported before forking, once

    return multiprocessing.get_context("fork")


def run_case(arguments: list[str], timeout: float) -> Outcome:
    """Run ``clausegen ARGUMENTS`` in a forked process; kill it at ``timeout`` seconds."""
    context = _context()
    receive, send = context.Pipe(duplex=False)
    start = time.monotonic()
    process = context.Process(target=_child, args=(arguments, send))
    process.start()
    send.close()
    outcome = Outcome()
    if receive.poll(timeout):
        try:
            report = receive.recv()
        except EOFError:  # the process died without reporting
            report = {"traceback": "the process ended without a report"}
        outcome.exit_code = report.get("exit_code")
        outcome.stdout = report.get("stdout", "")
        outcome.stderr = report.get("stderr", "")
        outcome.traceback = report.get("traceback")
        outcome.growth_mib = report.get("growth_mib", 0.0)
        outcome.extra["stderr_length"] = report.get("stderr_length", 0)
        process.join(timeout)
    else:
        outcome.timed_out = True
    if process.is_alive():
        process.kill()  # by its pid: this case's own process
        process.join()
    outcome.seconds = time.monotonic() - start
    if process.exitcode not in (0, None) and outcome.exit_code is None:
        outcome.traceback = f"the process ended with {process.exitcode}"
    receive.close()
    return outcome


def output_left(folder: Path) -> list[str]:
    """What a failed command left in its output folder (which did not exist before)."""
    if not folder.exists():
        return []
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*")) or []
