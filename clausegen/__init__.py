"""clausegen: sizing and documents for French social insertion clauses.

The packages follow the data flow, each importing only those before it:

    inputs       files → validated models (operation, readers, tables, bundled data)
    law          dated values resolved at a date: parameters and legal fragments
    calibration  the hours of each lot, traced; the L2112-2-1 check
    execution    commitments, participants, the hours ledger, their reconciliation
    documents    finished documents: contexts, fragments, plans, manifests
    render       finished documents → DOCX and PDF bytes and files
    cli          the ``clausegen`` command: commands and their views

``errors`` is shared by every step.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    """``__version__``, read from the installed metadata when first asked for: importing
    ``importlib.metadata`` costs more than a ``clausegen --help`` that does not need it."""
    if name == "__version__":
        from importlib.metadata import version

        globals()["__version__"] = version("clausegen")
        return globals()["__version__"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
