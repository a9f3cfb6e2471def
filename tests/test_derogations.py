"""L2112-2-1 derogations: the data, the input, the refusal of `tender` and the CCAP sentence.

Each case on both sides of the date L2112-2-1 applies from and of the EU works threshold.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from clausegen.calibration.warnings import UnusedReason
from clausegen.cli.views.warnings import warning_message
from clausegen.errors import CalibrationError
from clausegen.inputs.operation import Operation
from clausegen.law.dated import Reliability
from clausegen.law.derogations import load_derogations
from tests.docx_text import docx_text
from tests.helpers import operation_data, run, size

CODES = (
    "solution_immediatement_disponible, lien_insuffisant_objet, restriction_concurrence, "
    "difficulte_execution"
)
BINDING = ("2026-09-15", "5404000")  # launched on/after 2026-08-21, at the works threshold
SIDES = [
    pytest.param("2026-08-20", "9000000", False, id="the day before the date"),
    pytest.param("2026-08-21", "5404000", True, id="on the date, at the threshold"),
    pytest.param("2026-09-15", "5403999.99", False, id="a cent below the threshold"),
    pytest.param("2026-09-15", "6000000", True, id="above the threshold"),
]


def two_lots(date: str, amount: str, exclusion: dict[str, Any] | None) -> dict[str, Any]:
    """Lot 1 carries the clause at ``amount``; lot 2 (an elevator) is left out by the buyer."""
    data = operation_data(consultation={"date_lancement": date}, montant_estime_ht=amount)
    second = {
        "numero": 2,
        "intitule": "Ascenseur",
        "cpv": "42416100-6",
        "metier": "second_oeuvre",
        "montant_estime_ht": "0",
    }
    if exclusion is not None:
        second["exclusion"] = exclusion
    data["lots"].append(second)
    return data


BUYER_CHOICE = {"justification": "Équipement posé par un installateur agréé."}
WITH_DEROGATION = {**BUYER_CHOICE, "derogation": "difficulte_execution"}


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "operation.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def ccap_text(outdir: Path) -> str:
    """The CCAP's body text."""
    return docx_text((outdir / "ccap-clause-insertion.docx").read_bytes())


def ccap_lots_paragraph(outdir: Path) -> str:
    line = next(line for line in ccap_text(outdir).splitlines() if "Le lot\u00a02" in line)
    return line.removeprefix("[Body Text] ")


# --- the data --------------------------------------------------------------------------------


def test_each_derogation_starts_on_the_l2112_2_1_date_and_is_to_be_checked(parameters):
    derogations = load_derogations()
    switch = next(
        v.effective_from
        for v in parameters.get("obligation_sociale.l2112_2_1_applicable").values
        if v.value is True
    )
    assert ", ".join(derogations.codes) == CODES
    for code in derogations.codes:
        versions = derogations.get(code).versions  # type: ignore[union-attr]
        assert versions.first.effective_from == switch, code
        assert all(v.reliability is Reliability.A_VERIFIER for v in versions), code
        assert all("L2112-2-1" in v.reference and v.source_url for v in versions), code
        assert derogations.get(code).at(switch).legal_basis.startswith("l’article L2112-2-1")


def test_a_broken_derogations_file_names_every_problem(tmp_path):
    path = tmp_path / "derogations.yaml"
    path.write_text(
        "a:\n  description: A\n  versions:\n"
        "    - {depuis: 2026-08-21, libelle: x, fondement: y, reference: z, statut: verifie}\n"
        "    - {depuis: 2026-08-21, libelle: x, fondement: y, reference: z, statut: verifie}\n"
        "b:\n  description: B\n  versions:\n    - {depuis: 2026-08-21, libelle: x}\n",
        encoding="utf-8",
    )
    with pytest.raises(Exception) as caught:
        load_derogations(path)
    messages = caught.value.messages()  # type: ignore[attr-defined]
    assert any("b.versions[0].fondement" in m for m in messages)
    path.write_text(path.read_text().split("b:")[0], encoding="utf-8")
    with pytest.raises(Exception) as caught:
        load_derogations(path)
    assert caught.value.messages() == [  # type: ignore[attr-defined]
        f"{path}: a: two versions take effect on 2026-08-21; keep one version per date"
    ]


# --- the input ---------------------------------------------------------------------------------


def test_an_unknown_derogation_is_a_located_error_listing_the_valid_codes(tmp_path, parameters):
    data = two_lots(*BINDING, {**BUYER_CHOICE, "derogation": "urgence"})
    message = (
        "Lot 2: lots[1].exclusion.derogation: 'urgence' is not a derogation of article "
        f"L2112-2-1 of the code de la commande publique; use one of: {CODES}."
    )
    with pytest.raises(CalibrationError) as caught:
        size(make_operation_from(data), parameters)
    assert str(caught.value) == message
    path = write(tmp_path, data)
    result = run("calibrate", path)
    assert (result.exit_code, result.stderr) == (1, f"Error: {path}: {message}\n")


