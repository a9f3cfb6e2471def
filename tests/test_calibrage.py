"""The sizing methods, exclusions, rounding, ETP and share of hours worked."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from clausegen.calibration.calibrate import calibrate
from clausegen.calibration.trace import Origin
from clausegen.cli.views.calibration_csv import calibration_csv
from clausegen.cli.views.calibration_json import calibration_json
from clausegen.cli.views.calibration_table import calibration_table
from clausegen.cli.views.explanation import explanation
from clausegen.errors import CalibrationError
from clausegen.inputs.loading import load_operation
from clausegen.inputs.operation import MotifExclusion
from tests.helpers import D, make_operation, run, size


def test_worked_example_mef_sud_77_gives_833_hours_with_each_step(parameters):
    """1 000 000 € × 50 % × 5 % ÷ 30 €/h = 833 h (domain.md §1.1)."""
    operation = make_operation(
        clause={"taux_insertion": "0.05", "cout_horaire": "30"}, metier="maconnerie"
    )
    lot = size(operation, parameters).lots[0]
    assert lot.heures == D("833")
    steps = lot.traces["heures"].steps
    assert [(s.label, s.result) for s in steps[:2]] == [
        ("coût de la main-d’œuvre", D("500000.00")),
        ("coût de la main-d’œuvre réservé à l’insertion", D("25000.0000")),
    ]
    assert steps[2].result.quantize(D("0.0001")) == D("833.3333")
    assert steps[3].result == D("833")
    share = steps[0].operands[1]
    assert (share.origin, share.ref, share.value) == (
        Origin.PARAMETRE,
        "part_main_oeuvre.maconnerie",
        D("0.50"),
    )
    assert [p.id for p in lot.traces["heures"].parameters] == ["part_main_oeuvre.maconnerie"]


def test_defaults_come_from_dated_parameters_and_are_cited(parameters):
    lot = size(make_operation(), parameters).lots[0]
    cited = {p.id for p in lot.traces["heures"].parameters}
    assert cited == {
        "part_main_oeuvre.maconnerie",
        "calibrage.taux_insertion_defaut",
        "calibrage.cout_horaire_defaut",
    }
    assert lot.heures == D("833")  # 1 000 000 × 50 % × 5 % ÷ 30


def test_lot_values_override_the_clause(parameters):
    operation = make_operation(
        clause={"taux_insertion": "0.05", "cout_horaire": "30"},
        taux_insertion="0.10",
        cout_horaire="25",
        part_main_oeuvre="0.60",
    )
    lot = size(operation, parameters).lots[0]
    assert lot.heures == D("2400")  # 1 000 000 × 60 % × 10 % ÷ 25
    assert lot.traces["heures"].parameters == ()


@pytest.mark.parametrize(
    ("amount", "assiette", "expected"),
    [
        ("499999.99", "totalite", "0"),  # below the trigger: nothing
        ("500000", "totalite", "250"),  # at the trigger, the whole amount counts
        ("800000", "totalite", "400"),
        ("800000", "excedent", "150"),  # only the 300 000 € above the trigger
    ],
)
def test_hours_per_amount_with_a_trigger_in_both_readings(parameters, amount, assiette, expected):
    method = {
        "methode": "heures_par_montant",
        "euros_par_heure": "2000",
        "seuil_declenchement": "500000",
        "assiette": assiette,
    }
    lot = size(
        make_operation(clause={"calibrage": method}, montant_estime_ht=amount), parameters
    ).lots[0]
    assert lot.heures == D(expected)


def test_hours_per_amount_without_trigger_is_one_hour_per_n_euros(parameters):
    method = {"methode": "heures_par_montant", "euros_par_heure": "2000"}
    lot = size(
        make_operation(clause={"calibrage": method}, montant_estime_ht="575000"), parameters
    ).lots[0]
    assert lot.heures == D("288")  # 287,5 rounded half up


BANDS = {
    "methode": "tranches",
    "tranches": [
        {"de": "0", "a": "199999.99", "heures": "0"},
        {"de": "200000", "a": "499999.99", "heures": "350"},
        {"de": "500000", "heures": "700"},
    ],
}


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("0", "0"), ("199999.99", "0"), ("200000", "350"), ("499999.99", "350"), ("9000000", "700")],
)
def test_amount_bands_are_closed_ranges(parameters, amount, expected):
    lot = size(
        make_operation(clause={"calibrage": BANDS}, montant_estime_ht=amount), parameters
    ).lots[0]
    assert lot.heures == D(expected)


def test_amount_above_a_closed_last_band_is_an_error(parameters):
    bands = {"methode": "tranches", "tranches": [{"de": "0", "a": "100000", "heures": "50"}]}
    operation = make_operation(clause={"calibrage": bands}, montant_estime_ht="150000")
    with pytest.raises(CalibrationError) as caught:
        size(operation, parameters)
    assert str(caught.value) == (
        "Lot 1: the amount 150000 € HT is above the last band, which ends at 100000; extend "
        "the table (clause.calibrage.tranches) with a band without upper bound (no 'a')."
    )


def pact_operation(amount: str, staff: str, months: int = 48):
    return make_operation(
        clause={"calibrage": {"methode": "pact_proprete"}, "taux_insertion": "0.05"},
        consultation={"duree_mois": months, "type_marche": "services", "ccag": "fcs"},
        metier="nettoyage",
        montant_estime_ht=amount,
        reprise_personnel={"heures_mensuelles": staff},
    )


def test_pact_weights_the_hours_by_the_staff_taken_over(parameters):
    """P = 1 − (600 × 25) ÷ (1 440 000 ÷ 48) = 0,5; I = 0,5 × 1 440 000 ÷ 25 × 5 % = 1 440."""
    lot = size(pact_operation("1440000", "600"), parameters).lots[0]
    steps = {s.label: s.result for s in lot.traces["heures"].steps}
    assert steps["pondération de la reprise du personnel (P)"] == D("0.5")
    assert lot.heures == D("1440")
    assert lot.part_heures_travaillees == D("0.0250")  # 1 440 ÷ (1 440 000 ÷ 25)


def test_pact_advises_no_clause_below_150_hours(parameters):
    lot = size(pact_operation("60000", "0"), parameters).lots[0]  # 60 000 ÷ 25 × 5 % = 120 h
    assert (lot.heures, lot.exclusion) == (D("0"), MotifExclusion.PACT_SOUS_MINIMUM)
    assert lot.traces["heures"].steps[-2].result == D("120")
    assert "proprete.pact.heures_minimum" in {p.id for p in lot.traces["heures"].parameters}


def test_pact_at_exactly_150_hours_keeps_the_clause(parameters):
    lot = size(pact_operation("75000", "0"), parameters).lots[0]  # 75 000 ÷ 25 × 5 % = 150
    assert (lot.heures, lot.exclusion) == (D("150"), None)


def test_pact_staff_take_over_above_the_contract_potential(parameters):
    lot = size(pact_operation("1440000", "1200"), parameters).lots[0]  # P = 0
    assert (lot.heures, lot.exclusion) == (D("0"), MotifExclusion.REPRISE_EXCEDENTAIRE)


def anru_operation(volet: str = "travaux", **lot):
    return make_operation(
        consultation={"anru": True},
        clause={"calibrage": {"methode": "anru", "volet": volet}, "cout_horaire": "30"},
        **lot,
    )


@pytest.mark.parametrize(
    ("volet", "expected"), [("travaux", "833"), ("gestion_urbaine_proximite", "1667")]
)
def test_anru_takes_the_charter_share_of_hours_worked(parameters, volet, expected):
    lot = size(anru_operation(volet), parameters).lots[0]
    assert lot.heures == D(expected)  # 16 666,67 h worked × 5 % or 10 %
    assert f"anru.taux.{volet}" in {p.id for p in lot.traces["heures"].parameters}


def test_anru_keeps_a_higher_rate_and_raises_a_lower_one_to_the_floor(parameters):
    higher = size(anru_operation(taux_insertion="0.08"), parameters)
    assert higher.lots[0].heures == D("1333")
    assert higher.avertissements == ()
    lower = size(anru_operation(taux_insertion="0.03"), parameters)
    assert lower.lots[0].heures == D("833")
    assert [w.code for w in lower.avertissements] == ["taux_anru"]


def test_buyer_exclusion_gives_zero_hours_with_its_justification(parameters):
    operation = make_operation(exclusion={"justification": "Fourniture d'un équipement"})
    lot = size(operation, parameters).lots[0]
    assert (lot.heures, lot.etp, lot.retenu) == (D("0"), D("0.00"), False)
    assert lot.exclusion_detail == "Fourniture d’un équipement"  # apostrophe made typographic
    assert lot.part_heures_travaillees is None


def test_buyer_minimum_amount_and_minimum_hours(parameters):
    by_amount = make_operation(clause={"seuils": {"montant_minimum_ht": "1000000.01"}})
    assert size(by_amount, parameters).lots[0].exclusion is MotifExclusion.MONTANT_INSUFFISANT
    by_hours = make_operation(clause={"seuils": {"heures_minimum": "834"}})
    assert size(by_hours, parameters).lots[0].exclusion is MotifExclusion.HEURES_INSUFFISANTES
    at_hours = make_operation(clause={"seuils": {"heures_minimum": "833"}})
    assert size(at_hours, parameters).lots[0].heures == D("833")


@pytest.mark.parametrize(
    ("rule", "amount", "expected"),
    [
        ("au_plus_proche", "1000200", "834"),  # 833,5 → 834 (half up)
        ("au_plus_proche", "1000000", "833"),
        ("au_superieur", "1000000", "834"),
        ("a_l_inferieur", "1000399", "833"),
    ],
)
def test_rounding_rules(parameters, rule, amount, expected):
    operation = make_operation(clause={"arrondi": rule}, montant_estime_ht=amount)
    assert size(operation, parameters).lots[0].heures == D(expected)


def test_etp_and_share_of_hours_worked(parameters):
    lot = size(make_operation(), parameters).lots[0]
    assert lot.etp == D("0.52")  # 833 ÷ 1 607
    assert lot.part_heures_travaillees == D("0.0500")  # 833 ÷ 16 666,67
    other = size(make_operation(clause={"diviseur_etp": "temps_plein_35h"}), parameters)
    assert other.lots[0].etp == D("0.46")  # 833 ÷ 1 820


@pytest.mark.parametrize(
    "method",
    [{"methode": "heures_par_montant", "euros_par_heure": "2000"}, BANDS],
    ids=["heures_par_montant", "tranches"],
)
def test_methods_without_labour_share_size_a_trade_absent_from_the_table(parameters, method):
    """Neither method uses a labour share: the lot is sized, the share of hours worked is
    not applicable (no trace, None), and every view says so."""
    operation = make_operation(
        clause={"calibrage": method}, metier="ascenseur", montant_estime_ht="600000"
    )
    calibration = size(operation, parameters)
    lot = calibration.lots[0]
    assert lot.retenu and lot.heures == D("300" if method is not BANDS else "700")
    assert (lot.labour_share, lot.part_heures_travaillees) == (None, None)
    assert set(lot.traces) == {"heures", "etp"}
    document = json.loads(calibration_json(operation, calibration))["lots"][0]
    assert (document["part_main_oeuvre"], document["part_heures_travaillees"]) == (None, None)
    assert "part" not in document["traces"]
    row = calibration_csv(calibration).splitlines()[1].split(",")
    assert (row[5], row[10]) == ("", "")
    table = calibration_table(operation, calibration)
    assert "– : sans objet" in table
    assert (
        "Part des heures travaillées : sans objet (aucune part de main-d’œuvre connue pour "
        "le métier « ascenseur »" in explanation(operation, calibration)
    )


def test_a_known_trade_keeps_its_share_of_hours_worked_with_hours_per_amount(parameters):
    method = {"methode": "heures_par_montant", "euros_par_heure": "2000"}
    lot = size(make_operation(clause={"calibrage": method}), parameters).lots[0]
    assert lot.part_heures_travaillees is not None and "part" in lot.traces


def test_unknown_trade_names_the_field_and_the_known_trades(parameters):
    with pytest.raises(CalibrationError) as caught:
        size(make_operation(metier="plomberie"), parameters)
    message = str(caught.value)
    assert message.startswith(
        "Lot 1: no labour share is known for the trade 'plomberie' (lots[0].metier). Use one of:"
    )
    assert "plomberie_cvc" in message


def test_the_cli_reports_the_core_error_itself_naming_the_file(tmp_path, parameters):
    """The Python API and the CLI report one error type; the CLI only adds the file's name."""
    operation = tmp_path / "operation.yaml"
    text = Path("samples/groupe-scolaire-jaures/operation.yaml").read_text(encoding="utf-8")
    operation.write_text(text.replace("metier: gros_oeuvre", "metier: inconnu", 1))
    with pytest.raises(CalibrationError) as caught:
        calibrate(load_operation(operation), parameters, date(2026, 9, 15))
    result = run("calibrate", operation)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: {operation}: {caught.value}\n"
    assert str(caught.value).startswith("Lot 1: no labour share is known for the trade 'inconnu'")
