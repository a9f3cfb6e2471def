"""The fast render path gives the same bytes as plain docxtpl; batches of balances run
across processes, report a failing record without losing the others, and show a progress
bar only on a terminal."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from clausegen.render.docx import render_docx
from clausegen.render.docx_package import member_order
from clausegen.render.prepared import PreparedTemplate
from clausegen.render.templates import BUNDLED_DIR
from clausegen.render.zip_writer import ZipMember, zip_archive
from tests.helpers import FOLLOW_UP, OPERATION, REPORTING, SAMPLE, SAMPLES, run


@pytest.fixture
def compared(monkeypatch) -> list[str]:
    """Every document a command renders is also rendered by plain docxtpl and compared."""
    seen: list[str] = []
    fast = PreparedTemplate.render

    def render_both(self, context, properties):
        produced = fast(self, context, properties)
        plain = render_docx(self.path, context, properties)
        assert produced == plain, f"{self.path.name}: {properties.title}"
        seen.append(f"{self.path.name}: {properties.title}")
        return produced

    monkeypatch.setattr(PreparedTemplate, "render", render_both)
    return seen


def test_fast_and_plain_paths_give_identical_bytes_for_every_sample_document(compared, tmp_path):
    for operation in SAMPLES:
        assert (
            run("tender", str(operation), "-o", str(tmp_path / operation.parent.name)).exit_code
            == 0
        )
    for lot in range(1, 7):
        assert (
            run("commitment", OPERATION, "--lot", str(lot), "-o", str(tmp_path / "e")).exit_code
            == 0
        )
    for company in sorted((SAMPLE / "engagements").glob("*.yaml")):
        lot = company.name.split("-")[1].lstrip("0")
        result = run(
            "commitment",
            OPERATION,
            "--lot",
            lot,
            "--company",
            str(company),
            "-o",
            str(tmp_path / "e"),
        )
        assert result.exit_code == 0
    commitments = ["--commitments", str(SAMPLE / "engagements")]
    assert (
        run(
            "compliance", OPERATION, *commitments, *FOLLOW_UP, *REPORTING, "-o", str(tmp_path / "c")
        ).exit_code
        == 0
    )
    assert (
        run("balance", OPERATION, *FOLLOW_UP, "--jobs", "1", "-o", str(tmp_path / "b")).exit_code
        == 0
    )
    folders = [s.parent for s in SAMPLES if (s.parent / "engagements").is_dir()]
    period = ("--from", "2027-01-01", "--to", "2028-06-30")
    assert run("evaluate", *map(str, folders), *period, "-o", str(tmp_path / "v")).exit_code == 0
    # every sample × (CCAP + RC), 6 blank forms, 3 pre-filled, 2 statements with a chart,
    # 13 balances, the evaluation report (with a chart)
    assert len(compared) == 2 * len(SAMPLES) + 6 + 3 + 2 + 13 + 1


def _restyled(
    name: str, folder: Path, *, header: str | None = None, body: str | None = None
) -> None:
    document = Document(BUNDLED_DIR / name)
    if body is not None:
        document.add_paragraph(body)
    if header is not None:
        document.sections[0].header.add_paragraph(header)
    buffer = io.BytesIO()
    document.save(buffer)
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(buffer.getvalue())


def test_an_image_shown_twice_and_an_image_in_a_header_stay_identical(compared, tmp_path):
    twice, header = tmp_path / "twice", tmp_path / "header"
    _restyled("compliance.docx", twice, body="{{ graphique }}")
    _restyled("compliance.docx", header, header="{{ graphique }}")
    commitments = ["--commitments", str(SAMPLE / "engagements")]
    for folder in (twice, header):
        result = run(
            "compliance",
            OPERATION,
            *commitments,
            *FOLLOW_UP,
            "-o",
            str(tmp_path / folder.name),
            "--templates",
            str(folder),
        )
        assert result.exit_code == 0, result.output
    assert len(compared) == 4
    with zipfile.ZipFile(tmp_path / "twice" / "conformite-82345678500026.docx") as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        assert media == ["word/media/image1.png"]  # one image part, drawn twice
        assert package.read("word/document.xml").count(b"<w:drawing>") == 2


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.from_regex(r"[a-z]{1,8}(/[a-z]{1,8}){0,2}\.xml", fullmatch=True),
        st.binary(max_size=3000),
        min_size=1,
        max_size=6,
    )
)
def test_the_zip_writer_writes_what_zipfile_writes(members):
    members = {"[Content_Types].xml": b"<Types/>", **members}
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w") as archive:
        for name in member_order(members):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name], compresslevel=6)
    written = zip_archive([ZipMember.of(name, members[name]) for name in member_order(members)])
    assert written == expected.getvalue()


# --- batches -----------------------------------------------------------------------------------


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_several_processes_write_the_same_files_as_one(tmp_path):
    one = run("balance", OPERATION, *FOLLOW_UP, "--jobs", "1", "-o", str(tmp_path / "one"))
    two = run("balance", OPERATION, *FOLLOW_UP, "--jobs", "2", "-o", str(tmp_path / "two"))
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == f"13 end-of-mission balances and their manifests in {tmp_path / 'one'}.\n"
    assert len(_files(tmp_path / "one")) == 26
    assert _files(tmp_path / "one") == _files(tmp_path / "two")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_failing_record_is_reported_and_the_others_are_written(tmp_path, jobs):
    """A buyer's template that assumes every participant has left: those still in their
    programme (no exit yet) fail, each with its message; every other balance is written."""
    folder = tmp_path / "modeles"
    _restyled("balance.docx", folder, body="Sortie : {{ sortie.libelle }}")
    result = run(
        "balance",
        OPERATION,
        *FOLLOW_UP,
        "-o",
        str(tmp_path / "b"),
        "--templates",
        str(folder),
        "--jobs",
        jobs,
    )
    assert result.exit_code == 1
    in_progress = ["P05", "P07", "P10"]
    failure = (
        f"{folder / 'balance.docx'}: the template failed on this document (UndefinedError: "
        "'None' has no attribute 'libelle'); guard optional values in the template with "
        "{% if … %}."
    )
    errors = [line for line in result.stderr.splitlines(keepends=True) if "Warning:" not in line]
    assert (
        "".join(errors)
        == "".join(
            f"Error: participant {key} (bilan-{key}.docx): {failure}\n" for key in in_progress
        )
        + "Error: 3 of 13 balances failed; the others are written.\n"
    )
    assert result.stdout == f"10 end-of-mission balances and their manifests in {tmp_path / 'b'}.\n"
    written = {path.stem.removesuffix(".manifest") for path in (tmp_path / "b").iterdir()}
    assert written == {f"bilan-P{n:02d}" for n in range(1, 14)} - {
        f"bilan-{k}" for k in in_progress
    }
    assert not [p for p in (tmp_path / "b").iterdir() if p.name.startswith(".")]


def _balance_on_a_terminal(tmp_path: Path, *extra: str) -> str:
    """Run ``balance`` with its stderr on a pseudo-terminal; what the terminal showed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "clausegen",
            "balance",
            OPERATION,
            *FOLLOW_UP,
            "-o",
            str(tmp_path / "b"),
            *extra,
        ],
        stdout=subprocess.DEVNULL,
        stderr=follower,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the command ended
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait(timeout=120) == 0
    os.close(leader)
    return shown.decode("utf-8", "replace")


def test_a_progress_bar_shows_on_a_terminal_only(tmp_path):
    shown = _balance_on_a_terminal(tmp_path)
    assert "Balances" in shown and "100%" in shown
    assert _without_warnings(_balance_on_a_terminal(tmp_path, "--quiet")) == ""
    result = run("balance", OPERATION, *FOLLOW_UP, "-o", str(tmp_path / "c"))
    assert _without_warnings(result.stderr) == ""  # not a terminal: no bar


def _without_warnings(shown: str) -> str:
    """What a command showed, its ``Warning:`` lines left out (the sample's balances warn)."""
    return "".join(line for line in shown.splitlines(keepends=True) if "Warning:" not in line)


def test_the_bundled_templates_are_prepared_without_falling_back():
    for name in ("tender", "commitment", "compliance", "balance"):
        assert PreparedTemplate(BUNDLED_DIR / f"{name}.docx").supported
