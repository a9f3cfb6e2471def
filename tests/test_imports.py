"""What a command imports: ``clausegen --help`` and ``calibrate`` load neither the document
libraries nor the service (pypdf, docxtpl, python-docx, openpyxl, matplotlib, FastAPI,
uvicorn), which cost several times a bare start-up, nor what only another output or an error
needs (``json``, ``difflib``); the commands ``--help`` lists are the ones the group runs,
with their own first line of help; the ``clausegen`` process turns pydantic's plugin
discovery off unless the user set it."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys

import pytest

from clausegen.cli.app import COMMANDS, load_command, run
from tests.helpers import ROOT

HEAVY = ("pypdf", "docxtpl", "docx", "openpyxl", "matplotlib", "fastapi", "uvicorn", "num2words")
ON_DEMAND = ("json", "difflib")
"""Imported where used: ``json`` to read a .json operation or print ``--format json``,
``difflib`` to suggest a close name in an error message."""

LOADED = """
import sys
from clausegen.cli.app import main
try:
    main(sys.argv[1:], prog_name="clausegen")
except SystemExit:
    pass
loaded = sorted({name.split(".")[0] for name in sys.modules})
import json
sys.__stdout__.write("\\n" + json.dumps(loaded))
"""


def top_level_modules(*args: str) -> set[str]:
    """The top-level packages a fresh interpreter has imported after ``clausegen ARGS``."""
    done = subprocess.run(
        [sys.executable, "-c", LOADED, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("--version",),
        ("calibrate", "samples/espaces-verts-marche-reserve/operation.yaml"),
        ("calibrate", "--explain", "samples/groupe-scolaire-jaures/operation.yaml"),
        ("calibrate", "--format", "json", "samples/groupe-scolaire-jaures/operation.yaml"),
        (
            "calibrate",
            "--help",
        ),
    ],
    ids=" ".join,
)
def test_help_and_calibrate_import_no_heavy_library(args):
    assert top_level_modules(*args) & set(HEAVY) == set()


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("calibrate", "samples/espaces-verts-marche-reserve/operation.yaml"),
        ("calibrate", "--explain", "samples/groupe-scolaire-jaures/operation.yaml"),
        ("calibrate", "--format", "csv", "samples/groupe-scolaire-jaures/operation.yaml"),
    ],
    ids=" ".join,
)
def test_help_and_calibrate_import_what_other_paths_need_only_there(args):
    assert top_level_modules(*args) & set(ON_DEMAND) == set()


def test_the_on_demand_check_can_fail():
    assert "json" in top_level_modules(
        "calibrate", "--format", "json", "samples/groupe-scolaire-jaures/operation.yaml"
    )
    assert "difflib" in top_level_modules("calibrate", "tests/fixtures/broken/unknown_key.yaml")


PLUGINS = "PYDANTIC_DISABLE_PLUGINS"


def run_version(monkeypatch) -> None:
    monkeypatch.setattr(sys, "argv", ["clausegen", "--version"])
    with pytest.raises(SystemExit) as done:
        run()
    assert done.value.code == 0


def test_the_clausegen_process_turns_pydantic_plugin_discovery_off(monkeypatch):
    monkeypatch.setenv(PLUGINS, "")  # restored after the test, then removed
    monkeypatch.delenv(PLUGINS)
    run_version(monkeypatch)
    assert os.environ[PLUGINS] == "__all__"


def test_a_users_pydantic_plugin_setting_is_kept(monkeypatch):
    monkeypatch.setenv(PLUGINS, "logfire")
    run_version(monkeypatch)
    assert os.environ[PLUGINS] == "logfire"


def test_the_check_can_fail():
    assert "docxtpl" in top_level_modules("tender", "--help")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_listed_command_is_the_one_run_with_its_first_line_of_help(name):
    command = load_command(name)
    assert command.name == name
    first_paragraph = inspect.cleandoc(command.help or "").split("\n\n")[0]
    assert " ".join(first_paragraph.split()) == COMMANDS[name][1]


PDF_LIBRARIES = {"pypdf", "pikepdf"}


@pytest.mark.parametrize(
    "command",
    [
        ("tender", "samples/groupe-scolaire-jaures/operation.yaml"),
        (
            "balance",
            "samples/groupe-scolaire-jaures/operation.yaml",
            "--ledger=samples/groupe-scolaire-jaures/heures.csv",
            "--participants=samples/groupe-scolaire-jaures/participants.yaml",
            "--jobs=1",
        ),
    ],
    ids=lambda command: command[0],
)
def test_documents_without_pdf_load_no_pdf_library(command, tmp_path):
    """pypdf checks a converted PDF and pikepdf assembles the annex: a command writing DOCX
    only loads neither (as ``--pdf`` does, when it converts)."""
    loaded = top_level_modules(*command, "-o", str(tmp_path / "out"))
    assert "docxtpl" in loaded  # the command did render its documents
    assert loaded & PDF_LIBRARIES == set()
