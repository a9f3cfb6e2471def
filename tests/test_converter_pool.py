"""The PDF converters with a real LibreOffice: the local pool of warm workers (a worker killed
mid-conversion, the pool back to N workers) and two unoserver instances on loopback."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from clausegen.render import converters
from clausegen.render.converters import unoservers_from
from clausegen.render.libreoffice import office_pipes, remove_office_pipes
from clausegen.render.pdf_profile import PdfProfile
from clausegen.render.pool import LocalPool, LocalWorker, find_uno_python
from clausegen.render.remote import RemoteUnoservers, Unoserver
from tests.helpers import FOLLOW_UP, OPERATION, run
from tests.pdf_structure import tagging


@pytest.fixture(scope="module")
def balances(tmp_path_factory) -> list[Path]:
    """The sample's 13 balances as DOCX."""
    out = tmp_path_factory.mktemp("balances")
    result = run("balance", OPERATION, *FOLLOW_UP, "-o", str(out))
    assert result.exit_code == 0, result.output
    return sorted(out.glob("*.docx"))


def _mover(into: Path):
    into.mkdir(parents=True, exist_ok=True)
    return lambda pdf: Path(shutil.move(pdf, into / pdf.name))


def _check_pdfs(pdfs: list[Path], documents: list[Path], *, tagged: bool = True) -> None:
    """One PDF per document, with pages; tagged PDF/A-2 (the default profile) or not."""
    assert [pdf.stem for pdf in pdfs] == [document.stem for document in documents]
    for pdf in pdfs:
        assert len(PdfReader(pdf).pages) > 0
        found = tagging(pdf)
        assert (found.marked, found.pdfa_part) == ((True, "2") if tagged else (False, None))


def _office_of(worker: LocalWorker) -> int | None:
    """The pid of the ``soffice.bin`` whose profile is in ``worker``'s folder."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            arguments = (entry / "cmdline").read_bytes().decode().split("\0")
        except (OSError, UnicodeDecodeError):
            continue
        if arguments[0].endswith("soffice.bin") and any(
            str(worker.work) in argument for argument in arguments
        ):
            return int(entry.name)
    return None


def _pipes_of(worker: LocalWorker, *, ready: bool = True) -> set[Path]:
    """The named pipes ``worker``'s LibreOffice has in ``/tmp``; both of them when it is
    ``ready`` (``office_pipes`` must name them as LibreOffice does)."""
    assert worker.work is not None and worker.process is not None
    pipes = office_pipes(worker.work / "profile", f"clausegen-{worker.process.pid}")
    there = {pipe for pipe in pipes if pipe.is_socket()}
    assert len(there) == 2 or not ready, f"LibreOffice's pipes are not {pipes}"
    return there


def test_a_worker_killed_mid_conversion_is_retried_and_replaced(balances, tmp_path):
    pool = LocalPool(2)
    pipes: set[Path] = set()
    try:
        pool.start()
        assert pool.state()["running"] == 2
        killed: list[int] = []

        def store(pdf: Path) -> Path:
            # When a PDF is accepted its worker is free again: a busy worker is mid-conversion.
            if not killed:
                for worker in pool.members:
                    if worker not in pool.idle and (pid := _office_of(worker)) is not None:
                        pipes.update(_pipes_of(worker))
                        os.kill(pid, signal.SIGKILL)
                        killed.append(pid)
                        break
            return _mover(tmp_path / "pdf")(pdf)

        documents = balances[:8]
        conversion = pool.convert(documents, store=store, timeout=60)
        assert conversion.error is None
        _check_pdfs(conversion.pdfs, documents)
        assert killed, "no worker was busy when a PDF was accepted"
        state = pool.state()
        assert state["failures"] >= 1 and state["restarts"] >= 1
        assert pool.wait_ready(120) == 2  # the replacement is started in the background
        assert all(_office_of(worker) != killed[0] for worker in pool.members)
        for worker in pool.members:
            pipes.update(_pipes_of(worker))
    finally:
        pool.close()
    assert pool.state()["running"] == 0
    # the killed LibreOffice could not remove its pipes: the pool did; the others closed
    assert pipes and not [pipe for pipe in pipes if pipe.exists()]


def test_a_pool_converts_on_every_worker_and_leaves_nothing_behind(balances, tmp_path):
    pool = LocalPool(2, restart_after=2)
    pipes: set[Path] = set()
    mover = _mover(tmp_path / "pdf")

    def store(pdf: Path) -> Path:
        for worker in list(pool.members):  # some starting, some retired after 2 conversions
            if worker.alive and worker.work is not None and worker.process is not None:
                pipes.update(_pipes_of(worker, ready=False))
        return mover(pdf)

    try:
        conversion = pool.convert(balances[:5], store=store, timeout=60)
        for worker in pool.members:
            pipes.update(_pipes_of(worker))
        assert conversion.error is None
        _check_pdfs(conversion.pdfs, balances[:5])
        plain = pool.convert(
            balances[5:6], store=_mover(tmp_path / "plain"), timeout=60, profile=PdfProfile.PLAIN
        )
        assert plain.error is None
        _check_pdfs(plain.pdfs, balances[5:6], tagged=False)
        assert pool.state()["restarts"] >= 2  # a worker is replaced after 2 conversions
        folders = [worker.work for worker in pool.members]
    finally:
        pool.close()
    assert all(folder is not None and not folder.exists() for folder in folders)
    # workers replaced after 2 conversions, and those closed with the pool, left no pipe
    assert len(pipes) >= 4 and not [pipe for pipe in pipes if pipe.exists()]


# --- remote unoserver --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _unoserver_path(folder: Path) -> Path:
    """A folder holding only the unoserver package (installed in this venv), for the Python
    that has LibreOffice's bindings."""
    import unoserver

    package = Path(unoserver.__file__).parent
    folder.mkdir()
    (folder / "unoserver").symlink_to(package)
    for info in package.parent.glob("unoserver-*.dist-info"):
        (folder / info.name).symlink_to(info)
    return folder


