"""Shared fixtures and the hypothesis profiles (derandomized on CI)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from clausegen.law.parameters import ParameterSet, load_parameters

settings.register_profile("ci", derandomize=True, deadline=None, max_examples=150)
settings.register_profile("dev", deadline=None, max_examples=100)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def parameters() -> ParameterSet:
    return load_parameters()


@pytest.fixture(autouse=True)
def _run_from_the_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths in messages and golden files are relative to the project root."""
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
