"""The benchmarks still run (on tiny inputs): their figures are read by people, not
asserted here, but a benchmark that no longer runs would go unnoticed."""

from __future__ import annotations

import re
import subprocess
import sys


def bench(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_render_benchmark_runs():
    out = bench("bench/render.py", "--sizes", "2", "3", "--templates", "balance")
    assert re.search(r"balance  N=    3  plain docxtpl +[\d.]+ docs/s .* ratio [\d.]+\n", out)
    assert re.search(r"balance: fast-path peak memory at N=3 / N=2: [\d.]+\n", out)


def test_the_pdf_benchmark_runs():
    out = bench("bench/pdf.py", "--documents", "2")
    assert re.search(r"ratio baseline / warm: [\d.]+x faster\n", out)
    assert re.search(r"ratio tagged PDF/A / plain: [\d.]+\n", out)


def test_the_pdf_pool_benchmark_runs():
    out = bench("bench/pdf_pool.py", "--documents", "2", "--rounds", "1", "--workers", "2")
    assert re.search(r"ratio pool / one process \(documents/s\): [\d.]+\n", out)


def test_the_balance_benchmark_runs():
    out = bench("bench/balance.py", "--participants", "3")
    assert re.search(r"ratio clausegen / baseline \(documents/s\): [\d.]+\n", out)


def test_the_service_benchmark_runs_and_prints_the_pool_ratio():
    out = bench(
        "bench/service.py",
        *("--clients", "2", "--requests", "2", "--pdf-requests", "1"),
        *("--pdf-documents", "2", "--pdf-rounds", "1", "--workers", "2"),
    )
    assert re.search(r"tender with PDF +1 requests", out)
    assert re.search(r"ratio pool / one process \(documents/s\): [\d.]+\n", out)


def test_the_command_benchmark_runs():
    out = bench(
        "bench/command.py",
        *("--sizes", "3", "6", "--repeat", "1", "--rounds", "1", "--ceiling", "10000"),
    )
    assert re.search(r"start-up ratio, --help: [\d.]+ \(target ≤ 1.5\) (PASS|FAIL)\n", out)
    assert re.search(r"one field, validated once>': [\d.]+ s CPU, [\d.]+× the baseline", out)
    assert re.search(r"load ratio: [\d.]+ \(target ≤ 2.0\) (PASS|FAIL)\n", out)
    assert "balance N=     6: --jobs 2 / --jobs 1 DOCX files identical\n" in out
    assert re.search(r"tree peak memory \(PSS, --jobs 2\) N=6 / N=3: [\d.]+ ", out)
    assert re.search(r"machine: two processes do [\d.]+× the arithmetic of one", out)
    assert re.search(r"balance N= +6 --jobs 2, memory sampled: tree peak +[\d.]+ MiB PSS", out)
