"""Benchmark: PDF conversion with the pool of warm LibreOffice workers versus one LibreOffice
process, the same DOCX files, in the same run.

Renders the sample's documents (as ``bench/pdf.py`` does), then converts them:

- the baseline: ``convert_to_pdf``, one ``soffice`` batch (what a command does without the
  pool), start-up included, as a command pays it;
- one warm worker: ``LocalPool(1)``, started beforehand (parallelism alone, no start-up);
- the pool: ``LocalPool`` of ``--workers`` (default: the number of cores) warm workers,
  started beforehand, as the service keeps it (its start-up is printed apart).

Each path converts the documents ``--rounds`` times (as successive requests would), and
prints documents/s and the ratios pool / one process (target: 1.7 or more on 2 cores) and
pool / one warm worker.

    .venv/bin/python bench/pdf_pool.py [--documents 20] [--rounds 2] [--workers N]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pdf import sample_documents  # noqa: E402
from clausegen.render.converters import default_workers  # noqa: E402
from clausegen.render.libreoffice import convert_to_pdf, find_soffice  # noqa: E402
from clausegen.render.pool import LocalPool  # noqa: E402


def mover(into: Path):  # type: ignore[no-untyped-def]
    into.mkdir(parents=True, exist_ok=True)
    return lambda pdf: Path(shutil.move(pdf, into / pdf.name))


def pooled_run(workers: int, paths: list[Path], rounds: int, into: Path) -> tuple[float, float]:
    """Seconds to convert ``paths`` ``rounds`` times on a started pool, and to start it."""
    pool = LocalPool(workers)
    try:
        started = time.perf_counter()
        pool.start()
        warmup = time.perf_counter() - started
        started = time.perf_counter()
        for round_ in range(rounds):
            conversion = pool.convert(paths, store=mover(into / str(round_)), timeout=60)
            if conversion.error is not None:
                raise SystemExit(str(conversion.error))
        return time.perf_counter() - started, warmup
    finally:
        pool.close()


@dataclass(frozen=True)
class PoolFigures:
    """Seconds each path took to convert the same ``documents`` ``rounds`` times."""

    documents: int
    rounds: int
    workers: int
    one: float
    """One LibreOffice process per batch, start-up included."""
    single: float
    """One warm worker, started beforehand."""
    pooled: float
    """The pool of ``workers`` warm workers, started beforehand."""
    warmup: float
    """Seconds the pool took to start."""

    def lines(self) -> list[str]:
        """The figures as printed: documents/s of each path and the ratios."""
        total = self.documents * self.rounds
        return [
            f"{self.documents} documents x {self.rounds} rounds, the same DOCX files on every path",
            f"one LibreOffice process per batch: {self.one:.1f} s = "
            f"{total / self.one:.2f} documents/s",
            f"pool of {self.workers} warm workers: {self.pooled:.1f} s = "
            f"{total / self.pooled:.2f} documents/s (started beforehand in {self.warmup:.1f} s)",
            f"one warm worker: {self.single:.1f} s = {total / self.single:.2f} documents/s",
            f"ratio pool / one process (documents/s): {self.one / self.pooled:.2f}",
            f"ratio pool / one warm worker (documents/s): {self.single / self.pooled:.2f}",
        ]


def measure(documents: int, rounds: int, workers: int) -> PoolFigures:
    """Render ``documents`` sample documents, then time each path on them."""
    soffice = find_soffice()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rendered = sample_documents(folder / "rendered", documents)
        inbox = folder / "docx"
        inbox.mkdir()
        for document in rendered:
            (inbox / document.name).write_bytes(document.content)
        paths = sorted(inbox.iterdir())

        started = time.perf_counter()
        for round_ in range(rounds):
            conversion = convert_to_pdf(
                paths, store=mover(folder / f"one-{round_}"), soffice=soffice
            )
            if conversion.error is not None:
                raise SystemExit(str(conversion.error))
        one = time.perf_counter() - started

        single, _ = pooled_run(1, paths, rounds, folder / "single")
        pooled, warmup = pooled_run(workers, paths, rounds, folder / "pool")
    return PoolFigures(len(paths), rounds, workers, one, single, pooled, warmup)


def main_bench() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=default_workers())
    args = parser.parse_args()
    for line in measure(args.documents, args.rounds, args.workers).lines():
        print(line)


if __name__ == "__main__":
    main_bench()
