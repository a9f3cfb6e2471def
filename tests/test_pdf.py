"""PDF output through a real headless LibreOffice, read back with pypdf.

LibreOffice is installed by the README's commands (scripts/test.sh); these tests fail, not
skip, when it is missing, so CI cannot pass without converting documents. Each document's
PDF must hold the key lines of its DOCX golden text; the tender annex must have its
bookmarks, page labels and metadata; a killed or stuck LibreOffice must end the command
with a clear error within its timeout, keeping what was converted.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from clausegen.render.libreoffice import WORK_PREFIX, office_pipes
from tests.helpers import FOLLOW_UP, OPERATION, REPORTING, SAMPLE, run

GOLDEN = Path("tests/golden")
COMPANY_4 = str(SAMPLE / "engagements/lot-04-peintures-audoises.yaml")


@pytest.fixture(scope="module")
def produced(tmp_path_factory) -> Path:
    """Every document kind, written with --pdf by the commands a user runs."""
    out = tmp_path_factory.mktemp("pdf")
    commands = [
        ("tender", OPERATION, "-o", str(out / "tender")),
        ("commitment", OPERATION, "--lot", "4", "--company", COMPANY_4, "-o", str(out / "e")),
        (
            "compliance",
            OPERATION,
            "--commitments",
            str(SAMPLE / "engagements"),
            *FOLLOW_UP,
            *REPORTING,
            "-o",
            str(out / "c"),
        ),
        ("balance", OPERATION, *FOLLOW_UP, "--participant", "P01", "-o", str(out / "b")),
    ]
    for command in commands:
        result = run(*command, "--pdf")
        assert result.exit_code == 0, result.output
    return out


def pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    return _flat(" ".join(page.extract_text() for page in reader.pages))


def _flat(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def key_lines(golden: Path, needles: tuple[str, ...]) -> list[str]:
    """The golden lines holding a needle, as a reader sees them (no style, no cell bars)."""
    lines = []
    for line in golden.read_text(encoding="utf-8").splitlines():
        if any(needle in line for needle in needles):
            text = re.sub(r"^\[[^\]]+\] ", "", line)
            if text.startswith("|"):
                text = " ".join(cell.strip() for cell in text.strip("|").split("|") if cell.strip())
            lines.append(_flat(text).replace("\u2011", "-"))  # the PDF's text reads U+2011 as -
    return lines


KEY_LINES = [
    # (PDF, golden text, needles, how many golden lines they pick)
    (
        "tender/ccap-clause-insertion.pdf",
        "tender/groupe-scolaire-jaures/ccap.txt",
        (
            "En application de l’article\u00a0L2112-2",
            "obligatoire en vertu de l’article\u00a0L2112-2-1",
            "| 1 | Gros",
            "| 4 | Plâtrerie",
            "| Total des lots concernés |",
        ),
        5,
    ),
    (
        "tender/rc-clause-insertion.pdf",
        "tender/groupe-scolaire-jaures/rc.txt",
        ("| 1 | Gros", "| 6 | Plomberie", "| Total des lots concernés |"),
        3,
    ),
    (
        "e/engagement-lot-04-82345678500026.pdf",
        "execution/engagement-lot-04-peintures-audoises.txt",
        ("| Heures d’insertion requises |", "| Mise à disposition (GEIQ) |", "| Heures engagées |"),
        3,
    ),
    (
        "c/conformite-82345678500026.pdf",
        "execution/conformite-82345678500026.txt",
        (
            "| 4\u00a0– Plâtrerie – peinture |",
            "À la fin de l’exécution",
            "s’élèvent à",
            "| Heures manquantes |",
            "| Pénalités encourues |",
            "Au vu de ce constat",
        ),
        7,
    ),
    (
        "b/bilan-P01.pdf",
        "execution/bilan-P01.txt",
        ("| Employeur |", "| Période |", "| Total |"),
        3,
    ),
]


@pytest.mark.parametrize(("pdf", "golden", "needles", "count"), KEY_LINES, ids=lambda v: str(v))
def test_each_pdf_holds_the_key_lines_of_its_docx_golden_text(
    produced, pdf, golden, needles, count
):
    expected = key_lines(GOLDEN / golden, needles)
    assert len(expected) == count, expected
    text = pdf_text(produced / pdf)
    missing = [line for line in expected if line not in text]
    assert not missing, f"not in {pdf}: {missing}"


def test_every_written_pdf_is_a_pdf_with_pages(produced):
    pdfs = sorted(produced.rglob("*.pdf"))
    assert len(pdfs) == 1 + 2 + 1 + 2 + 1  # annex, ccap, rc, form, 2 statements, balance
    for pdf in pdfs:
        assert pdf.read_bytes().startswith(b"%PDF-")
        assert len(PdfReader(pdf).pages) > 0


def _outline(reader: PdfReader, items=None, depth=0) -> list[tuple[int, str, int]]:
    found = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            found += _outline(reader, item, depth + 1)
        else:
            found.append((depth, item.title, reader.get_destination_page_number(item)))
    return found


def test_the_tender_annex_has_a_bookmark_per_part_and_per_lot(produced):
    folder = produced / "tender"
    annex = PdfReader(folder / "annexe-clause-insertion.pdf")
    manifest = json.loads((folder / "annexe-clause-insertion.manifest.json").read_text("utf-8"))
    parts = manifest["parties"]
    ccap = len(PdfReader(folder / "ccap-clause-insertion.pdf").pages)
    rc = len(PdfReader(folder / "rc-clause-insertion.pdf").pages)
    forms = [part["pages"]["a"] - part["pages"]["de"] + 1 for part in parts[2:]]
    assert len(annex.pages) == ccap + rc + sum(forms) == manifest["pages"]

    lots = [
        "Lot 1 – Gros œuvre – démolition",
        "Lot 2 – Charpente métallique – couverture",
        "Lot 3 – Menuiseries extérieures",
        "Lot 4 – Plâtrerie – peinture",
        "Lot 5 – Électricité courants forts et faibles",
        "Lot 6 – Plomberie – chauffage – ventilation",
    ]
    starts = [ccap + rc + sum(forms[:i]) for i in range(len(forms))]
    assert _outline(annex) == [
        (0, "Cahier des clauses administratives particulières", 0),
        (0, "Règlement de la consultation", ccap),
        (0, "Formulaires d’engagement", ccap + rc),
        *((1, title, start) for title, start in zip(lots, starts, strict=True)),
    ]
    labels = annex.page_labels
    assert labels[0] == "CCAP-1" and labels[ccap - 1] == f"CCAP-{ccap}"
    assert labels[ccap] == "RC-1"
    assert [labels[start] for start in starts] == [f"Lot {n}-1" for n in range(1, 7)]
    assert [part["fichier"] for part in parts] == [
        "ccap-clause-insertion.docx",
        "rc-clause-insertion.docx",
        *(f"engagement-lot-{n:02d}.docx" for n in range(1, 7)),
    ]
    form = parts[5]["manifeste"]
    assert form["document"] == "engagement" and form["fichier"] == "engagement-lot-04.docx"


def test_the_annex_metadata_name_its_manifest_digest(produced):
    folder = produced / "tender"
    metadata = PdfReader(folder / "annexe-clause-insertion.pdf").metadata
    digest = hashlib.sha256(
        (folder / "annexe-clause-insertion.manifest.json").read_bytes()
    ).hexdigest()
    assert metadata["/Title"] == "Clause sociale d’insertion – annexe au dossier de consultation"
    assert metadata["/Subject"] == "2026-TRX-042 – Réhabilitation du groupe scolaire Jean Jaurès"
    assert metadata["/Author"] == "Ville de Carcassonne"
    assert (
        metadata["/ClausegenManifeste"] == f"annexe-clause-insertion.manifest.json sha256:{digest}"
    )
    ccap = json.loads((folder / "ccap-clause-insertion.manifest.json").read_text("utf-8"))
    annex = json.loads((folder / "annexe-clause-insertion.manifest.json").read_text("utf-8"))
    assert annex["parties"][0]["manifeste"] == ccap


def test_the_tender_command_lists_the_pdfs_and_the_annex(tmp_path):
    result = run("tender", OPERATION, "-o", str(tmp_path), "--pdf")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Law as of 2026-09-15 (launch date); 8 files in {tmp_path}:\n"
        "  ccap-clause-insertion.docx\n"
        "  ccap-clause-insertion.manifest.json\n"
        "  ccap-clause-insertion.pdf\n"
        "  rc-clause-insertion.docx\n"
        "  rc-clause-insertion.manifest.json\n"
        "  rc-clause-insertion.pdf\n"
        "  annexe-clause-insertion.pdf\n"
        "  annexe-clause-insertion.manifest.json\n"
    )


def test_special_characters_reach_the_pdf_intact(tmp_path):
    operation = tmp_path / "operation.yaml"
    text = (SAMPLE / "operation.yaml").read_text(encoding="utf-8")
    text = text.replace("nom: Ville de Carcassonne", "nom: 'Lyon & Métropole <Habitat> \"Sud\"'")
    text = text.replace(
        "intitule: Plâtrerie – peinture", "intitule: Peinture d'intérieur & façades"
    )
    operation.write_text(text, encoding="utf-8")
    result = run("tender", str(operation), "-o", str(tmp_path / "dce"), "--pdf")
    assert result.exit_code == 0, result.output
    ccap = pdf_text(tmp_path / "dce" / "ccap-clause-insertion.pdf")
    assert 'Lyon & Métropole <Habitat> "Sud" – consultation 2026-TRX-042' in ccap
    assert "4 Peinture d’intérieur & façades 480 000,00 €" in ccap  # ’ made typographic
    annex = PdfReader(tmp_path / "dce" / "annexe-clause-insertion.pdf")
    assert annex.metadata["/Author"] == 'Lyon & Métropole <Habitat> "Sud"'
    assert (0, "Lot 4 – Peinture d’intérieur & façades", 0) in [
        (0, title, 0) for _, title, _ in _outline(annex)
    ]


def test_without_libreoffice_the_error_names_the_package(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = run("tender", OPERATION, "-o", str(tmp_path / "dce"), "--pdf")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: --pdf needs LibreOffice, which is not installed (no soffice on the PATH): "
        "install the Debian package libreoffice-writer-nogui (apt-get install "
        "libreoffice-writer-nogui), or leave out --pdf to write the DOCX only.\n"
    )
    assert not (tmp_path / "dce").exists()


# --- a LibreOffice that dies or hangs --------------------------------------------------------


class _Saboteur(threading.Thread):
    """Sends ``signum`` to this test's LibreOffice once the conversion is under way (two
    PDFs are made: in one batch's work folder, or written by the pool), and to any
    LibreOffice started after that: the retry's too."""

    def __init__(self, work_root: Path, written: Path, signum: int) -> None:
        super().__init__(daemon=True)
        self.work_root = str(work_root)
        self.written = written
        self.signum = signum
        self.signalled: list[int] = []
        self.pipes: list[Path] = []
        """The named pipes of each LibreOffice signalled (``office_pipes``)."""
        self.stop = threading.Event()

    def run(self) -> None:
        armed = False
        while not self.stop.is_set():
            for pid, work, names in self._office_processes():
                made = [*(work / "pdf").glob("*.pdf"), *self.written.glob("*.pdf")]
                armed = armed or len(made) >= 2
                if armed and pid not in self.signalled:
                    self.pipes.extend(office_pipes(work / "profile", *names))
                    os.kill(pid, self.signum)
                    self.signalled.append(pid)
            time.sleep(0.02)

    def pipes_left(self) -> list[Path]:
        return [pipe for pipe in self.pipes if pipe.exists()]

    def _office_processes(self):
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                arguments = (entry / "cmdline").read_bytes().decode().split("\0")
            except (OSError, UnicodeDecodeError):
                continue
            if not arguments[0].endswith("soffice.bin"):
                continue
            names = [
                argument.split("name=", 1)[1].split(";", 1)[0]
                for argument in arguments
                if argument.startswith("--accept=pipe,name=")
            ]
            for argument in arguments:
                if argument.startswith("-env:UserInstallation=") and (
                    f"{self.work_root}/{WORK_PREFIX}" in argument
                ):
                    profile = Path(argument.split("file://", 1)[1])
                    yield int(entry.name), profile.parent, names


