"""One consultation's documents say the same thing in the same words: the commitment form
speaks of its own lot, the facilitator's statement calls itself what the CCAP calls it
(« bilan de fin de marché », or an interim « état d’avancement »), and no ellipsis to fill
in is followed by a full stop."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from clausegen.cli.produce import CommitmentForms
from clausegen.documents.tender import compose_tender
from clausegen.execution.commitments import load_commitment
from tests.docx_text import docx_text
from tests.helpers import SAMPLE, make_operation, size
from tests.test_execution import SHORT, compliance_files, follow, setting  # noqa: F401

GOLDEN = Path(__file__).parent / "golden"
FORM_SENTENCE = (
    "Le titulaire du lot remet la présente fiche au facilitateur dans les quinze jours qui "
    "suivent la notification du marché et avant tout commencement d’exécution, complétée et "
    "signée : il y indique les modalités de réalisation qu’il retient, le volume "
    "d’heures prévu pour chacune et le nom de son référent insertion."
)
CCAP_SENTENCE = "Le titulaire de chaque lot concerné remet au facilitateur, dans les quinze jours"
ELLIPSIS_THEN_STOP = re.compile(r"…\s*\.")


def _text(content: bytes) -> str:
    return " ".join(docx_text(content).split())


def _forms(setting) -> dict[str, str]:  # noqa: F811
    operation, parameters, calibration, registry = setting
    render = CommitmentForms(operation, calibration, (), registry, parameters)
    forms = {"vierge": _text(render(4, None).files[0].content)}
    for name in ("lot-01-bati-sud", "lot-04-peintures-audoises"):
        item = load_commitment(SAMPLE / "engagements" / f"{name}.yaml")
        forms[name] = _text(render(item.engagement.lot, item.engagement).files[0].content)
    return forms


def test_the_blank_and_prefilled_forms_speak_of_their_own_lot(setting):  # noqa: F811
    for name, text in _forms(setting).items():
        assert FORM_SENTENCE in text, name
        assert "chaque lot concerné" not in text, name


def test_the_ccap_keeps_its_sentence_about_every_lot(setting):  # noqa: F811
    operation, parameters, calibration, registry = setting
    ccap, _ = compose_tender(operation, calibration, registry, parameters)
    text = " ".join(b.texte for s in ccap.context.sections for b in s.blocs)
    assert CCAP_SENTENCE in text
    assert "la présente fiche" not in text
    assert "le facilitateur établit sur cette base le bilan de fin de marché." in text.lower()
    assert "un état d’avancement de la clause, lot par lot" in text


def test_an_award_criterion_form_speaks_of_its_own_lot(setting):  # noqa: F811
    _, parameters, _, registry = setting
    operation = make_operation(
        clause={"dispositif": "critere_attribution", "critere": {"ponderation": "0.1"}}
    )
    calibration = size(operation, parameters)
    render = CommitmentForms(operation, calibration, (), registry, parameters)
    lot = next(lot.numero for lot in calibration.lots if lot.retenu)
    text = _text(render(lot, None).files[0].content)
    assert "Le candidat joint la présente fiche à son offre pour le lot, complétée" in text
    assert "pour chaque lot auquel il répond" not in text


def test_the_final_statement_is_the_ccaps_end_of_contract_bilan(setting):  # noqa: F811
    operation, *rest = setting
    with_article = operation.model_copy(
        update={"clause": operation.clause.model_copy(update={"article_ccap": 7})}
    )
    _, reconciliation = follow(setting)
    assert reconciliation.fin_execution_atteinte
    statement = _text(
        compliance_files((with_article, *rest), reconciliation)[f"conformite-{SHORT}.docx"]
    )
    assert (
        "Le présent document est le bilan de fin de marché prévu à l’article 7 du CCAP, établi "
        "à la fin de l’exécution." in statement
    )
    assert "état d’avancement" not in statement
    assert "constat de fin d’exécution" not in statement.lower()


def test_an_interim_statement_says_it_is_not_the_bilan(setting):  # noqa: F811
    _, reconciliation = follow(setting, closing=date(2027, 12, 31))
    assert not reconciliation.fin_execution_atteinte
    statement = _text(compliance_files(setting, reconciliation)[f"conformite-{SHORT}.docx"])
    assert (
        "Le présent document est un état d’avancement de la clause, établi en cours "
        "d’exécution : ce n’est pas le bilan de fin de marché prévu par le CCAP. L’écart "
        "qui fonde la pénalité pour heures non réalisées n’étant constaté qu’au vu de ce "
        "bilan, aucune pénalité pour heures non réalisées n’est constatée ici." in statement
    )
    assert "L’atteinte de l’objectif sera constatée au vu du bilan de fin de marché." in statement
    lines = docx_text(compliance_files(setting, reconciliation)[f"conformite-{SHORT}.docx"])
    assert "n’est constatée ici.\n[Body Text] Claire Roussel" in lines  # its own paragraph
    assert "pénalité calculée pour heures non réalisées" not in statement


@pytest.mark.parametrize("kind", ["execution", "tender", "evaluation"])
def test_no_ellipsis_is_followed_by_a_full_stop_in_the_golden_texts(kind):
    for path in sorted((GOLDEN / kind).rglob("*.txt")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            assert not ELLIPSIS_THEN_STOP.search(line), f"{path.name}:{number}: {line}"


def test_no_form_line_ends_its_dotted_date_with_a_full_stop(setting):  # noqa: F811
    for name, text in _forms(setting).items():
        assert "Fait à ……………………………………, le ……………………………………" in text or name != "vierge"
        assert not ELLIPSIS_THEN_STOP.search(text), name
