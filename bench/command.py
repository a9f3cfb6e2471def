"""Benchmark: the whole command — start-up, input loading, both cores, flat memory (issue 19).

Every figure is a ratio of two measures taken in this run, on this machine:

- start-up: CPU (user + system, of the child process, from ``os.wait4``) of
  ``clausegen --help`` and of ``clausegen calibrate`` on a single-lot operation, against
  ``python -c "import click, pydantic, yaml"``; the least of ``--repeat`` runs each, taken
  in turn (every command once per round), beside two floors of what design.md asks. As
  installed: clausegen's modules are compiled to bytecode first (``compileall``), as a wheel
  installs them, since this environment may set ``PYTHONDONTWRITEBYTECODE``;
- loading: CPU of loading the participants and the ledger as ``balance`` does (read,
  check, validate) against the bare-parse floor, ``yaml.CSafeLoader`` and ``csv`` alone on
  the same files; the least of ``--repeat`` runs each;
- ``balance`` at two sizes with ``--jobs 1`` and ``--jobs 2``, in turn ``--rounds`` times:
  the least wall time of each and the speed-up; then,
  in a third run with ``--jobs 2``, the peak memory of the whole process tree (the command and
  its workers). Timed runs are not sampled: sampling costs CPU and takes the memory locks of
  the processes it reads, which would slow the two workers more than the single process.

Memory: a thread samples the tree every few milliseconds through ``/proc`` (the command,
then its children, recursively) and keeps the peak of the *sum*. Each process counts its
PSS (``smaps_rollup``: its private pages, plus its share of the pages it shares), so that
pages a forked worker shares with the parent count once: the sum is the physical memory
the tree holds. ``getrusage(RUSAGE_CHILDREN)`` would only give the largest single process,
and a sum of RSS counts every shared page once per process; the RSS sum is printed too.

    cd bench && ../.venv/bin/python command.py [--sizes 1000 10000] [--repeat 5] [--rounds 2]
                                               [--ceiling 5000000]

Linux only (``/proc``). The inputs are generated in a temporary folder by ``balance.py``'s
generator.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from balance import OPERATION, generate  # noqa: E402

MIB = 1024 * 1024
ONE_MODEL = """
import click, yaml
from pydantic import BaseModel
class Lot(BaseModel):
    heures: int
Lot(heures=1)
"""
"""The least of pydantic a command validating its input needs: one model built, one value
validated."""
DESIGN_FLOOR = """
import click, yaml
from decimal import Decimal
from pydantic import BaseModel
from stdnum.fr import siret
from babel.numbers import format_currency
class Lot(BaseModel):
    heures: Decimal