CONVERTERS = {"batch": {"CLAUSEGEN_PDF_WORKERS": "1"}, "pool": {"CLAUSEGEN_PDF_WORKERS": "2"}}
"""One LibreOffice batch per command (one worker), and the pool of warm workers (the
default, one worker per core)."""


def _balance_with(tmp_path: Path, signum: int, timeout: int, converter: str = "batch"):
    """``clausegen balance --pdf`` in its own process, its LibreOffice sabotaged."""
    work_root = tmp_path / "tmp"
    work_root.mkdir()
    saboteur = _Saboteur(work_root, tmp_path / "bilans", signum)
    saboteur.start()
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "clausegen",
            "balance",
            OPERATION,
            *FOLLOW_UP,
            "-o",
            str(tmp_path / "bilans"),
            "--pdf",
            "--pdf-timeout",
            str(timeout),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(work_root), **CONVERTERS[converter]},
        timeout=120,
    )
    elapsed = time.monotonic() - started
    # The sample's balances warn (an exit to record, direct hires with no tutor named).
    lines = result.stderr.splitlines(keepends=True)
    result.stderr = "".join(line for line in lines if not line.startswith("Warning:"))
    saboteur.stop.set()
    saboteur.join()
    # a LibreOffice killed leaves its named pipes in /tmp: clausegen removes them
    assert saboteur.pipes and not saboteur.pipes_left(), saboteur.pipes_left()
    return result, elapsed, saboteur.signalled


