"""The manifest: what produced a document, so it can be traced and regenerated identically.

It names the input files and their sha256, the date the law was resolved at, the template and
its sha256, every fragment version used (``id@date`` with the sha256 of its text), every
parameter behind a figure (value, effective date, reference) and clausegen's version, and,
apart, the versions among them whose source is not verified (status ``a_verifier`` or
``indicatif``), which ``--strict`` refuses. It is written beside the document as JSON and
inside the DOCX as custom properties, one property per fragment and per parameter (Word
keeps property values short). A compliance statement's manifest adds ``calculs``: each
figure it states per lot (hours required and realised, penalties) with its whole trace,
and ``considerations_sociales``: each lot's DECP v2 values and eForms codes, the ones the
statement states and ``clausegen export decp`` writes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from clausegen import __version__
from clausegen.calibration.trace import Trace
from clausegen.law.dated import Reliability
from clausegen.law.declaration import LotDeclaration
from clausegen.law.fragments import ResolvedFragment
from clausegen.law.parameters import ResolvedParameter

FORMAT = "clausegen.manifest/3"
"""Version 3: ``non_verifies`` lists the versions whose source is not verified. Version 2:
``entrees`` lists every input file (version 1 had a single ``entree``)."""

FRAGMENT = "fragment"
PARAMETER = "parametre"


@dataclass(frozen=True)
class UnverifiedVersion:
    """A fragment or parameter version a document uses whose source is not verified."""

    kind: str
    """``fragment`` or ``parametre``."""
    id: str
    effective_from: date
    reliability: Reliability

    @property
    def citation(self) -> str:
        return f"{self.id}@{self.effective_from.isoformat()}"

    def as_data(self) -> dict[str, str]:
        return {
            "nature": self.kind,
            "id": self.id,
            "depuis": self.effective_from.isoformat(),
            "statut": self.reliability.value,
        }


def unverified_versions(
    fragments: Iterable[ResolvedFragment], parameters: Iterable[ResolvedParameter]
) -> tuple[UnverifiedVersion, ...]:
    """The versions among ``fragments`` and ``parameters`` not marked ``verifie``, each once,
    ordered by status (``a_verifier`` first), then fragments before parameters, then id."""
    found = {
        UnverifiedVersion(FRAGMENT, f.id, f.version.effective_from, f.version.reliability)
        for f in fragments
    } | {UnverifiedVersion(PARAMETER, p.id, p.effective_from, p.reliability) for p in parameters}
    return _ordered(v for v in found if v.reliability is not Reliability.VERIFIE)


def unverified_in(manifests: Iterable[Manifest]) -> tuple[UnverifiedVersion, ...]:
    """Every unverified version the documents of ``manifests`` use, each once, in order."""
    return _ordered({version for manifest in manifests for version in manifest.unverified})


def _ordered(versions: Iterable[UnverifiedVersion]) -> tuple[UnverifiedVersion, ...]:
    statuses = list(Reliability)

    def key(v: UnverifiedVersion) -> tuple[int, bool, str, date]:
        return statuses.index(v.reliability), v.kind != FRAGMENT, v.id, v.effective_from

    return tuple(sorted(versions, key=key))


@dataclass(frozen=True)
class FileDigest:
    """A file named without its folder (so the manifest does not depend on where it ran)."""

    name: str
    sha256: str

    @classmethod
    def of(cls, name: str, content: bytes) -> FileDigest:
        return cls(name, hashlib.sha256(content).hexdigest())


def input_digests(*paths: Path) -> tuple[FileDigest, ...]:
    """The digests of input files, named without their folder."""
    return tuple(FileDigest.of(path.name, path.read_bytes()) for path in paths)


@dataclass(frozen=True)
class Calculation:
    """A figure a document states, with its whole trace (the traces of its operands nested)."""

    lot: int
    figure: str
    trace: Trace

    def as_data(self) -> dict[str, Any]:
        return {"lot": self.lot, "figure": self.figure, "trace": trace_data(self.trace)}


def trace_data(trace: Trace) -> dict[str, Any]:
    """A trace as JSON data: its steps, each operand's origin (and its own trace, nested),
    and the parameters read with their date, reference and status."""
    return {
        "etapes": [
            {
                "numero": step.number,
                "libelle": step.label,
                "formule": step.formula,
                "operandes": [
                    {
                        "nom": o.name,
                        "valeur": _value(o.value),
                        "unite": o.unit,
                        "origine": o.origin.value,
                        "ref": o.ref,
                        **({"calcul": trace_data(o.trace)} if o.trace is not None else {}),
                    }
                    for o in step.operands
                ],
                "resultat": str(step.result),
                "unite": step.unit,
            }
            for step in trace.steps
        ],
        "parametres": [
            {
                "id": p.id,
                "valeur": _value(p.value),
                "depuis": p.effective_from.isoformat(),
                "reference": p.reference,
                "statut": p.reliability.value,
            }
            for p in trace.parameters
        ],
    }


@dataclass(frozen=True)
class Manifest:
    document: str
    output: str
    inputs: tuple[FileDigest, ...]
    template: FileDigest
    at: date
    fragments: tuple[ResolvedFragment, ...]
    parameters: tuple[ResolvedParameter, ...]
    closing: date | None = None
    version: str = __version__
    calculations: tuple[Calculation, ...] = ()
    declarations: tuple[LotDeclaration, ...] = ()

    def as_data(self) -> dict[str, Any]:
        closing = {"arrete_au": self.closing.isoformat()} if self.closing else {}
        return {
            "format": FORMAT,
            "document": self.document,
            "fichier": self.output,
            "clausegen": self.version,
            "date_reference": self.at.isoformat(),
            **closing,
            "entrees": [{"fichier": f.name, "sha256": f.sha256} for f in self.inputs],
            "modele": {"fichier": self.template.name, "sha256": self.template.sha256},
            "fragments": [
                {
                    "id": fragment.id,
                    "version": fragment.version.effective_from.isoformat(),
                    "citation": fragment.citation,
                    "sha256": fragment.version.sha256,
                    "source": fragment.version.source,
                    "statut": fragment.version.reliability.value,
                }
                for fragment in self.fragments
            ],
            "parametres": [
                {
                    "id": parameter.id,
                    "valeur": _value(parameter.value),
                    "depuis": parameter.effective_from.isoformat(),
                    "reference": parameter.reference,
                    "statut": parameter.reliability.value,
                }
                for parameter in self.parameters
            ],
            "non_verifies": [version.as_data() for version in self.unverified],
            **({"calculs": [c.as_data() for c in self.calculations]} if self.calculations else {}),
            **(
                {"considerations_sociales": [d.as_data() for d in self.declarations]}
                if self.declarations
                else {}
            ),
        }

    @property
    def unverified(self) -> tuple[UnverifiedVersion, ...]:
        """The fragment and parameter versions of this document not marked ``verifie``."""
        return unverified_versions(self.fragments, self.parameters)

    def to_json(self) -> str:
        return json.dumps(self.as_data(), ensure_ascii=False, indent=2) + "\n"

    @property
    def sha256(self) -> str:
        """The digest of the JSON manifest: one value that identifies the whole production."""
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()

    def custom_properties(self) -> list[tuple[str, str]]:
        """The manifest as DOCX custom properties, each value short enough for Word."""
        properties: list[tuple[str, str]] = [
            ("clausegen.manifeste", FORMAT),
            ("clausegen.version", self.version),
            ("clausegen.date_reference", self.at.isoformat()),
            ("clausegen.modele", f"{self.template.name} sha256:{self.template.sha256}"),
        ]
        properties += [
            (f"clausegen.entree.{i:02d}", f"{f.name} sha256:{f.sha256}")
            for i, f in enumerate(self.inputs, start=1)
        ]
        properties += [
            (f"clausegen.fragment.{i:02d}", f"{f.citation} sha256:{f.version.sha256}")
            for i, f in enumerate(self.fragments, start=1)
        ]
        properties += [
            (f"clausegen.parametre.{i:02d}", f"{p.id}={_value(p.value)}@{p.effective_from}")
            for i, p in enumerate(self.parameters, start=1)
        ]
        properties += [
            (f"clausegen.considerations.lot{d.lot:02d}", ", ".join(d.considerations_sociales))
            for d in self.declarations
        ]
        properties += [
            (f"clausegen.non_verifie.{i:02d}", f"{v.kind} {v.citation} {v.reliability.value}")
            for i, v in enumerate(self.unverified, start=1)
        ]
        return properties


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