@pytest.fixture(scope="module")
def unoservers(tmp_path_factory) -> Iterator[list[tuple[str, int]]]:
    """Two unoserver instances on loopback, each with its LibreOffice, stopped afterwards."""
    root = tmp_path_factory.mktemp("unoserver")
    path = _unoserver_path(root / "lib")
    servers, addresses = [], []
    for number in range(2):
        port, uno_port = _free_port(), _free_port()
        servers.append(
            subprocess.Popen(
                [
                    find_uno_python(),
                    "-m",
                    "unoserver.server",
                    "--port",
                    str(port),
                    "--uno-port",
                    str(uno_port),
                    "--user-installation",
                    str(root / f"profile-{number}"),
                    "--libreoffice-pid-file",
                    str(root / f"office-{number}.pid"),
                ],
                env={**os.environ, "PYTHONPATH": str(path)},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
        addresses.append(("127.0.0.1", port))
    try:
        for host, port in addresses:
            _wait_for(Unoserver(host, port))
        yield addresses
    finally:
        # Each LibreOffice is ended first (SIGTERM: it removes its pipes), and its unoserver
        # then exits at once. A SIGTERM to unoserver itself would cost 10 s: its handler waits
        # for LibreOffice while its main thread holds that process's wait lock.
        for number, server in enumerate(servers):
            with contextlib.suppress(OSError, ValueError, subprocess.TimeoutExpired):
                office = int((root / f"office-{number}.pid").read_text())
                os.kill(office, signal.SIGTERM)
                server.wait(timeout=10)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        for number in range(len(servers)):  # what a LibreOffice killed with its server leaves
            remove_office_pipes(root / f"profile-{number}")


def _wait_for(server: Unoserver) -> None:
    """Until ``info()`` answers (unoserver sleeps 7 s at start-up); fails after 120 tries."""
    for _ in range(120):
        with contextlib.suppress(OSError):
            assert server.info(timeout=5)["api"] == "3"
            return
        time.sleep(1)
    pytest.fail(f"unoserver {server.address} did not start")


def test_two_unoservers_convert_the_documents(unoservers, balances, tmp_path):
    converter = RemoteUnoservers(unoservers)
    conversion = converter.convert(balances[:4], store=_mover(tmp_path / "pdf"), timeout=60)
    assert conversion.error is None
    _check_pdfs(conversion.pdfs, balances[:4])
    plain = converter.convert(
        balances[4:5], store=_mover(tmp_path / "plain"), timeout=60, profile=PdfProfile.PLAIN
    )
    assert plain.error is None
    _check_pdfs(plain.pdfs, balances[4:5], tagged=False)
    assert converter.state()["conversions"] == 5


def test_a_dead_unoserver_s_document_is_retried_on_another(unoservers, balances, tmp_path):
    dead = ("127.0.0.1", _free_port())
    converter = RemoteUnoservers([dead, unoservers[0]])
    conversion = converter.convert(balances[:3], store=_mover(tmp_path / "pdf"), timeout=60)
    assert conversion.error is None
    _check_pdfs(conversion.pdfs, balances[:3])
    assert converter.state()["failures"] >= 1


def test_every_unoserver_down_is_a_clear_conversion_error(balances, tmp_path):
    converter = RemoteUnoservers([("127.0.0.1", _free_port())])
    conversion = converter.convert(balances[:2], store=_mover(tmp_path / "pdf"), timeout=5)
    assert conversion.pdfs == []
    assert conversion.error is not None
    assert str(conversion.error).startswith(
        f"PDF conversion failed on {balances[0].name}: unoserver 127.0.0.1:"
    )
    assert "did not answer" in str(conversion.error)


def test_unoserver_addresses_are_read_and_checked():
    assert unoservers_from("10.0.0.5:2003, [::1]:2004,") == [("10.0.0.5", 2003), ("::1", 2004)]
    with pytest.raises(ValueError, match="'pdfhost' is not host:port"):
        unoservers_from("pdfhost")


# --- the CLI's --pdf-workers and the settings ------------------------------------------------


@pytest.fixture
def own_shared_converter(monkeypatch) -> Iterator[None]:
    """This test's process-wide converter, closed after it (the session's is left alone)."""
    monkeypatch.setattr(converters, "_shared", None)
    yield
    if converters._shared is not None:
        converters._shared.close()


def test_pdf_workers_converts_a_command_s_documents_on_the_pool(tmp_path, own_shared_converter):
    out = tmp_path / "bilans"
    result = run("balance", OPERATION, *FOLLOW_UP, "-o", str(out), "--pdf", "--pdf-workers", "2")
    assert result.exit_code == 0, result.output
    assert converters.shared_converter().state()["conversions"] == 13
    docx, pdfs = sorted(out.glob("*.docx")), sorted(out.glob("*.pdf"))
    assert len(docx) == 13
    _check_pdfs(pdfs, docx)


@pytest.mark.parametrize(
    ("setting", "value", "expected"),
    [
        ("CLAUSEGEN_PDF_WORKERS", "deux", "give a number from 1 to 64"),
        ("CLAUSEGEN_PDF_WORKERS", "0", "give a number from 1 to 64"),
        (
            "CLAUSEGEN_UNOSERVERS",
            "pdfhost",
            "give host:port entries separated by commas ('pdfhost' is not host:port (for "
            "example 127.0.0.1:2003))",
        ),
    ],
)
def test_an_unusable_converter_setting_stops_before_writing(
    tmp_path, monkeypatch, own_shared_converter, setting, value, expected
):
    monkeypatch.setenv(setting, value)
    result = run("tender", OPERATION, "-o", str(tmp_path / "dce"), "--pdf")
    assert (result.exit_code, result.stdout) == (1, "")
    assert (
        result.stderr
        == f"Error: {setting}={value!r} cannot be used: {expected}, or unset {setting}.\n"
    )
    assert not (tmp_path / "dce").exists()