def test_motif_calibrage_needs_a_derogation(tmp_path):
    data = two_lots(*BINDING, {"motif": "calibrage", "justification": "Trop peu d'heures."})
    path = write(tmp_path, data)
    result = run("calibrate", path)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {path}: lots[1].exclusion: motif calibrage records the L2112-2-1 derogation "
        "of a lot its sizing leaves out; add exclusion.derogation (the code of the "
        "derogation), or remove the exclusion record.\n"
    )


def make_operation_from(data: dict[str, Any]) -> Operation:
    return Operation.model_validate(data)


# --- the refusal ------------------------------------------------------------------------------


@pytest.mark.parametrize(("date", "amount", "binding"), SIDES)
def test_tender_refuses_a_lot_without_derogation_only_where_the_obligation_binds(
    tmp_path, date, amount, binding
):
    path = write(tmp_path, two_lots(date, amount, BUYER_CHOICE))
    outdir = tmp_path / "dce"
    result = run("tender", path, "-o", outdir)
    if not binding:
        assert result.exit_code == 0
        assert _no_warning(result.stderr)
        assert "Justification de l’acheteur" in ccap_lots_paragraph(outdir)
        return
    estimated = {"5404000": "5\u202f404\u202f000", "6000000": "6\u202f000\u202f000"}[amount]
    estimated += ",00\u00a0€"
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {path}: article L2112-2-1 of the code de la commande publique binds this "
        f"consultation (launched on {date}, on or after 2026-08-21; estimated at {estimated} "
        "HT, at or above the EU threshold of 5\u202f404\u202f000,00\u00a0€ HT, "
        "seuils_ue.collectivite.travaux), so the CCAP cannot leave a lot without social "
        "consideration unless a legal derogation applies. Lot 2 (Ascenseur) has none: include "
        f"it in the clause, or add lots[1].exclusion.derogation (one of: {CODES}), justified "
        "by lots[1].exclusion.justification.\n"
    )
    assert not outdir.exists()


@pytest.mark.parametrize(("date", "amount", "binding"), SIDES)
def test_calibrate_warns_in_french_where_tender_would_refuse(parameters, date, amount, binding):
    calibration = size(make_operation_from(two_lots(date, amount, BUYER_CHOICE)), parameters)
    assert [w.code for w in calibration.avertissements] == (["L2112-2-1"] if binding else [])
    if binding:
        message = warning_message(calibration.avertissements[0])
        assert message.startswith("Lot 2 ne porte aucune considération sociale, alors que")
        assert message.endswith(
            "(lots[1].exclusion.derogation ; valeurs possibles : "
            "solution_immediatement_disponible, lien_insuffisant_objet, restriction_concurrence "
            "ou difficulte_execution) avec sa justification ; clausegen tender refuse d’écrire "
            "le CCAP sans elle."
        )


# --- the accepted derogation ------------------------------------------------------------------


DEROGATION_SENTENCE = (
    "Le lot\u00a02 (Ascenseur) ne comporte pas d’action d’insertion, par décision de l’acheteur. "
    "Pour ce lot, l’acheteur fait usage de la dérogation prévue à l’article\u00a0L2112-2-1 du code "
    "de la commande publique\u00a0: la prise en compte de considérations relatives au domaine "
    "social ou à l’emploi rendrait l’exécution du marché techniquement ou économiquement "
    "difficile. Justification de l’acheteur\u00a0: «\u00a0Équipement posé par un installateur "
    "agréé.\u00a0»"
)
WITHOUT_DEROGATION = (
    "Le lot\u00a02 (Ascenseur) ne comporte pas d’action d’insertion, par décision de l’acheteur. "
    "Justification de l’acheteur\u00a0: «\u00a0Équipement posé par un installateur "
    "agréé.\u00a0»"
)


@pytest.mark.parametrize(("date", "amount", "binding"), SIDES)
def test_the_ccap_states_the_derogation_only_where_the_obligation_binds(
    tmp_path, parameters, date, amount, binding
):
    data = two_lots(date, amount, WITH_DEROGATION)
    outdir = tmp_path / "dce"
    result = run("tender", write(tmp_path, data), "-o", outdir)
    assert result.exit_code == 0
    paragraph = ccap_lots_paragraph(outdir)
    assert paragraph == (DEROGATION_SENTENCE if binding else WITHOUT_DEROGATION)
    calibration = size(make_operation_from(data), parameters)
    found = calibration.obligation.derogation_of(2)
    assert (found is not None) is binding
    unused = [w for w in calibration.avertissements if w.code == "derogation_sans_objet"]
    if binding:
        assert _no_warning(result.stderr)
        assert unused == []
    else:
        reason = UnusedReason.NOT_IN_FORCE if date < "2026-08-21" else UnusedReason.BELOW_THRESHOLD
        assert [(w.lots, w.reason) for w in unused] == [((2,), reason)]  # type: ignore[union-attr]
        assert "la dérogation indiquée (exclusion.derogation) est sans objet" in result.stderr