def _kept_files(folder: Path) -> tuple[list[Path], list[Path]]:
    docx = sorted(folder.glob("*.docx"))
    pdfs = sorted(folder.glob("*.pdf"))
    for pdf in pdfs:
        assert len(PdfReader(pdf).pages) > 0
    return docx, pdfs


@pytest.mark.parametrize("converter", sorted(CONVERTERS))
def test_a_killed_libreoffice_ends_the_command_with_a_clear_error(tmp_path, converter):
    result, elapsed, signalled = _balance_with(tmp_path, signal.SIGKILL, 30, converter)
    assert len(signalled) >= 2  # the document's worker, then its retry's
    assert result.returncode == 1
    assert re.fullmatch(
        r"Error: PDF conversion failed on bilan-P\d\d\.docx: LibreOffice stopped "
        r"(\(killed by signal 9\) )?while converting it, on the first try and on the retry\. "
        r"(\d+) PDF\(s\) were written; not converted: bilan-P\d\d\.pdf, .* Run the command "
        r"again; if the same document fails, open its DOCX in LibreOffice to see why\.\n",
        result.stderr,
    ), result.stderr
    assert elapsed < 30  # well within one document's timeout: a crash is seen at once
    docx, pdfs = _kept_files(tmp_path / "bilans")
    assert len(docx) == 13  # every DOCX is written
    written = int(re.search(r"(\d+) PDF\(s\) were written", result.stderr).group(1))
    assert len(pdfs) == written >= 1  # the PDFs made before the crash stay
    assert not list((tmp_path / "tmp").iterdir())  # no work folder left behind


@pytest.mark.parametrize("converter", sorted(CONVERTERS))
def test_a_stuck_libreoffice_is_stopped_at_its_timeout(tmp_path, converter):
    timeout = 4
    result, elapsed, signalled = _balance_with(tmp_path, signal.SIGSTOP, timeout, converter)
    assert len(signalled) >= 2
    assert result.returncode == 1
    # the pool's retry may land on a worker stopped as it starts
    assert re.search(
        r"LibreOffice (did not finish it within 4 s|did not start(: .*| within 14 s)), on the "
        r"first try and on the retry",
        result.stderr,
    ), result.stderr
    # two attempts of one document, each waited for until its timeout; the run itself is
    # bounded by subprocess.run's timeout (a hang fails the test), not by a timed assertion
    assert elapsed >= 2 * timeout
    docx, pdfs = _kept_files(tmp_path / "bilans")
    assert len(docx) == 13 and len(pdfs) >= 1
