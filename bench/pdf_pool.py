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


def main_bench() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=default_workers())
    args = parser.parse_args()
    soffice = find_soffice()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        documents = sample_documents(folder / "rendered", args.documents)
        inbox = folder / "docx"
        inbox.mkdir()
        for document in documents:
            (inbox / document.name).write_bytes(document.content)
        paths = sorted(inbox.iterdir())
        total = len(paths) * args.rounds

        started = time.perf_counter()
        for round_ in range(args.rounds):
            conversion = convert_to_pdf(
                paths, store=mover(folder / f"one-{round_}"), soffice=soffice
            )
            if conversion.error is not None:
                raise SystemExit(str(conversion.error))
        one = time.perf_counter() - started

        single, _ = pooled_run(1, paths, args.rounds, folder / "single")
        pooled, warmup = pooled_run(args.workers, paths, args.rounds, folder / "pool")

    print(f"{len(paths)} documents x {args.rounds} rounds, the same DOCX files on both paths")
    print(f"one LibreOffice process per batch: {one:.1f} s = {total / one:.2f} documents/s")
    print(
        f"pool of {args.workers} warm workers: {pooled:.1f} s = {total / pooled:.2f} documents/s "
        f"(started beforehand in {warmup:.1f} s)"
    )
    print(f"one warm worker: {single:.1f} s = {total / single:.2f} documents/s")
    print(f"ratio pool / one process (documents/s): {one / pooled:.2f}")
    print(f"ratio pool / one warm worker (documents/s): {single / pooled:.2f}")


if __name__ == "__main__":
    main_bench()
