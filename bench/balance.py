"""Benchmark: `clausegen balance` on 1 000 generated participants.

Prints documents per second and peak memory for the real command (load, check, compose,
render, manifests, atomic write), and its ratio against a baseline measured in the same
run: plain docxtpl rendering the same template with the same contexts, nothing else.

    .venv/bin/python bench/balance.py [--participants 1000]
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import yaml
from click.testing import CliRunner
from docxtpl import DocxTemplate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clausegen.calibration.calibrate import calibrate  # noqa: E402
from clausegen.cli.app import main  # noqa: E402
from clausegen.documents.balance import compose_balance, resolve_fragment  # noqa: E402
from clausegen.documents.fragments import load_fragments  # noqa: E402
from clausegen.execution.ledger import LedgerRow  # noqa: E402
from clausegen.execution.participants import load_participants  # noqa: E402
from clausegen.execution.records import load_execution_records  # noqa: E402
from clausegen.inputs.loading import load_operation  # noqa: E402
from clausegen.law.parameters import load_parameters  # noqa: E402
from clausegen.law.templating import xml_environment  # noqa: E402
from clausegen.render.templates import BUNDLED_DIR  # noqa: E402

OPERATION = ROOT / "samples" / "groupe-scolaire-jaures" / "operation.yaml"
COMPANY = ("Bâti Sud Construction", "81234567600017")
CRITERIA = ["deld", "rsa", "qpv", "jeune_moins_26", "senior_plus_50", "rqth", "ass"]


def generate(folder: Path, count: int) -> tuple[Path, Path]:
    """``count`` participants on lot 1, each with 2 to 8 months of hours in 2027."""
    rng = random.Random(20261122)
    people, rows = (
        [],
        ["participant;lot;entreprise;siret;mois;modalite;structure;heures;montant_ht"],
    )
    for index in range(1, count + 1):
        pid = f"G{index:04d}"
        start = rng.randint(1, 5)
        people.append(
            {
                "id": pid,
                "nom": f"Nom{index}",
                "prenom": f"Prénom{index}",
                "sexe": rng.choice("FH"),
                "date_naissance": f"{rng.randint(1960, 2005)}-0{rng.randint(1, 9)}-15",
                "criteres": rng.sample(CRITERIA, rng.randint(1, 3)),
                "date_validation": f"2027-0{start}-04",
                "employeur": {"raison_sociale": COMPANY[0]},
                "contrat": {"type": "cdd", "debut": f"2027-0{start}-05"},
                "poste": {"intitule": "Aide-maçon", "code_rome": "F1703"},
                "savoir_faire": [{"intitule": "Maçonnerie de petits ouvrages", "fin": "acquis"}],
            }
        )
        for month in range(start, start + rng.randint(2, 8)):
            rows.append(f"{pid};1;{COMPANY[0]};{COMPANY[1]};2027-{month:02d};embauche_directe;;35;")
    participants, ledger = folder / "participants.yaml", folder / "heures.csv"
    participants.write_text(yaml.safe_dump({"participants": people}, allow_unicode=True), "utf-8")
    ledger.write_text("\n".join(rows) + "\n", "utf-8")
    return participants, ledger


def baseline(participants: Path, ledger_rows: dict[str, list[LedgerRow]]) -> float:
    """Seconds for plain docxtpl to render the same contexts (no check, manifest or write)."""
    operation = load_operation(OPERATION)
    fragment = resolve_fragment(load_fragments(), operation.consultation.date_lancement)
    people = load_participants(participants)
    assert operation.execution is not None
    closing = operation.execution.fin
    contexts = [
        compose_balance(
            operation, person, ledger_rows.get(pid, []), fragment, closing
        ).context.model_dump()
        for pid, person in people.items()
    ]
    started = time.perf_counter()
    for context in contexts:
        document = DocxTemplate(BUNDLED_DIR / "balance.docx")
        document.render(context, jinja_env=xml_environment())
        document.save(io.BytesIO())
    return time.perf_counter() - started


def main_bench() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=1000)
    count = parser.parse_args().participants
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        participants, ledger = generate(folder, count)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        result = CliRunner().invoke(
            main,
            [
                "balance",
                str(OPERATION),
                f"--ledger={ledger}",
                f"--participants={participants}",
                "-o",
                str(folder / "out"),
            ],
        )
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if result.exit_code != 0:
            raise SystemExit(f"clausegen balance failed:\n{result.output}{result.stderr}")
        written = len(list((folder / "out").glob("*.docx")))
        assert written == count, (written, count)
        rows: dict[str, list[LedgerRow]] = {}
        operation = load_operation(OPERATION)
        parameters = load_parameters()
        calibration = calibrate(operation, parameters, operation.consultation.date_lancement)
        data = load_execution_records(
            operation,
            OPERATION,
            calibration,
            parameters,
            ledger=ledger,
            participants_file=participants,
        )
        for line in data.registre.lignes:
            rows.setdefault(line.participant or "", []).append(line)
        plain = baseline(participants, rows)
    rate = count / elapsed
    print(f"clausegen balance: {count} documents in {elapsed:.1f} s = {rate:.1f} documents/s")
    print(
        f"peak memory (max RSS): {peak / 1024:.0f} MiB (was {before / 1024:.0f} MiB before the run)"
    )
    print(f"baseline, plain docxtpl on the same contexts: {count / plain:.1f} documents/s")
    print(f"ratio clausegen / baseline (documents/s): {plain / elapsed:.2f}")


if __name__ == "__main__":
    main_bench()