def test_a_lot_the_sizing_leaves_out_records_its_derogation_with_motif_calibrage(
    tmp_path, parameters
):
    """The PACT's 150-hour floor leaves lot 1 out; the record covers it (services, 216 000 €)."""
    data = operation_data(
        clause={"calibrage": {"methode": "pact_proprete"}, "taux_insertion": "0.05"},
        consultation={"type_marche": "services", "ccag": "fcs", "duree_mois": 48},
        metier="nettoyage",
        montant_estime_ht="60000",
        reprise_personnel={"heures_mensuelles": "0"},
    )
    data["lots"].append({**data["lots"][0], "numero": 2, "montant_estime_ht": "1440000"})
    refused = run("tender", write(tmp_path, data), "-o", tmp_path / "refused")
    assert refused.exit_code == 1
    assert (
        "Lot 1 (Maçonnerie) has none: include it in the clause, or add lots[0].exclusion with "
        f"motif: calibrage, derogation (one of: {CODES}) and the buyer's justification."
    ) in refused.stderr
    data["lots"][0]["exclusion"] = {
        "motif": "calibrage",
        "derogation": "lien_insuffisant_objet",
        "justification": "Quelques heures par semaine, sur trois sites",
    }
    outdir = tmp_path / "dce"
    result = run("tender", write(tmp_path, data), "-o", outdir)
    assert result.exit_code == 0
    assert _no_warning(result.stderr)
    text = ccap_text(outdir)
    assert (
        "Le lot\u00a01 (Maçonnerie) ne comporte pas d’action d’insertion\u00a0: le nombre "
        "d’heures d’insertion calculé selon la méthode du PACT Propreté est inférieur à "
        "150\u00a0heures, seuil en deçà duquel le PACT Propreté ne prévoit pas de clause "
        "d’insertion. Pour ce lot, l’acheteur fait usage de la dérogation prévue à "
        "l’article\u00a0L2112-2-1 du code de la commande publique\u00a0: des considérations "
        "relatives au domaine social ou à l’emploi ne présenteraient pas un lien suffisant avec "
        "l’objet du marché. Justification de l’acheteur\u00a0: «\u00a0Quelques heures par "
        "semaine, sur trois sites.\u00a0»"
    ) in text
    assert "(motif" not in text


def test_a_calibrage_record_on_a_lot_that_keeps_the_clause_is_unused(parameters):
    data = two_lots(*BINDING, None)
    data["lots"][0]["exclusion"] = {
        "motif": "calibrage",
        "derogation": "restriction_concurrence",
        "justification": "Au cas où le calibrage exclurait le lot.",
    }
    data["lots"][1]["exclusion"] = WITH_DEROGATION
    calibration = size(make_operation_from(data), parameters)
    assert calibration.lots[0].retenu
    (unused,) = [w for w in calibration.avertissements if w.code == "derogation_sans_objet"]
    assert warning_message(unused) == (
        "Lot 1 : la dérogation indiquée (exclusion.derogation) est sans objet, car le lot porte "
        "la clause d’insertion ; elle n’est pas mentionnée dans les documents."
    )


def test_the_samples_record_their_derogations(parameters):
    for name, lot in (("groupe-scolaire-jaures", 7), ("nettoyage-batiments-agglo", 3)):
        result = run("calibrate", f"samples/{name}/operation.yaml", "--format", "json")
        document = json.loads(result.stdout)
        obligation = document["obligation_l2112_2_1"]
        assert (obligation["applicable"], obligation["seuil_atteint"]) == (True, True)
        assert obligation["lots_sans_consideration_sociale"] == [lot]
        assert obligation["lots_sans_derogation"] == []
        (excluded,) = [entry for entry in document["lots"] if entry["numero"] == lot]
        assert excluded["derogation"]["code"] == "difficulte_execution"
        assert excluded["derogation"]["statut"] == "a_verifier"


def _no_warning(stderr: str) -> bool:
    """No warning nor error: at most the report of the unverified versions the tender used."""
    return stderr == "" or (
        stderr.startswith("Ces documents reposent sur") and "Warning" not in stderr
    )
