"""Issue 13: every variant states both sanctions or neither, and the documents of one
consultation state the shared rules (clause.* fragments) word for word alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from clausegen.documents.commitment import compose_commitment
from clausegen.documents.fragments import load_fragments
from clausegen.documents.tender import compose_tender
from clausegen.inputs.loading import load_operation
from clausegen.law.parameters import load_parameters
from tests.helpers import OPERATION, make_operation, size

GOLDEN = Path(__file__).parent / "golden"

VARIANTS = {
    "condition_execution": {},
    "critere_attribution": {"dispositif": "critere_attribution", "critere": {"ponderation": "0.1"}},
    "reserve_ea_esat": {
        "dispositif": "marche_reserve",
        "reservation": {"beneficiaires": "ea_esat"},
    },
    "reserve_siae": {"dispositif": "marche_reserve", "reservation": {"beneficiaires": "siae"}},
    "reserve_conjointe": {
        "dispositif": "marche_reserve",
        "reservation": {"beneficiaires": "ea_esat_siae"},
    },
    "anru": {"calibrage": {"methode": "anru"}},
    "pact": {"calibrage": {"methode": "pact_proprete"}},
}
PENALTIES = {
    "both": {"par_heure_manquante": "60", "par_jour_retard": "100", "plafond_part_montant": "0.1"},
    "hourly_only": {"par_heure_manquante": "60", "par_jour_retard": "aucune"},
    "late_only": {"par_heure_manquante": "aucune", "par_jour_retard": "100"},
    "none": {"par_heure_manquante": "aucune", "par_jour_retard": "aucune"},
}
HOURLY = ("par heure d’insertion non réalisée", "heures non réalisées")
LATE = ("par jour calendaire de retard",)


def _ccap_blocks(variant: str, penalties: str) -> list:
    clause = {**VARIANTS[variant], "penalite": PENALTIES[penalties]}
    consultation = {"anru": True} if variant == "anru" else {}
    extra = (
        {"metier": "nettoyage", "reprise_personnel": {"heures_mensuelles": "0"}}
        if variant == "pact"
        else {}
    )
    if variant == "pact":
        consultation["type_marche"] = "services"
        clause["calibrage"] = {"methode": "pact_proprete"}
    operation = make_operation(clause=clause, consultation=consultation, **extra)
    parameters = load_parameters()
    ccap, _ = compose_tender(operation, size(operation, parameters), load_fragments(), parameters)
    return [(section.titre, b) for section in ccap.context.sections for b in section.blocs]


@pytest.mark.parametrize("penalties", sorted(PENALTIES))
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_each_variant_states_the_sanctions_it_has_and_no_other(variant, penalties):
    blocks = _ccap_blocks(variant, penalties)
    text = "\n".join(b.texte for _, b in blocks)
    hourly = "par_heure_manquante" in PENALTIES[penalties] and (
        PENALTIES[penalties]["par_heure_manquante"] != "aucune"
    )
    late = PENALTIES[penalties]["par_jour_retard"] != "aucune"
    for phrase in HOURLY:
        assert (phrase in text) == hourly, (phrase, text)
    for phrase in LATE:
        assert (phrase in text) == late, (phrase, text)
    if not hourly and not late:
        assert "ne prévoit pas de pénalité propre à la clause d’insertion" in text
    for (_, block), (_, following) in zip(blocks, [*blocks[1:], (None, None)], strict=True):
        ends_list = block.liste and (following is None or not following.liste)
        assert not (ends_list and block.texte.endswith(";")), block.texte


def test_the_shared_sentences_are_identical_in_the_ccap_the_rc_the_form_and_the_statement():
    parameters = load_parameters()
    registry = load_fragments()
    operation = load_operation(OPERATION)
    calibration = size(operation, parameters)
    ccap, rc = compose_tender(operation, calibration, registry, parameters)
    form = compose_commitment(operation, calibration, 1, None, registry, parameters)

    def texts(composed) -> set[str]:
        blocks = [b for s in getattr(composed.context, "sections", []) for b in s.blocs]
        for field in ("preambule", "engagements"):
            blocks += getattr(composed.context, field, [])
        return {b.texte for b in blocks}

    shared = {
        fragment_id: [b.texte for b in _blocks(registry, fragment_id, ccap)]
        for fragment_id in (
            "clause.penalites",
            "clause.plafond",
            "clause.exoneration",
            "clause.fiche_engagement",
        )
    }
    assert all(shared.values())
    ccap_texts, rc_texts, form_texts = texts(ccap), texts(rc), texts(form)
    for fragment_id, sentences in shared.items():
        assert set(sentences) <= ccap_texts, fragment_id
        if fragment_id != "clause.fiche_engagement":
            assert set(sentences) <= form_texts, fragment_id
    assert set(shared["clause.fiche_engagement"]) <= rc_texts
    # The form states the same rule of its own lot (« la présente fiche »), from the same
    # fragment: what the holder indicates on it is word for word the CCAP's.
    own = [b.texte for b in _blocks(registry, "clause.fiche_engagement", form)]
    assert set(own) <= form_texts and not set(own) & ccap_texts
    for ccap_sentence, form_sentence in zip(shared["clause.fiche_engagement"], own, strict=True):
        assert ccap_sentence.split(": ", 1)[1] == form_sentence.split(": ", 1)[1]
    statement = (GOLDEN / "execution" / "conformite-82345678500026.txt").read_text("utf-8")
    for fragment_id in ("clause.penalites", "clause.exoneration", "clause.plafond"):
        for sentence in shared[fragment_id]:
            assert f"] {sentence}\n" in statement, fragment_id


def _blocks(registry, fragment_id, composed):
    from clausegen.documents.fragments import fragment_blocks

    fragment = registry.resolve(fragment_id, composed.at)
    return fragment_blocks(fragment, composed.context)
