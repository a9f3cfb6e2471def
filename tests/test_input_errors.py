"""One broken input file per error message, each checked for its exact output and exit code."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run

BROKEN = Path("tests/fixtures/broken")

EXPECTED = {
    "unknown_key": "lots[1].montant_ttc: unknown key 'montant_ttc'; did you mean "
    "'montant_estime_ht'?",
    "negative_amount": "lots[0].montant_estime_ht: must be zero or more (got -1250000).",
    "invalid_siret": "acheteur.siret: '21110069800012' is not a valid SIRET: it needs 14 digits "
    "with a valid check digit (copy it from the Annuaire des entreprises or the INSEE SIRENE "
    "register).",
    "invalid_cpv": "lots[1].cpv: '4544210-8' is not a CPV code: write its 8 digits, a hyphen "
    "and its check digit, as in 45442100-8.",
    "unknown_civility": "facilitateur.civilite: 'Mme' is not a civility: write madame or "
    "monsieur (it makes the documents say « facilitatrice » or « facilitateur »), or leave "
    "the field out.",
    "unknown_article": "acheteur.article: 'de la' is not an article: write la, le, l’ (or l'), "
    'les, or "" for a name that takes none (a proper noun such as Montpellier Méditerranée '
    "Métropole).",
    "elided_article_before_consonant": "acheteur: article 'l’' does not go with « Ville de "
    "Carcassonne », which starts with a consonant: write article: la or le, or leave article "
    "out to have it inferred.",
    "article_before_vowel": "facilitateur: structure_article 'le' does not go with « Office "
    "intercommunal pour l’emploi », which starts with a vowel: write structure_article: l’, or "
    "leave structure_article out to have it inferred.",
    "rate_above_100": "clause.taux_insertion: must be a fraction between 0 and 1 and is above "
    "100 % (got 7); write 7 % as 0.07.",
    "missing_launch_date": "consultation.date_lancement: this field is required; add the "
    "consultation's launch date (date d'envoi de l'avis de publicité), written YYYY-MM-DD; "
    "the law is resolved at this date.",
    "launch_before_parameters": "Parameter 'part_main_oeuvre.gros_oeuvre' has no value on "
    "2015-06-01: its first value applies from 2016-04-01. Check the consultation's launch date "
    "(consultation.date_lancement), or add a value dated on or before 2015-06-01 to "
    "legal_fragments/parametres/part_main_oeuvre.yaml.",
    "overlapping_bands": "clause.calibrage: bands 1 (0 to 200000) and 2 (150000 to 500000) "
    "overlap; each amount must fall in exactly one band: start band 2 at 200000.01.",
    "gapped_bands": "clause.calibrage: bands 1 and 2 leave amounts from 200000.00 to 249999.99 "
    "uncovered; start band 2 at 200000.00.",
    "amount_above_last_band": "Lot 1: the amount 1250000 € HT is above the last band, which "
    "ends at 1000000; extend the table (clause.calibrage.tranches) with a band without upper "
    "bound (no 'a').",
    "buyer_not_a_block": "acheteur: must be a block of 'key: value' lines with the keys nom, "
    "siret, type (optional: article), one per line (got 'Ville de Carcassonne').",
    "duplicate_lot": "lots: lot number 1 is used twice; give each lot its own number.",
    "anru_without_flag": "lot 1 is sized with the ANRU method but consultation.anru is false; "
    "set consultation.anru: true for an ANRU-funded operation, or choose another method.",
    "unknown_trade": "Lot 2: no labour share is known for the trade 'peintre' "
    "(lots[1].metier). Use one of: batiment_moyen, charpente_metallique, collecte_dechets, "
    "electricite, espaces_verts, gros_oeuvre, maconnerie, menuiserie, nettoyage, peinture, "
    "plomberie_cvc, restauration_collective, second_oeuvre, vrd_tp; or give the lot its own "
    "part_main_oeuvre (0.45 for 45 %).",
    "unknown_method": "clause.calibrage.methode: must be one of 'part_main_oeuvre', "
    "'heures_par_montant', 'tranches', 'pact_proprete', 'anru' (got 'forfait').",
    "two_hourly_penalties": "clause.penalite: set either par_heure_manquante (euros per missing "
    "hour) or multiple_smic_par_heure (a multiple of the hourly SMIC), not both.",
    "hourly_penalty_missing": "clause.penalite: state the penalty per missing insertion hour: "
    "par_heure_manquante (euros HT), multiple_smic_par_heure (a multiple of the hourly SMIC), "
    "or par_heure_manquante: aucune when the contract provides none.",
    "late_penalty_missing": "clause.penalite: state the penalty per day late in reporting: "
    "par_jour_retard (euros HT), or par_jour_retard: aucune when the contract provides none.",
    "misspelt_no_penalty": "clause.penalite: par_jour_retard: write an amount in euros HT, or "
    "aucune when the contract provides none (got 'aucun').",
    "not_a_finite_amount": "lots[0].montant_estime_ht: must be a finite number (got NaN).",
    "invalid_yaml": "line 5, column 24: invalid YAML: mapping values are not allowed here.",
    "duplicate_key": "line 8, column 3: invalid YAML: the key 'type_marche' appears twice in "
    "the same mapping; keep one.",
    "unknown_tag": "line 8, column 21: invalid YAML: the tag '!!python/object/apply:os.system' "
    "is not read here; write the value without it, as text, a number, a date, a list or a "
    "block of keys.",
    "number_as_key": "consultation: the key 2026 is not a name; a key is a name such as nom or "
    "lots: write the name it stands for.",
    "trade_not_a_code": "lots[0].metier: 'Gros-Oeuvre' is not a code: write lower-case "
    "letters without accents, digits and _ (such as gros_oeuvre).",
    "email_not_an_address": "facilitateur.email: 'c.roussel at mde.example.fr' is not an "
    "e-mail address: write it as name@domain.fr.",
    "empty_file": "the file is empty (or holds only comments); write its keys and values, as "
    "the samples under samples/ do.",
    "criterion_without_weight": "clause: dispositif critere_attribution needs clause.critere; "
    "add for instance critere: {ponderation: 0.10}.",
    "reservation_with_execution_condition": "clause: clause.reservation goes with dispositif "
    "marche_reserve, but the dispositif is condition_execution; remove clause.reservation or "
    "change the dispositif.",
}


def test_every_broken_file_has_an_expected_message():
    assert sorted(p.stem for p in BROKEN.glob("*.yaml")) == sorted([*EXPECTED, "several_problems"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_gives_its_exact_error(name):
    path = BROKEN / f"{name}.yaml"
    result = run("calibrate", str(path))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: {path}: {EXPECTED[name]}\n"


def test_all_problems_of_a_file_are_reported_at_once():
    path = BROKEN / "several_problems.yaml"
    result = run("calibrate", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {path}: lots[1].cpv: '4544' is not a CPV code: write its 8 digits, a hyphen "
        "and its check digit, as in 45442100-8.\n"
        f"Error: {path}: lots[1].montant_estime_ht: must be zero or more (got -5).\n"
    )


def test_a_missing_file_and_a_wrong_suffix(tmp_path):
    missing = tmp_path / "absent.yaml"
    assert run("calibrate", str(missing)).stderr == (
        f"Error: {missing}: file not found; check the path.\n"
    )
    text = tmp_path / "operation.txt"
    text.write_text("x", encoding="utf-8")
    assert run("calibrate", str(text)).stderr == (
        f"Error: {text}: unsupported file type; give a .yaml, .yml or .json file.\n"
    )


def test_a_folder_instead_of_a_file(tmp_path):
    assert run("calibrate", str(tmp_path)).stderr == (
        f"Error: {tmp_path}: unsupported file type; give a .yaml, .yml or .json file.\n"
    )
    folder = tmp_path / "operation.yaml"
    folder.mkdir()
    assert run("calibrate", str(folder)).stderr == (
        f"Error: {folder}: is a folder, not a file; give the path of a file.\n"
    )


def test_json_input_reports_like_yaml(tmp_path):
    path = tmp_path / "operation.json"
    path.write_text('{"acheteur": ', encoding="utf-8")
    result = run("calibrate", str(path))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {path}: line 1, column 14: invalid JSON: Expecting value.\n")


def test_a_list_as_a_key_is_located(tmp_path):
    path = tmp_path / "operation.yaml"
    path.write_text("acheteur:\n  ? [nom]\n  : Ville\n", encoding="utf-8")
    result = run("calibrate", str(path))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {path}: line 2, column 5: invalid YAML: found a list or a mapping as a key; "
        "a key is a name.\n"
    )
