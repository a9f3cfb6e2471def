"""A real install: the wheel ships the legal texts and the templates, and works on its own.

The wheel is built from the checkout, installed without ``-e`` into a fresh virtualenv
outside it, and run from another folder: ``calibrate`` and ``tender`` on a sample. The
fresh virtualenv borrows the test environment's third-party packages (a path entry, not an
install), so nothing is downloaded but the build's own tools.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.helpers import OPERATION

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / OPERATION


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh virtualenv where the wheel is installed."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # a copy: setuptools' build/ folder never lands in the checkout
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for name in ("clausegen", "legal_fragments", "clause_templates"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", work / "dist", source],
        check=True,
        capture_output=True,
    )
    wheel = next((work / "dist").glob("clausegen-*.whl"))
    env_dir = work / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", wheel],
        check=True,
        capture_output=True,
    )
    return env_dir / "bin"


def _run(bin_dir: Path, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    return subprocess.run(
        [bin_dir / "clausegen", *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_the_installed_package_is_the_wheel_not_the_checkout(installed, tmp_path):
    where = subprocess.run(
        [installed / "python", "-c", "import clausegen; print(clausegen.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(installed.parent) in where and str(ROOT) not in where


def test_calibrate_and_tender_run_from_the_wheel(installed, tmp_path):
    calibrated = _run(installed, "calibrate", SAMPLE, cwd=tmp_path)
    assert calibrated.returncode == 0, calibrated.stderr
    golden = ROOT / "tests" / "golden" / "calibrate" / "groupe-scolaire-jaures.table.txt"
    assert calibrated.stdout == golden.read_text(encoding="utf-8")
    written = _run(installed, "tender", SAMPLE, "-o", tmp_path / "out", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "ccap-clause-insertion.docx",
        "ccap-clause-insertion.manifest.json",
        "rc-clause-insertion.docx",
        "rc-clause-insertion.manifest.json",
    ]
