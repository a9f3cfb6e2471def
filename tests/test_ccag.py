"""Issue 13: the CCAP cites the CCAG's insertion article by its number where it is verified
(CCAG-TIC 2021, article 16.1) and marks the other CCAGs' wording as not verified."""

from __future__ import annotations

from datetime import date

import pytest

from clausegen.documents.common_contexts import CCAGS
from clausegen.documents.fragments import load_fragments
from clausegen.documents.tender import compose_tender
from clausegen.errors import FragmentNotInForceError
from clausegen.inputs.operation import Ccag
from clausegen.law.dated import Reliability
from clausegen.law.parameters import load_parameters
from tests.helpers import make_operation, size

NBH = "\u2011"
NBSP = "\u00a0"
CCAGS_2021 = [c for c in Ccag if c is not Ccag.AUCUN]


def _basis(ccag: str, launched: str = "2026-09-15"):
    """The CCAP's first section text and the articulation fragment it used."""
    operation = make_operation(consultation={"ccag": ccag, "date_lancement": launched})
    parameters = load_parameters()
    ccap, _ = compose_tender(operation, size(operation, parameters), load_fragments(), parameters)
    text = "\n".join(b.texte for b in ccap.context.sections[0].blocs)
    (articulation,) = [f for f in ccap.fragments if f.id.startswith("ccap.articulation_ccag.")]
    return text, articulation


def test_the_ccag_tic_is_cited_by_its_verified_article_number():
    text, articulation = _basis("tic")
    cited = f"renvoie l’article{NBSP}16.1 du CCAG{NBH}TIC approuvé par arrêté du 30{NBSP}mars"
    assert cited in text
    assert articulation.citation == "ccap.articulation_ccag.tic@2021-04-01"
    assert articulation.version.reliability is Reliability.VERIFIE


@pytest.mark.parametrize("ccag", [c for c in CCAGS_2021 if c is not Ccag.TIC])
def test_other_ccags_cite_the_clause_by_subject_and_stay_to_verify(ccag):
    text, articulation = _basis(ccag.value)
    name = CCAGS[ccag]
    assert f"les stipulations du {name} approuvé par arrêté du 30{NBSP}mars{NBSP}2021" in text
    assert "16.1" not in text
    assert articulation.id == f"ccap.articulation_ccag.{ccag.value}"
    assert articulation.version.reliability is Reliability.A_VERIFIER


def test_a_contract_without_ccag_says_the_article_sets_every_rule():
    text, articulation = _basis("aucun")
    assert "ne se référant à aucun cahier des clauses administratives générales" in text
    assert articulation.version.reliability is Reliability.VERIFIE


def test_a_2009_ccag_has_no_insertion_clause():
    text, articulation = _basis("tic", launched="2020-06-01")
    assert f"Le CCAG{NBH}TIC auquel se réfère le marché ne comportant pas de stipulation" in text
    assert articulation.version.effective_from == date(2016, 4, 1)


def test_the_ccag_moe_did_not_exist_before_2021():
    with pytest.raises(FragmentNotInForceError) as caught:
        _basis("moe", launched="2020-06-01")
    assert caught.value.first_version == date(2021, 4, 1)
