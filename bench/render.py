"""Benchmark: the fast render path against plain docxtpl, on one core, for N = 100 and 2 000.

For each template (the balance, the tender clause) and each N, the same N documents are
rendered, in the same run, by:

- plain docxtpl: a new ``DocxTemplate`` per document, rendered and saved (what the issue
  calls the baseline; it does not even set the manifest properties);
- the fast path: ``PreparedTemplate`` (prepared once, its preparation timed too), each
  document complete with its properties and manifest, written to disk as it is made.

Both paths render the same contexts, composed one at a time outside the timed part (so
neither holds all N of them: memory shows what rendering keeps). Each measurement runs
in its own process, so its peak memory (max RSS) is its own. The documents come from the
sample operation (balances: generated participants with 2 to 8 months of hours; tender:
the CCAP articles and RC mentions of the five samples, in turn).

    .venv/bin/python bench/render.py [--sizes 100 2000] [--templates balance tender]
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from balance import OPERATION, generate  # noqa: E402
from docxtpl import DocxTemplate  # noqa: E402
from pydantic import BaseModel  # noqa: E402

from clausegen.calibration.calibrate import calibrate  # noqa: E402
from clausegen.documents.balance import compose_balance, resolve_fragment  # noqa: E402
from clausegen.documents.document import Properties as DocumentProperties  # noqa: E402
from clausegen.documents.fragments import load_fragments  # noqa: E402
from clausegen.documents.tender import compose_tender  # noqa: E402
from clausegen.execution.reconciliation import default_closing_date  # noqa: E402
from clausegen.execution.records import execution_period, load_execution_records  # noqa: E402
from clausegen.inputs.loading import load_operation  # noqa: E402
from clausegen.law.parameters import load_parameters  # noqa: E402
from clausegen.law.templating import xml_environment  # noqa: E402
from clausegen.render.prepared import PreparedTemplate  # noqa: E402
from clausegen.render.templates import BUNDLED_DIR  # noqa: E402

SAMPLES = sorted((ROOT / "samples").glob("*/operation.yaml"))
PROPERTIES = DocumentProperties(
    title="Bilan de fin de mission",
    subject="2026-TRX-042 – Réhabilitation du groupe scolaire Jean Jaurès",
    author="Maison de l'emploi du Carcassonnais",
    keywords="clause sociale d'insertion; commande publique",
    created=datetime(2028, 6, 30, tzinfo=UTC),
    custom=[(f"clausegen.parametre.{i:02d}", f"parametre.{i}=1@2026-01-01") for i in range(12)],
)


def balance_contexts(count: int, folder: Path) -> Iterator[BaseModel]:
    """``count`` balance contexts, composed one at a time from the participants generated
    in ``folder`` (by the parent process, so generating them weighs on no measurement)."""
    participants_file, ledger = folder / "participants.yaml", folder / "heures.csv"
    operation = load_operation(OPERATION)
    parameters = load_parameters()
    calibration = calibrate(operation, parameters, operation.consultation.date_lancement)
    data = load_execution_records(
        operation,
        OPERATION,
        calibration,
        parameters,
        ledger=ledger,
        participants_file=participants_file,
    )
    rows: dict[str, list] = {}
    for line in data.registre.lignes:
        rows.setdefault(line.participant or "", []).append(line)
    fragment = resolve_fragment(load_fragments(), operation.consultation.date_lancement)
    closing = default_closing_date(data.registre, execution_period(operation, OPERATION))
    for person in data.participants.values():
        rows_of = rows.get(person.id, [])
        yield compose_balance(operation, person, rows_of, fragment, closing).context


def tender_contexts(count: int, folder: Path) -> Iterator[BaseModel]:
    """``count`` tender contexts: the samples' CCAP articles and RC mentions, in turn."""
    registry, parameters = load_fragments(), load_parameters()
    documents = []
    for path in SAMPLES:
        operation = load_operation(path)
        calibration = calibrate(operation, parameters, operation.consultation.date_lancement)
        documents += [
            d.context for d in compose_tender(operation, calibration, registry, parameters)
        ]
    for index in range(count):
        yield documents[index % len(documents)]


CONTEXTS = {"balance": balance_contexts, "tender": tender_contexts}


def measure(template: str, count: int, path: str, inputs: Path) -> dict[str, float]:
    """Run in a child process: seconds spent rendering ``count`` documents, and the
    process's peak memory. The fast path's documents are written to disk as they come."""
    contexts = CONTEXTS[template](count, inputs)  # composed one at a time, not timed
    source = BUNDLED_DIR / f"{template}.docx"
    environment = xml_environment()
    seconds = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        if path == "plain":
            for context in contexts:
                started = time.perf_counter()
                document = DocxTemplate(source)
                document.render(context.model_dump(), jinja_env=environment)
                document.save(io.BytesIO())
                seconds += time.perf_counter() - started
        else:
            started = time.perf_counter()
            prepared = PreparedTemplate(source)
            seconds += time.perf_counter() - started
            for index, context in enumerate(contexts):
                started = time.perf_counter()
                document = prepared.render(context, PROPERTIES)
                seconds += time.perf_counter() - started
                (Path(tmp) / f"{index}.docx").write_bytes(document)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mib": peak}


def main_bench() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 2000])
    parser.add_argument("--templates", nargs="+", default=["balance", "tender"])
    parser.add_argument("--child", nargs=4, metavar=("TEMPLATE", "N", "PATH", "INPUTS"))
    arguments = parser.parse_args()
    if arguments.child:
        template, count, path, inputs = arguments.child
        print(json.dumps(measure(template, int(count), path, Path(inputs))))
        return
    print("one process per measurement, one core each; peak = that process's max RSS")
    with tempfile.TemporaryDirectory(prefix="clausegen-bench-") as inputs:
        peaks = {
            (template, count): compare(template, count, Path(inputs))
            for template in arguments.templates
            for count in arguments.sizes
        }
    low, high = min(arguments.sizes), max(arguments.sizes)
    for template in arguments.templates:
        if low != high:
            ratio = peaks[(template, high)] / peaks[(template, low)]
            print(f"{template}: fast-path peak memory at N={high} / N={low}: {ratio:.2f}")


def compare(template: str, count: int, inputs: Path) -> float:
    """Print both paths' rates and peaks for ``count`` documents; the fast path's peak."""
    folder = inputs / str(count)
    if not folder.exists():
        folder.mkdir()
        generate(folder, count)
    results = {}
    for path in ("plain", "fast"):
        child = subprocess.run(
            [sys.executable, __file__, "--child", template, str(count), path, str(folder)],
            check=True,
            capture_output=True,
            text=True,
        )
        results[path] = json.loads(child.stdout)
    plain, fast = results["plain"], results["fast"]
    print(
        f"{template:8} N={count:5}  plain docxtpl {count / plain['seconds']:7.1f} docs/s "
        f"(peak {plain['peak_mib']:.0f} MiB)  fast {count / fast['seconds']:7.1f} docs/s "
        f"(peak {fast['peak_mib']:.0f} MiB)  ratio {plain['seconds'] / fast['seconds']:.1f}"
    )
    return fast["peak_mib"]


if __name__ == "__main__":
    main_bench()
