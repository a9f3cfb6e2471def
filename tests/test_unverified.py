"""Unverified law is visible: ``tender`` lists, and every manifest records, the fragment and
parameter versions not marked ``verifie``; ``--strict`` writes nothing that depends on one."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest

from clausegen.cli.unverified import refuse_unverified, unverified_report
from clausegen.documents.manifest import UnverifiedVersion, unverified_in
from clausegen.errors import UnverifiedLawError
from clausegen.law.dated import Reliability
from tests.golden import assert_golden
from tests.helpers import FOLLOW_UP, OPERATION, SAMPLE, run

L2112_2_1 = {
    "nature": "parametre",
    "id": "obligation_sociale.l2112_2_1_applicable",
    "depuis": "2026-08-21",
    "statut": "a_verifier",
}


def test_tender_lists_the_unverified_versions_on_stderr(tmp_path):
    result = run("tender", OPERATION, "-o", str(tmp_path / "dce"))
    assert result.exit_code == 0
    assert_golden(result.stderr, "tender/groupe-scolaire-jaures/tender.stderr.txt")
    report = result.stderr[result.stderr.index("Ces documents") :].splitlines()
    assert report[0] == (
        "Ces documents reposent sur 21 versions non vérifiées de fragments et de paramètres "
        "(--strict refuse de les écrire) :"
    )
    assert "    paramètre obligation_sociale.l2112_2_1_applicable  depuis 2026-08-21" in report


def test_strict_tender_writes_nothing(tmp_path):
    outdir = tmp_path / "dce"
    result = run("tender", OPERATION, "-o", str(outdir), "--strict")
    assert (result.exit_code, result.stdout) == (1, "")
    assert_golden(result.stderr, "tender/groupe-scolaire-jaures/tender-strict.stderr.txt")
    assert result.stderr.startswith(
        "Error: --strict: these documents depend on 21 fragment or parameter versions whose "
        "source is not verified, so nothing was written."
    )
    assert "parametre obligation_sociale.l2112_2_1_applicable@2026-08-21" in result.stderr
    assert not outdir.exists()


def test_the_manifest_records_the_unverified_versions(tmp_path):
    outdir = tmp_path / "dce"
    assert run("tender", OPERATION, "-o", str(outdir)).exit_code == 0
    rc = json.loads((outdir / "rc-clause-insertion.manifest.json").read_text(encoding="utf-8"))
    assert rc["format"] == "clausegen.manifest/3"
    assert rc["non_verifies"] == [
        {"nature": "parametre", "id": "etp.diviseur.annuel_legal", "depuis": "2016-04-01",
         "statut": "a_verifier"},
        L2112_2_1,
        {"nature": "fragment", "id": "clause.fiche_engagement", "depuis": "2016-04-01",
         "statut": "indicatif"},
        {"nature": "fragment", "id": "rc.renseignements", "depuis": "2016-04-01",
         "statut": "indicatif"},
        *(
            {"nature": "parametre", "id": f"part_main_oeuvre.{trade}", "depuis": "2016-04-01",
             "statut": "indicatif"}
            for trade in ("electricite", "gros_oeuvre", "menuiserie", "plomberie_cvc")
        ),
        {"nature": "parametre", "id": "suivi.embauche_cdi_plafond_heures",
         "depuis": "2016-04-01", "statut": "indicatif"},
    ]  # fmt: skip
    ccap = json.loads((outdir / "ccap-clause-insertion.manifest.json").read_text("utf-8"))
    listed = {(v["nature"], v["id"], v["depuis"], v["statut"]) for v in ccap["non_verifies"]}
    expected = {
        ("fragment", f["id"], f["version"], f["statut"])
        for f in ccap["fragments"]
        if f["statut"] != "verifie"
    } | {
        ("parametre", p["id"], p["depuis"], p["statut"])
        for p in ccap["parametres"]
        if p["statut"] != "verifie"
    }
    assert listed == expected and len(listed) == 20
    with zipfile.ZipFile(io.BytesIO((outdir / "rc-clause-insertion.docx").read_bytes())) as docx:
        custom = docx.read("docProps/custom.xml").decode("utf-8")
    assert "parametre obligation_sociale.l2112_2_1_applicable@2026-08-21 a_verifier" in custom


COMPANY_1 = SAMPLE / "engagements/lot-01-bati-sud.yaml"


@pytest.mark.parametrize(
    "args",
    [
        ("commitment", OPERATION, "--lot", "1", "--company", COMPANY_1),
        ("commitment", OPERATION, "--lot", "4"),
        ("compliance", OPERATION, "--commitments", SAMPLE / "engagements", *FOLLOW_UP),
        ("balance", OPERATION, *FOLLOW_UP),
        ("balance", OPERATION, *FOLLOW_UP, "--participant", "P01"),
    ],
    ids=["commitment", "blank-form", "compliance", "balance", "one-balance"],
)
def test_strict_execution_documents_write_nothing(tmp_path, args):
    outdir = tmp_path / "out"
    result = run(*args, "-o", outdir, "--strict")
    assert (result.exit_code, result.stdout) == (1, "")
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Error: --strict: these documents depend on ")
    assert lines[1].startswith("Error: a_verifier (legal reference cited from memory")
    assert not outdir.exists()
    assert run(*args, "-o", outdir).exit_code == 0


def test_the_commitment_form_lists_its_unverified_fragments_in_the_error(tmp_path):
    result = run("commitment", OPERATION, "--lot", "4", "-o", tmp_path, "--strict")
    assert result.stderr == (
        "Error: --strict: these documents depend on 7 fragment or parameter versions whose "
        "source is not verified, so nothing was written. Have them checked (clausegen "
        "fragments show ID --at DATE shows a fragment's source), or leave out --strict.\n"
        "Error: a_verifier (legal reference cited from memory, to check against the official "
        "text): fragment engagement.engagements@2016-04-01, fragment "
        "engagement.preambule@2016-04-01, parametre etp.diviseur.annuel_legal@2016-04-01.\n"
        "Error: indicatif (customary value no source confirms, to confirm or adjust): fragment "
        "clause.exoneration@2016-04-01, fragment clause.fiche_engagement@2016-04-01, fragment "
        "clause.penalites@2016-04-01, fragment clause.plafond@2016-04-01.\n"
    )


def _version(kind: str, ident: str, status: Reliability) -> UnverifiedVersion:
    return UnverifiedVersion(kind, ident, date(2016, 4, 1), status)


def test_report_and_refusal_of_versions():
    versions = (
        _version("parametre", "b.param", Reliability.INDICATIF),
        _version("fragment", "a.fragment", Reliability.A_VERIFIER),
    )
    assert unverified_report(versions) == (
        "Ces documents reposent sur 2 versions non vérifiées de fragments et de paramètres "
        "(--strict refuse de les écrire) :",
        "  a_verifier (référence citée de mémoire, à contrôler sur le texte officiel) :",
        "    fragment a.fragment  depuis 2016-04-01",
        "  indicatif (valeur usuelle qu’aucune source ne fixe, à confirmer ou à ajuster) :",
        "    paramètre b.param    depuis 2016-04-01",
    )
    assert unverified_report(()) == ()
    refuse_unverified(())  # nothing unverified: --strict lets the documents be written
    with pytest.raises(UnverifiedLawError) as raised:
        refuse_unverified(versions)
    assert raised.value.versions == {
        "a_verifier": ["fragment a.fragment@2016-04-01"],
        "indicatif": ["parametre b.param@2016-04-01"],
    }
    assert unverified_in([]) == ()