Lot(heures="1")
siret.validate("73282932000074")
format_currency(Decimal("1234.5"), "EUR", locale="fr_FR")
"""
"""What design.md asks of ``calibrate`` at the least (§2 and §7): its input validated by a
pydantic model, a SIRET checked by python-stdnum, an amount formatted by Babel in French."""
SAMPLE_SECONDS = 0.005

TARGET_STARTUP = 1.5
TARGET_LOAD = 2.0
TARGET_SPEEDUP = 1.8
TARGET_MEMORY = 1.3


def clausegen_command() -> list[str]:
    """The installed ``clausegen`` next to this Python, else ``python -m clausegen``."""
    script = shutil.which("clausegen", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "clausegen"]


def child_cpu(command: Sequence[str], environment: dict[str, str] | None = None) -> float:
    """User + system CPU seconds of one run of ``command`` (its exit status checked), in
    ``environment`` (this process's by default)."""
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.stderr is not None
    errors = process.stderr.read().decode()
    process.stderr.close()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{errors}")
    return usage.ru_utime + usage.ru_stime


def compile_clausegen() -> str:
    """Compile clausegen's modules to bytecode, as installing a wheel does; what was done."""
    import compileall

    import clausegen

    package = Path(clausegen.__file__).parent
    if not compileall.compile_dir(package, quiet=1, workers=1):
        raise SystemExit(f"compiling {package} failed")
    return f"clausegen's modules compiled to bytecode first, as installed ({package})"


def least(measure: Callable[[], float], repeat: int) -> float:
    return min(measure() for _ in range(repeat))


def verdict(label: str, value: float, target: float, *, at_most: bool) -> str:
    ok = value <= target if at_most else value >= target
    sign = "≤" if at_most else "≥"
    return f"{label}: {value:.2f} (target {sign} {target}) {'PASS' if ok else 'FAIL'}"


# --- memory of a process tree ------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found.extend(int(child) for child in (task / "children").read_text().split())
    except OSError:  # the process ended meanwhile
        pass
    return found


def _memory(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of ``pid`` in bytes; zeros once it has ended."""
    pss = rss = 0
    try:
        with Path(f"/proc/{pid}/smaps_rollup").open() as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
    except OSError:
        pass
    return pss, rss


class TreePeak:
    """The peak, over time, of the summed memory of a process and all its descendants."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.pss = 0
        self.rss = 0
        self.processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            tree, pending = [], [self.pid]
            while pending:
                pid = pending.pop()
                tree.append(pid)
                pending.extend(_children(pid))
            sizes = [_memory(pid) for pid in tree]
            self.pss = max(self.pss, sum(pss for pss, _ in sizes))
            self.rss = max(self.rss, sum(rss for _, rss in sizes))
            self.processes = max(self.processes, len(tree))
            time.sleep(SAMPLE_SECONDS)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


# --- the measures ------------------------------------------------------------------------------


def startup(folder: Path, repeat: int) -> list[str]:
    """``--help`` and single-lot ``calibrate`` against importing click, pydantic and yaml."""
    operation = yaml.safe_load(OPERATION.read_text("utf-8"))
    operation["lots"] = operation["lots"][:1]
    single = folder / "single-lot.yaml"
    single.write_text(yaml.safe_dump(operation, allow_unicode=True), "utf-8")
    clausegen = clausegen_command()
    lines = [compile_clausegen()]
    # pydantic 2's ``import pydantic`` is lazy: the baseline loads no model machinery, which
    # every command validating its input with pydantic's models needs. Both floors run as
    # clausegen runs: without pydantic's plugin discovery (``cli.app.run``).
    floor_environment = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": "__all__"}
    commands: dict[str, tuple[list[str], dict[str, str] | None]] = {
        "baseline": ([sys.executable, "-c", "import click, pydantic, yaml"], None),
        "model": ([sys.executable, "-c", ONE_MODEL], floor_environment),
        "design": ([sys.executable, "-c", DESIGN_FLOOR], floor_environment),
        "--help": ([*clausegen, "--help"], None),
        "calibrate": ([*clausegen, "calibrate", str(single)], None),
    }
    # in turn, ``repeat`` rounds: a slow moment of these shared cores weighs on every measure
    # alike, not on one of them (the baseline measured slow made every ratio look smaller)
    cpu = dict.fromkeys(commands, float("inf"))
    for _ in range(repeat):
        for name, (command, environment) in commands.items():
            cpu[name] = min(cpu[name], child_cpu(command, environment))
    floor = cpu["baseline"]
    lines.append(f"python -c 'import click, pydantic, yaml': {floor:.3f} s CPU")
    lines.append(
        f"python -c '<one pydantic model with one field, validated once>': {cpu['model']:.3f} "
        f"s CPU, {cpu['model'] / floor:.2f}× the baseline (the least a command validating its "
        "input with pydantic's models can cost)"
    )
    lines.append(
        f"python -c '<one pydantic model validated, a SIRET checked by python-stdnum, an "
        f"amount formatted by Babel in French>': {cpu['design']:.3f} s CPU, "
        f"{cpu['design'] / floor:.2f}× the baseline (the least a command doing what design.md "
        "asks of every input and figure can cost)"
    )
    for label in ("--help", "calibrate"):
        lines.append(f"clausegen {label}: {cpu[label]:.3f} s CPU")
        lines.append(
            verdict(f"start-up ratio, {label}", cpu[label] / floor, TARGET_STARTUP, at_most=True)
        )
    return lines


def loading(participants: Path, ledger: Path, repeat: int) -> list[str]:
    """Loading as ``balance`` does, against parsing the same files and nothing else."""
    from clausegen.cli.options import sized
    from clausegen.execution.records import load_spooled_records
    from clausegen.execution.spool import Spool

    operation, parameters, calibration = sized(OPERATION)

    def bare_parse() -> float:
        started = time.process_time()
        yaml.load(participants.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)
        text = ledger.read_bytes().decode("utf-8")
        list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
        return time.process_time() - started

    def load() -> float:
        started = time.process_time()
        with Spool() as spool:
            load_spooled_records(
                operation,
                OPERATION,
                calibration,
                parameters,
                spool,
                None,  # no workers: in this process, whose CPU is measured
                ledger=ledger,
                participants_file=participants,
                engagements=None,
            )
        return time.process_time() - started

    floor = least(bare_parse, repeat)
    cost = least(load, repeat)
    return [
        f"bare parse (CSafeLoader + csv): {floor:.2f} s CPU; clausegen's loading: {cost:.2f} s CPU",
        verdict("load ratio", cost / floor, TARGET_LOAD, at_most=True),
    ]


def balance(
    participants: Path, ledger: Path, outdir: Path, jobs: int, *, sampled: bool
) -> tuple[float, TreePeak | None, str]:
    """Wall seconds, the tree's memory peak when ``sampled``, and a digest of the files
    written. Sampling reads every process's ``smaps_rollup`` every few milliseconds, which
    costs CPU and takes the processes' memory locks: timed runs are not sampled."""
    command = [
        *clausegen_command(),
        "balance",
        str(OPERATION),
        f"--ledger={ledger}",
        f"--participants={participants}",
        f"--jobs={jobs}",
        "--quiet",
        "-o",
        str(outdir),
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = TreePeak(process.pid) if sampled else None
    _, errors = process.communicate()
    elapsed = time.perf_counter() - started
    if peak is not None:
        peak.stop()
    if process.returncode != 0:
        raise SystemExit(f"clausegen balance --jobs {jobs} failed:\n{errors.decode()}")
    digest = _digest(outdir)
    shutil.rmtree(outdir)
    return elapsed, peak, digest


def _digest(folder: Path) -> str:
    """The DOCX files' names and bytes; manifests are left out (they record the run's time)."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.docx")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _arithmetic(count: int) -> int:
    total = 0
    for number in range(count):
        total += number * number % 7
    return total


def machine_ceiling(rounds: int = 3, count: int = 5_000_000) -> str:
    """What two processes can gain on this machine at all: the same pure-Python arithmetic
    run twice in one process, then once in each of two (no I/O, no shared data); the least
    time of each over ``rounds``, as for the balances (a ratio of single rounds would keep
    the round a slow moment hit hardest). Shared cores (a virtual machine's) can hold this
    below 2, and the balances' speed-up with it."""
    context = multiprocessing.get_context("fork")
    one = two = float("inf")
    with context.Pool(2) as pool:
        for _ in range(rounds):
            started = time.perf_counter()
            _arithmetic(count)
            _arithmetic(count)
            one = min(one, time.perf_counter() - started)
            started = time.perf_counter()
            pool.map(_arithmetic, [count, count])
            two = min(two, time.perf_counter() - started)
    return f"machine: two processes do {one / two:.2f}× the arithmetic of one (the ceiling)"


def balances(folder: Path, sizes: Sequence[int], rounds: int, ceiling: int) -> list[str]:
    """Each size: ``--jobs 1`` and ``--jobs 2`` timed in turn, ``rounds`` times, the least
    wall time of each kept (a slow moment of shared cores hits one run, not both kinds);
    then one sampled run for memory."""
    lines = []
    memory: dict[int, float] = {}
    for size in sizes:
        data = folder / f"n{size}"
        data.mkdir()
        participants, ledger = generate(data, size)
        times: dict[int, float] = {1: float("inf"), 2: float("inf")}
        digests = set()
        for _ in range(rounds):
            for jobs in (1, 2):
                elapsed, _, digest = balance(
                    participants, ledger, data / f"out-{jobs}", jobs, sampled=False
                )
                times[jobs] = min(times[jobs], elapsed)
                digests.add(digest)
        for jobs, elapsed in times.items():
            lines.append(
                f"balance N={size:>6} --jobs {jobs}: {elapsed:6.1f} s wall, "
                f"{size / elapsed:6.1f} documents/s"
            )
        _, peak, digest = balance(participants, ledger, data / "out-memory", 2, sampled=True)
        assert peak is not None
        digests.add(digest)
        memory[size] = peak.pss
        lines.append(
            f"balance N={size:>6} --jobs 2, memory sampled: tree peak {peak.pss / MIB:6.1f} MiB "
            f"PSS ({peak.rss / MIB:6.1f} MiB RSS summed, {peak.processes} processes)"
        )
        same = "identical" if len(digests) == 1 else "DIFFERENT"
        lines.append(f"balance N={size:>6}: --jobs 2 / --jobs 1 DOCX files {same}")
        speedup = times[1] / times[2]
        lines.append(f"balance N={size:>6}: speed-up --jobs 2 / --jobs 1: {speedup:.2f}")
        if size == max(sizes):
            lines.append(machine_ceiling(count=ceiling))
            lines.append(verdict(f"speed-up at N={size}", speedup, TARGET_SPEEDUP, at_most=False))
    small, large = min(sizes), max(sizes)
    lines.append(
        verdict(
            f"tree peak memory (PSS, --jobs 2) N={large} / N={small}",
            memory[large] / memory[small],
            TARGET_MEMORY,
            at_most=True,
        )
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--rounds", type=int, default=2, help="timed balance runs of each kind (least kept)"
    )
    parser.add_argument(
        "--ceiling",
        type=int,
        default=5_000_000,
        help="arithmetic steps each process does to measure the machine's ceiling",
    )
    arguments = parser.parse_args()
    small, large = sorted(arguments.sizes)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for line in startup(folder, arguments.repeat):
            print(line, flush=True)
        loads = folder / "load"
        loads.mkdir()
        participants, ledger = generate(loads, large)
        for line in loading(participants, ledger, max(1, arguments.repeat // 2)):
            print(line, flush=True)
        for line in balances(folder, [small, large], arguments.rounds, arguments.ceiling):
            print(line, flush=True)


if __name__ == "__main__":
    main()
