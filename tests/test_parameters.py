"""Dated parameters: resolution at a date, and the errors of bad data or dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from clausegen.errors import (
    InputError,
    ParameterDataError,
    ParameterNotInForceError,
    UnknownParameterError,
)
from clausegen.law.parameters import Reliability, load_parameter_file, load_parameters
from tests.helpers import D


@pytest.mark.parametrize(
    ("day", "value", "since"),
    [
        (date(2023, 4, 30), "11.27", date(2023, 1, 1)),
        (date(2023, 5, 1), "11.52", date(2023, 5, 1)),
        (date(2025, 12, 31), "11.88", date(2024, 11, 1)),
        (date(2026, 1, 1), "12.02", date(2026, 1, 1)),
    ],
)
def test_smic_is_the_newest_value_in_force(parameters, day, value, since):
    resolved = parameters.resolve("smic.horaire_brut", day)
    assert (resolved.value, resolved.effective_from) == (D(value), since)
    assert resolved.reliability is Reliability.VERIFIE


@pytest.mark.parametrize(
    ("day", "works", "services"),
    [
        (date(2023, 6, 1), "5382000", "215000"),
        (date(2025, 6, 1), "5538000", "221000"),
        (date(2027, 6, 1), "5404000", "216000"),
    ],
)
def test_eu_thresholds_by_period(parameters, day, works, services):
    assert parameters.resolve("seuils_ue.collectivite.travaux", day).value == D(works)
    assert parameters.resolve("seuils_ue.collectivite.fournitures_services", day).value == D(
        services
    )


def test_l2112_2_1_switch_date(parameters):
    key = "obligation_sociale.l2112_2_1_applicable"
    assert parameters.resolve(key, date(2026, 8, 20)).value is False
    assert parameters.resolve(key, date(2026, 8, 21)).value is True


def test_every_trade_the_issue_names_has_a_labour_share(parameters):
    trades = set(parameters.ids_under("part_main_oeuvre"))
    assert {
        "gros_oeuvre",
        "maconnerie",
        "second_oeuvre",
        "vrd_tp",
        "peinture",
        "charpente_metallique",
        "menuiserie",
        "plomberie_cvc",
        "electricite",
        "espaces_verts",
        "nettoyage",
        "restauration_collective",
        "collecte_dechets",
    } <= trades


def test_every_value_cites_a_reference(parameters):
    for parameter in parameters:
        for value in parameter.values:
            assert value.reference.strip(), parameter.id


def test_a_date_before_the_first_value_is_a_clear_error(parameters):
    with pytest.raises(ParameterNotInForceError) as caught:
        parameters.resolve("smic.horaire_brut", date(2022, 12, 31))
    error = caught.value
    assert (error.parameter_id, error.first_effective) == ("smic.horaire_brut", date(2023, 1, 1))
    assert str(error).startswith(
        "Parameter 'smic.horaire_brut' has no value on 2022-12-31: its first value applies "
        "from 2023-01-01."
    )


def test_an_unknown_id_suggests_close_ones(parameters):
    with pytest.raises(UnknownParameterError) as caught:
        parameters.get("smic.horaire_brute")
    assert str(caught.value) == (
        "No parameter 'smic.horaire_brute' exists under legal_fragments/parametres. "
        "Did you mean: smic.horaire_brut?"
    )


VALID_VALUE = "{depuis: 2024-01-01, valeur: 1, reference: r, statut: verifie}"


def parameter_file(tmp_path: Path, *values: str, name: str = "p.yaml") -> Path:
    """A file defining the parameter 'a.b' with the given value entries (YAML flow maps)."""
    lines = ["a.b:", "  description: x", "  valeurs:", *(f"    - {v}" for v in values)]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_two_values_on_one_date_are_rejected(tmp_path):
    path = parameter_file(
        tmp_path, VALID_VALUE, "{depuis: 2024-01-01, valeur: 2, reference: r, statut: verifie}"
    )
    with pytest.raises(ParameterDataError) as caught:
        load_parameter_file(path)
    assert str(caught.value) == (
        f"{path}: parameter 'a.b' has two values dated 2024-01-01; keep one value per "
        "effective date."
    )


def test_a_malformed_value_names_the_parameter_and_field(tmp_path):
    path = parameter_file(tmp_path, "{depuis: 2024-01-01, valeur: 1, statut: sur}")
    with pytest.raises(InputError) as caught:
        load_parameter_file(path)
    assert caught.value.messages() == [
        f"{path}: a.b.valeurs[0].reference: this field is required; add it.",
        f"{path}: a.b.valeurs[0].statut: must be one of 'verifie', 'a_verifier' or "
        "'indicatif' (got 'sur').",
    ]


def test_integers_stay_numbers_not_booleans(tmp_path):
    path = parameter_file(tmp_path, VALID_VALUE)
    assert load_parameter_file(path)[0].values[0].value == D("1")


def test_a_parameter_defined_twice_is_rejected(tmp_path):
    for name in ("one.yaml", "two.yaml"):
        parameter_file(tmp_path, VALID_VALUE, name=name)
    with pytest.raises(ParameterDataError) as caught:
        load_parameters(tmp_path)
    assert "parameter 'a.b' is already defined in" in str(caught.value)


def test_a_value_with_an_end_is_not_in_force_after_it(tmp_path):
    path = parameter_file(
        tmp_path,
        "{depuis: 2024-01-01, jusqu_au: 2024-12-31, valeur: 1, reference: r, statut: verifie}",
    )
    (parameter,) = load_parameter_file(path)
    assert parameter.at(date(2024, 12, 31)).value == D("1")
    with pytest.raises(ParameterNotInForceError) as caught:
        parameter.at(date(2025, 1, 1))
    assert str(caught.value) == (
        "Parameter 'a.b' has no value on 2025-01-01: its last value ended on 2024-12-31. "
        "Check the consultation's launch date (consultation.date_lancement), or add a value "
        f"dated on or before 2025-01-01 to {path}."
    )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            [
                "{depuis: 2024-01-01, jusqu_au: 2023-12-31, valeur: 1, reference: r, "
                "statut: verifie}"
            ],
            "parameter 'a.b': the value dated 2024-01-01 ends (jusqu_au) before it starts; a "
            "value must end on or after its first day.",
        ),
        (
            [
                "{depuis: 2024-01-01, jusqu_au: 2025-06-30, valeur: 1, reference: r, "
                "statut: verifie}",
                "{depuis: 2025-01-01, valeur: 2, reference: r, statut: verifie}",
            ],
            "parameter 'a.b': the value dated 2024-01-01 ends (jusqu_au) on or after "
            "2025-01-01, when the next value applies; end it the day before.",
        ),
    ],
    ids=["ends_before_start", "overlaps_next"],
)
def test_conflicting_end_dates_are_rejected(tmp_path, values, message):
    path = parameter_file(tmp_path, *values)
    with pytest.raises(ParameterDataError) as caught:
        load_parameter_file(path)
    assert str(caught.value) == f"{path}: {message}"
