"""The L2112-2-1 check: both sides of its date and of the EU threshold."""

from __future__ import annotations

import pytest

from clausegen.cli.views.warnings import warning_message
from tests.helpers import D, make_operation, size

WORKS_THRESHOLD_2026 = "5404000"


def two_lots(
    date: str, amount: str, *, exclude_second: bool = True, kind: str = "travaux", **overrides
):
    consultation = {"date_lancement": date, "type_marche": kind}
    operation = make_operation(consultation=consultation, **overrides)
    data = operation.model_dump(mode="json")
    second = {
        "numero": 2,
        "intitule": "Ascenseur",
        "cpv": "45313100-5",
        "metier": "second_oeuvre",
        "montant_estime_ht": "0",
    }
    if exclude_second:
        second["exclusion"] = {"justification": "Équipement"}
    data["lots"][0]["montant_estime_ht"] = amount
    data["lots"].append(second)
    return type(operation).model_validate(data)


@pytest.mark.parametrize(
    ("date", "warned"),
    [("2026-08-20", False), ("2026-08-21", True), ("2019-03-15", False)],
)
def test_warning_only_from_the_l2112_2_1_date(parameters, date, warned):
    calibration = size(two_lots(date, WORKS_THRESHOLD_2026), parameters)
    codes = [w.code for w in calibration.avertissements]
    assert codes == (["L2112-2-1"] if warned else [])
    assert calibration.obligation.applicable is warned


@pytest.mark.parametrize(
    ("amount", "warned"), [("5403999.99", False), (WORKS_THRESHOLD_2026, True)]
)
def test_warning_only_from_the_eu_threshold(parameters, amount, warned):
    calibration = size(two_lots("2026-09-15", amount), parameters)
    assert [w.code for w in calibration.avertissements] == (["L2112-2-1"] if warned else [])
    assert calibration.obligation.reaches_threshold is warned


def test_warning_cites_the_article_the_lot_and_the_threshold(parameters):
    warning = size(two_lots("2026-09-15", "6000000"), parameters).avertissements[0]
    assert warning.lots == (2,)
    assert warning.threshold_id == "seuils_ue.collectivite.travaux"
    assert warning_message(warning) == (
        "Lot 2 ne porte aucune considération sociale, alors que la consultation (valeur "
        "estimée : 6\u202f000\u202f000,00\u00a0€ HT) atteint le seuil européen de "
        "5\u202f404\u202f000,00\u00a0€ HT (seuils_ue.collectivite.travaux) et relève de "
        "l’article L2112-2-1 du code de la commande publique, applicable aux consultations "
        "engagées à compter du 21\u00a0août\u00a02026 : les conditions d’exécution de ses "
        "marchés doivent "
        "prendre en compte des considérations relatives au domaine social ou à l’emploi. "
        "Incluez le lot dans la clause, ou indiquez la dérogation légale qui s’applique "
        "(lots[1].exclusion.derogation ; valeurs possibles : solution_immediatement_disponible, "
        "lien_insuffisant_objet, restriction_concurrence ou difficulte_execution) avec sa "
        "justification ; clausegen tender refuse d’écrire le CCAP sans elle."
    )


def test_no_warning_when_every_lot_carries_the_clause(parameters):
    calibration = size(two_lots("2026-09-15", "6000000", exclude_second=False), parameters)
    assert calibration.avertissements == ()


@pytest.mark.parametrize(
    ("buyer", "kind", "threshold"),
    [
        ("etat", "services", "140000"),
        ("collectivite", "fournitures", "216000"),
        ("entite_adjudicatrice", "services", "432000"),
        ("entite_adjudicatrice", "travaux", "5404000"),
    ],
)
def test_threshold_depends_on_buyer_type_and_contract_kind(parameters, buyer, kind, threshold):
    operation = two_lots("2026-09-15", threshold, kind=kind, acheteur={"type": buyer})
    calibration = size(operation, parameters)
    assert calibration.obligation.threshold == D(threshold)
    assert [w.code for w in calibration.avertissements] == ["L2112-2-1"]


def test_before_the_date_the_thresholds_are_not_even_read(parameters):
    calibration = size(two_lots("2019-03-15", "9000000"), parameters)
    cited = {p.id for p in calibration.traces["obligation_l2112_2_1"].parameters}
    assert cited == {"obligation_sociale.l2112_2_1_applicable"}
