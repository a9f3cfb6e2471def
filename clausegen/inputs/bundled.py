"""The data clausegen ships: the legal texts (``legal_fragments/``) and the templates
(``clause_templates/``).

Both folders sit at the top of the repository, where a legal reviewer and a buyer look for
them, and inside the ``clausegen`` package of the wheel. ``bundled_folder`` finds them in
either place: in the installed package first, else beside the package in a source tree.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

LEGAL_FRAGMENTS = "legal_fragments"
CLAUSE_TEMPLATES = "clause_templates"


def bundled_folder(name: str) -> Path:
    """The folder ``name`` (``legal_fragments`` or ``clause_templates``) shipped with clausegen."""
    installed = Path(str(files("clausegen"))) / name
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent.parent / name
