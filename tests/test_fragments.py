"""The fragment registry: loading, checks at load, resolution at a date, rendering."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from clausegen.calibration.obligation import APPLICABLE_PARAMETER
from clausegen.documents.fragments import load_fragments, paragraphs
from clausegen.documents.tender import compose_tender
from clausegen.errors import FragmentDataError, FragmentNotInForceError, UnknownFragmentError
from clausegen.inputs.loading import load_operation
from clausegen.inputs.operation import Dispositif, Operation
from tests.helpers import SAMPLES, run, size

BROKEN = Path("tests/fixtures/broken_fragments")
SHOWN = "legal_fragments/fragments"

EXPECTED = {
    "duplicate_date": [
        f"{SHOWN}/duplicate_date.yaml: y.cas@2019-04-01: two versions have this date; keep one "
        "version per effective date."
    ],
    "empty_text": [
        f"{SHOWN}/empty_text.yaml: y.cas@2019-04-01: the text is empty; write the fragment's "
        "text under texte."
    ],
    "unknown_variable": [
        f"{SHOWN}/unknown_variable.yaml: y.cas@2019-04-01: line 1: 'acheteur.nomm' is not in "
        "the context; did you mean acheteur.nom or acheteur.a_nom?",
        f"{SHOWN}/unknown_variable.yaml: y.cas@2019-04-01: line 3: 'lot.intitul' is not in "
        "the context; did you mean lot.intitule?",
    ],
    "syntax_error": [
        f"{SHOWN}/syntax_error.yaml: y.cas@2019-04-01: line 2: Jinja syntax error: Unexpected "
        "end of template. Jinja was looking for the following tags: 'elif' or 'else' or "
        "'endif'. The innermost block that needs to be closed is 'if'."
    ],
    "unknown_filter": [
        f"{SHOWN}/unknown_filter.yaml: y.cas@2019-04-01: line 1: Jinja has no filter "
        "'majuscules'; use one of Jinja's built-in filters.",
        f"{SHOWN}/unknown_filter.yaml: y.cas@2019-04-01: line 2: Jinja has no test 'nombre'; "
        "did you mean number or none?",
    ],
    "duplicate_id": [
        f"{SHOWN}/valid.yaml: x.texte: already defined in {SHOWN}/duplicate_id.yaml; keep one "
        "definition."
    ],
    "unknown_context": [
        f"{SHOWN}/unknown_context.yaml: y.cas.contexte: unknown context 'marche'; contexte is "
        "one of: appel_offres, bilan, conformite, constat, engagement, termes."
    ],
    "ends_before_start": [
        f"{SHOWN}/ends_before_start.yaml: y.cas@2019-04-01: jusqu_au is before depuis; a "
        "version must end on or after its first day."
    ],
    "overlapping_end": [
        f"{SHOWN}/overlapping_end.yaml: y.cas@2016-04-01: jusqu_au overlaps the next version, "
        "which applies from 2019-04-01."
    ],
    "unknown_key": [
        f"{SHOWN}/unknown_key.yaml: y.cas.versions[0].source: this field is required; add it.",
        f"{SHOWN}/unknown_key.yaml: y.cas.versions[0].sources: unknown key 'sources'; remove it.",
    ],
    "unknown_plan_fragment": [
        "legal_fragments/documents.yaml: ccap.sections[0]: no fragment "
        "'x.fondement.condition_execution' exists.",
        "legal_fragments/documents.yaml: ccap.sections[0]: no fragment "
        "'x.fondement.critere_attribution' exists.",
        "legal_fragments/documents.yaml: ccap.sections[0]: no fragment "
        "'x.fondement.marche_reserve' exists.",
        "legal_fragments/documents.yaml: rc.sections[0]: no fragment 'x.textes' exists; did you "
        "mean x.texte?",
    ],
}


def _legal_folder(tmp_path: Path, case: str) -> Path:
    folder = tmp_path / "legal_fragments"
    (folder / "fragments").mkdir(parents=True)
    shutil.copy(BROKEN / "valid.yaml", folder / "fragments" / "valid.yaml")
    documents = BROKEN / "cases" / f"{case}.documents.yaml"
    if documents.exists():
        shutil.copy(documents, folder / "documents.yaml")
    else:
        shutil.copy(BROKEN / "documents.yaml", folder / "documents.yaml")
        shutil.copy(BROKEN / "cases" / f"{case}.yaml", folder / "fragments" / f"{case}.yaml")
    return folder


def test_every_broken_fragment_case_has_an_expected_message():
    cases = {
        p.name.removesuffix(".documents.yaml").removesuffix(".yaml")
        for p in (BROKEN / "cases").iterdir()
    }
    assert cases == set(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_broken_fragments_give_their_exact_errors(case, tmp_path):
    with pytest.raises(FragmentDataError) as raised:
        load_fragments(_legal_folder(tmp_path, case))
    assert raised.value.messages() == EXPECTED[case]


def test_the_minimal_valid_folder_loads(tmp_path):
    folder = tmp_path / "legal_fragments"
    (folder / "fragments").mkdir(parents=True)
    shutil.copy(BROKEN / "valid.yaml", folder / "fragments" / "valid.yaml")
    shutil.copy(BROKEN / "documents.yaml", folder / "documents.yaml")
    assert [f.id for f in load_fragments(folder)] == ["x.texte"]


def test_loading_compiles_no_fragment_and_rendering_compiles_only_those_it_uses():
    """Compiling every version at load cost a document command a third of its start-up."""
    registry = load_fragments()
    versions = [v for fragment in registry for v in fragment.versions]
    assert not any("template" in vars(v) for v in versions)
    resolved = registry.resolve("ccap.lots", date(2026, 9, 15))
    resolved.version.template  # noqa: B018 (compiled on first use)
    assert [v for v in versions if "template" in vars(v)] == [resolved.version]


def test_resolution_takes_the_newest_version_in_force():
    registry = load_fragments()
    fragment_id = "ccap.fondement.condition_execution"
    assert registry.resolve(fragment_id, date(2019, 3, 31)).citation.endswith("@2016-04-01")
    assert registry.resolve(fragment_id, date(2019, 4, 1)).citation.endswith("@2019-04-01")
    assert registry.resolve(fragment_id, date(2026, 8, 20)).citation.endswith("@2019-04-01")
    assert registry.resolve(fragment_id, date(2026, 8, 21)).citation.endswith("@2026-08-21")


def test_before_the_first_version_the_error_names_fragment_date_and_first_version():
    with pytest.raises(FragmentNotInForceError) as raised:
        load_fragments().resolve("ccap.lots", date(2015, 6, 1))
    assert str(raised.value) == (
        "Fragment 'ccap.lots' has no version in force on 2015-06-01: its first version applies "
        "from 2016-04-01. Check the consultation's launch date (consultation.date_lancement), "
        "or add a version in force on 2015-06-01 to legal_fragments/fragments/ccap.yaml."
    )


def test_an_unknown_id_suggests_close_ones():
    with pytest.raises(UnknownFragmentError) as raised:
        load_fragments().get("clause.penalite")
    assert str(raised.value) == (
        "No fragment 'clause.penalite' exists under legal_fragments/fragments. "
        "Did you mean: clause.penalites?"
    )


def test_an_unknown_id_with_no_close_one_says_where_the_ids_are_listed():
    result = run("fragments", "show", "no.such.fragment")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: No fragment 'no.such.fragment' exists under legal_fragments/fragments. "
        "clausegen fragments list (GET /fragments) lists them all.\n"
    )


def test_the_l2112_2_1_versions_start_on_the_parameters_date(parameters):
    """The fragments and the dated switch must move together."""
    switch = next(v.effective_from for v in parameters.get(APPLICABLE_PARAMETER).values if v.value)
    registry = load_fragments()
    for fragment in registry:
        mentions = [v for v in fragment.versions if "L2112-2-1" in v.text]
        for version in mentions:
            assert version.effective_from == switch, fragment.id


def test_paragraphs_and_list_items():
    blocks = paragraphs("Un texte\nsur deux lignes :\n- premier ;\n- second.\n\nFin.\n")
    assert [(b.texte, b.liste) for b in blocks] == [
        ("Un texte sur deux lignes :", False),
        ("premier ;", True),
        ("second.", True),
        ("Fin.", False),
    ]


def test_a_list_s_sentence_stays_with_its_first_item():
    blocks = paragraphs("Les moyens :\n- un ;\n- deux ;\n- trois.\n\nFin.\n\n- seul.\n")
    assert [(b.texte, b.avec_suivant) for b in blocks] == [
        ("Les moyens :", True),
        # a longer chain is one LibreOffice breaks after the sentence, which it then leaves
        # with the heading above at a page's foot
        ("un ;", False),
        ("deux ;", False),
        ("trois.", False),
        ("Fin.", True),
        ("seul.", False),
    ]


VARIANTS = {
    Dispositif.CONDITION_EXECUTION: {},
    Dispositif.CRITERE_ATTRIBUTION: {"critere": {"ponderation": "0.1"}},
    Dispositif.MARCHE_RESERVE: {"reservation": {"beneficiaires": "ea_esat_siae"}},
}


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.parent.name)
def test_every_version_of_every_fragment_renders_for_every_sample(sample, parameters):
    """No version of any fragment fails or renders empty, whatever the dispositif."""

    registry = load_fragments()
    base = load_operation(sample).model_dump()
    for dispositif, settings in VARIANTS.items():
        clause = {k: v for k, v in base["clause"].items() if k not in ("critere", "reservation")}
        data = {**base, "clause": {**clause, "dispositif": dispositif, **settings}}
        operation = Operation.model_validate(data)
        ccap, _ = compose_tender(operation, size(operation, parameters), registry, parameters)
        for fragment in (f for f in registry if f.context == "appel_offres"):
            for version in fragment.versions:
                rendered = version.template.render(ccap.context.model_dump())
                assert paragraphs(rendered), f"{fragment.id}@{version.effective_from}"
