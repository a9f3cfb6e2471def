"""The DOCX opens in LibreOffice: a real headless conversion, read back with pypdf.

LibreOffice is installed by the README's commands (scripts/test.sh); this test fails, not
skips, when it is missing, so CI cannot pass without having converted the documents.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from clausegen.cli import main

SAMPLE = "samples/groupe-scolaire-jaures/operation.yaml"


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice is missing: run bash scripts/test.sh, which installs it"
    return found


def _convert(documents: list[Path], outdir: Path, profile: Path) -> None:
    subprocess.run(
        [
            _soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, documents),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


def _text(pdf: Path) -> tuple[int, str]:
    reader = PdfReader(pdf)
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), re.sub(r"[ \u00a0\u202f]+", " ", text)


def test_libreoffice_converts_the_tender_documents(tmp_path):
    outdir = tmp_path / "dce"
    result = CliRunner().invoke(main, ["tender", SAMPLE, "-o", str(outdir)])
    assert result.exit_code == 0, result.output
    documents = sorted(outdir.glob("*.docx"))
    _convert(documents, tmp_path / "pdf", tmp_path / "profile")

    pages, ccap = _text(tmp_path / "pdf" / "ccap-clause-insertion.pdf")
    assert pages >= 2
    assert "Ville de Carcassonne – consultation 2026-TRX-042" in ccap
    assert "En application de l'article L2112-2 du code de la commande publique" in ccap
    assert "obligatoire en vertu de l'article L2112-2-1 du même code" in ccap
    assert "1 Gros œuvre – démolition 2 150 000,00 € 2 007 1,25" in ccap
    assert "Total 5 760 000,00 € 5 850 3,64" in ccap
    assert f"Page 1 sur {pages}" in ccap

    pages, rc = _text(tmp_path / "pdf" / "rc-clause-insertion.pdf")
    assert pages >= 1
    assert "Règlement de la consultation" in rc
    assert "4 Plâtrerie – peinture 480 000,00 € 1 120 0,70" in rc


def test_libreoffice_keeps_special_characters(tmp_path):
    operation = tmp_path / "operation.yaml"
    text = Path(SAMPLE).read_text(encoding="utf-8")
    text = text.replace("nom: Ville de Carcassonne", "nom: 'Lyon & Métropole <Habitat> \"Sud\"'")
    text = text.replace(
        "intitule: Plâtrerie – peinture", "intitule: Peinture d'intérieur & façades"
    )
    operation.write_text(text, encoding="utf-8")
    outdir = tmp_path / "dce"
    result = CliRunner().invoke(main, ["tender", str(operation), "-o", str(outdir)])
    assert result.exit_code == 0, result.output
    _convert([outdir / "ccap-clause-insertion.docx"], tmp_path / "pdf", tmp_path / "profile")
    _, ccap = _text(tmp_path / "pdf" / "ccap-clause-insertion.pdf")
    assert 'Lyon & Métropole <Habitat> "Sud" – consultation 2026-TRX-042' in ccap
    assert "4 Peinture d'intérieur & façades 480 000,00 €" in ccap
