"""Benchmark: PDF conversion through one warm LibreOffice versus one process per document,
and the tagged PDF/A profile versus the plain one.

Renders 50 documents of the sample operation (the tender clause, commitment forms,
compliance statements and balances, repeated under new names up to the count), then
converts the same DOCX files three times, in the same run:

- the warm path clausegen uses: ``convert_to_pdf``, one ``soffice`` process for the batch,
  each PDF checked with pypdf, with the default profile (tagged PDF/A-2b);
- the same warm path with the ``plain`` profile (LibreOffice's default export);
- the baseline: one ``soffice --convert-to pdf`` process per document (sharing one
  profile, created beforehand so no path pays for it).

It prints the times, the ratio baseline / warm (how many times faster) and the ratio
tagged PDF/A / plain (what tagging and PDF/A cost).

    .venv/bin/python bench/pdf.py [--documents 50]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clausegen.cli.app import main  # noqa: E402
from clausegen.render.libreoffice import convert_to_pdf, find_soffice  # noqa: E402
from clausegen.render.outputs import OutputFile  # noqa: E402
from clausegen.render.pdf_profile import PdfProfile  # noqa: E402

SAMPLE = ROOT / "samples" / "groupe-scolaire-jaures"
OPERATION = str(SAMPLE / "operation.yaml")
SUIVI = [
    "--ledger",
    str(SAMPLE / "heures.csv"),
    "--participants",
    str(SAMPLE / "participants.yaml"),
]


def sample_documents(folder: Path, count: int) -> list[OutputFile]:
    """``count`` DOCX files from the sample's four document commands."""
    commands = [
        ["tender", OPERATION],
        *(["commitment", OPERATION, "--lot", str(lot)] for lot in range(1, 7)),
        ["compliance", OPERATION, "--commitments", str(SAMPLE / "engagements"), *SUIVI],
        ["balance", OPERATION, *SUIVI],
    ]
    for command in commands:
        result = CliRunner().invoke(main, [*command, "-o", str(folder)])
        if result.exit_code != 0:
            raise SystemExit(f"clausegen {command[0]} failed:\n{result.output}")
    made = sorted(folder.glob("*.docx"))
    return [
        OutputFile(
            f"{index:02d}-{made[index % len(made)].name}", made[index % len(made)].read_bytes()
        )
        for index in range(count)
    ]


def one_process_per_document(soffice: str, documents: list[Path], work: Path) -> None:
    profile = (work / "profile").as_uri()
    for document in documents:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work / "pdf"),
                str(document),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def main_bench() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=50)
    count = parser.parse_args().documents
    soffice = find_soffice()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        documents = sample_documents(folder / "rendered", count)
        inbox = folder / "docx"
        inbox.mkdir()
        for document in documents:
            (inbox / document.name).write_bytes(document.content)
        paths = sorted(inbox.iterdir())
        one_process_per_document(soffice, paths[:1], folder)  # create the shared profile

        (folder / "warm").mkdir()
        started = time.perf_counter()
        conversion = convert_to_pdf(paths, folder / "warm", soffice=soffice)
        warm = time.perf_counter() - started
        if conversion.error is not None:
            raise SystemExit(str(conversion.error))
        assert len(conversion.pdfs) == count

        (folder / "plain").mkdir()
        started = time.perf_counter()
        conversion = convert_to_pdf(
            paths, folder / "plain", soffice=soffice, profile=PdfProfile.PLAIN
        )
        plain = time.perf_counter() - started
        if conversion.error is not None:
            raise SystemExit(str(conversion.error))
        assert len(conversion.pdfs) == count

        started = time.perf_counter()
        one_process_per_document(soffice, paths, folder)
        cold = time.perf_counter() - started
        assert len(list((folder / "pdf").glob("*.pdf"))) == count

    print(f"{count} documents, the same DOCX files on both paths")
    print(
        f"warm path (one LibreOffice for the batch): {warm:.1f} s = {count / warm:.1f} documents/s"
    )
    print(
        f"baseline (a soffice process per document): {cold:.1f} s = {count / cold:.1f} documents/s"
    )
    print(f"ratio baseline / warm: {cold / warm:.1f}x faster")
    print(
        f"profiles on the warm path: {PdfProfile.TAGGED_PDFA} {warm:.1f} s, "
        f"{PdfProfile.PLAIN} {plain:.1f} s"
    )
    print(f"ratio tagged PDF/A / plain: {warm / plain:.2f}")


if __name__ == "__main__":
    main_bench()
