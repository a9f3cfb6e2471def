"""Golden files: compare a text with its reviewed copy under tests/golden/.

Set CLAUSEGEN_UPDATE_GOLDEN=1 to (re)write them, then review the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"


def assert_golden(text: str, name: str) -> None:
    path = GOLDEN / name
    if os.environ.get("CLAUSEGEN_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with CLAUSEGEN_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")
