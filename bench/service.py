"""Benchmark: the HTTP API under N concurrent clients on loopback.

Starts ``clausegen serve`` in a subprocess, then for each scenario (calibrage, tender DOCX,
tender with PDF) sends a fixed count of requests from N client threads and prints
requests/s, p50/p95 latency and the count of each status. A last scenario sends more
concurrent requests than the server's stated limits (concurrency + queue) to show them
answered 429/503 with Retry-After, not lost or failed. Last, the PDF conversion rate of
the pool of warm workers against one LibreOffice process, on the same DOCX files, measured
in the same run by ``bench/pdf_pool.py``'s ``measure`` (target: 1.7 or more on 2 cores).

    .venv/bin/python bench/service.py [--clients 4] [--requests 40] [--pdf-requests 8]
                                      [--pdf-documents 20] [--pdf-rounds 2]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pdf_pool import measure  # noqa: E402
from clausegen.render.converters import default_workers  # noqa: E402

OPERATION = ROOT / "samples" / "groupe-scolaire-jaures" / "operation.yaml"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(port: int, *options: str) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "clausegen", "serve", "--port", str(port), *options],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
            return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start")


def _scenario(base: str, name: str, count: int, clients: int, **request: object) -> None:
    def one(_: int) -> tuple[int, float]:
        started = time.perf_counter()
        with httpx.Client(base_url=base, timeout=600) as client:
            files = {"operation": ("operation.yaml", OPERATION.read_bytes())}
            response = client.post(files=files, **request)  # type: ignore[arg-type]
        return response.status_code, time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(one, range(count)))
    elapsed = time.perf_counter() - started
    latencies = sorted(seconds for _, seconds in results)
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    statuses = Counter(status for status, _ in results)
    print(
        f"{name:<22} {count:>4} requests, {clients} clients: {count / elapsed:6.1f} req/s, "
        f"p50 {statistics.median(latencies) * 1000:7.0f} ms, p95 {p95 * 1000:7.0f} ms, "
        f"statuses {dict(sorted(statuses.items()))}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--pdf-requests", type=int, default=8)
    parser.add_argument("--pdf-documents", type=int, default=20)
    parser.add_argument("--pdf-rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=default_workers())
    args = parser.parse_args()
    port = _free_port()
    limit, queued = 2, 2
    server = _start(port, "--max-concurrent", str(limit), "--max-queued", str(queued))
    base = f"http://127.0.0.1:{port}"
    try:
        print(f"server: --max-concurrent {limit} --max-queued {queued}")
        _scenario(base, "calibrage", args.requests, args.clients, url="/calibrage")
        _scenario(base, "tender DOCX", args.requests, args.clients, url="/documents/tender")
        _scenario(
            base,
            "tender with PDF",
            args.pdf_requests,
            min(args.clients, limit + queued),
            url="/documents/tender",
            params={"pdf": "true"},
        )
        over = (limit + queued) * 3
        _scenario(
            base,
            "over the limits (PDF)",
            over,
            over,
            url="/documents/tender",
            params={"pdf": "true"},
        )
    finally:
        server.terminate()
        server.wait()
    print("PDF conversion, pool against one LibreOffice process:")
    for line in measure(args.pdf_documents, args.pdf_rounds, args.workers).lines():
        print(f"  {line}")


if __name__ == "__main__":
    main()
