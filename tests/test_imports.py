"""What a command imports: ``clausegen --help`` and ``calibrate`` load neither the document
libraries nor the service (pypdf, docxtpl, python-docx, openpyxl, matplotlib, FastAPI,
uvicorn), which cost several times a bare start-up; the commands ``--help`` lists are the
ones the group runs, with their own first line of help."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys

import pytest

from clausegen.cli.app import COMMANDS, load_command
from tests.helpers import ROOT

HEAVY = ("pypdf", "docxtpl", "docx", "openpyxl", "matplotlib", "fastapi", "uvicorn", "num2words")

LOADED = """
import json, sys
from clausegen.cli.app import main
try:
    main(sys.argv[1:], prog_name="clausegen")
except SystemExit:
    pass
sys.__stdout__.write("\\n" + json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
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


def test_the_check_can_fail():
    assert {"docxtpl", "pypdf"} <= top_level_modules("tender", "--help")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_listed_command_is_the_one_run_with_its_first_line_of_help(name):
    command = load_command(name)
    assert command.name == name
    first_paragraph = inspect.cleandoc(command.help or "").split("\n\n")[0]
    assert " ".join(first_paragraph.split()) == COMMANDS[name][1]
