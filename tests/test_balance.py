"""The end-of-mission balance as a pathway balance (issue 14, items 8 to 10).

Its sections (tasks, savoir-être and savoir-faire with their progress, the remarks of the
tutor, the company référent and the facilitator, the outcome as of a closing date, next
steps), the tutor taken from the commitment of the company that hired the person directly
(none designated for a placement), an exit after the closing date left out, the warnings
on a direct hire no tutor follows, on an exit left unrecorded and on one after the closing
date, the wording of hours and months, and the pages as LibreOffice lays them out: every
sample balance converted in one real batch and read back page by page with pypdf.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from pypdf import PdfReader

from clausegen.documents.balance import (
    companies_of,
    exit_known,
    exit_to_record,
    missing_tutor,
    months_span,
    referent_label,
    situation,
    tutor_line,
    tutor_of,
)
from clausegen.execution.commitments import load_commitment
from clausegen.execution.ledger import LedgerRow
from clausegen.execution.modalities import Modalite, TypeStructure
from clausegen.execution.participants import Participant, load_participants
from clausegen.render.templates import BUNDLED_DIR
from tests.docx_text import docx_text
from tests.helpers import FOLLOW_UP, OPERATION, SAMPLE, run
from tests.pdf_structure import body_lines

PARTICIPANTS = SAMPLE / "participants.yaml"
COMMITMENTS = SAMPLE / "engagements"
LIMOUX = SAMPLE.parent / "entretien-parcs-limoux"
SECTIONS = (
    "1 – La personne",
    "2 – Le contrat et le poste",
    "3 – Missions confiées",
    "4 – Les heures réalisées",
    "5 – Formations",
    "6 – Savoir-être",
    "7 – Savoir-faire",
    "8 – Appréciations",
    "9 – Issue du parcours",
    "10 – Suite de parcours",
)
"""The balance's sections, in order; item 8's are 3 and 6 to 10."""
NBSP = "\u00a0"


def _page_lines(page) -> list[str]:  # type: ignore[no-untyped-def]
    """A page's body lines (``body_lines``: this document's running header and footer out)."""
    return body_lines(
        page.extract_text(), header=" – consultation ", title="Bilan de fin de mission"
    )


@pytest.fixture(scope="module")
def people() -> dict[str, Participant]:
    return load_participants(PARTICIPANTS)


def _row(participant: str, lot: int, siret: str, modalite: Modalite, month: int = 3) -> LedgerRow:
    structure = TypeStructure.ETTI if modalite is Modalite.MISE_A_DISPOSITION else None
    return LedgerRow(
        row=2,
        participant=participant,
        lot=lot,
        entreprise="Bâti Sud Construction",
        siret=siret,
        mois=date(2027, month, 1),
        modalite=modalite,
        structure=structure,
        heures=Decimal(35),
        montant_ht=None,
    )


# --- months, situation, tutor -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "text"),
    [
        (date(2027, 3, 1), date(2027, 3, 1), "en mars 2027"),
        (date(2027, 1, 1), date(2027, 7, 1), "de janvier 2027 à juillet 2027"),
        (date(2027, 10, 1), date(2027, 12, 1), "d’octobre 2027 à décembre 2027"),
        (date(2027, 4, 1), date(2028, 2, 1), "d’avril 2027 à février 2028"),
        (date(2027, 8, 1), date(2027, 9, 1), "d’août 2027 à septembre 2027"),
    ],
)
def test_a_span_of_months_reads_as_french(first, last, text):
    assert months_span(first, last).replace(NBSP, " ") == text


def test_the_outcome_is_the_exit_or_the_situation_on_the_closing_date(people):
    closing = date(2028, 6, 30)
    left = situation(people["P01"], closing)
    assert (left.date_libelle, left.libelle, left.classe) == (
        "Date de sortie",
        "CDI",
        "Emploi durable",
    )
    assert left.date == f"1er{NBSP}septembre{NBSP}2027"
    still = situation(people["P07"], closing)  # apprenticeship until 31 August 2029
    assert (still.date_libelle, still.libelle) == ("Date d’arrêté", "En parcours")
    assert still.date == f"30{NBSP}juin{NBSP}2028"
    assert still.classe == "Sans objet tant que le parcours se poursuit"
    unrecorded = situation(people["P05"], closing)  # contract over on 24 September 2027
    assert (unrecorded.libelle, unrecorded.classe) == ("Sortie non renseignée", "Non renseignée")
    assert (
        unrecorded.precision is not None and "24\u00a0septembre\u00a02027" in unrecorded.precision
    )
    before_its_end = situation(people["P05"], date(2027, 9, 1))
    assert before_its_end.libelle == "En parcours"


def test_an_exit_after_the_closing_date_is_not_yet_known_on_that_date(people):
    """P03 (Limoux): the contract ends on 23 December 2027, the exit is dated 10 January
    2028; a balance as of 31 December 2027 does not state it."""
    castel = load_participants(LIMOUX / "participants.yaml")["P03"]
    before = situation(castel, date(2027, 12, 31))
    assert (before.date_libelle, before.libelle) == (
        "Date d’arrêté",
        "Sortie postérieure à la date d’arrêté",
    )
    assert before.classe == f"Non connue au 31{NBSP}décembre{NBSP}2027"
    assert before.precision is not None and "23\u00a0décembre\u00a02027" in before.precision
    for said in (before.classe, before.precision):
        assert "janvier" not in said and "transition" not in said
    assert exit_known(castel, date(2027, 12, 31)) is None
    assert exit_to_record(castel, date(2027, 12, 31)) is None  # recorded, only later
    on_the_day = situation(castel, date(2028, 1, 10))
    assert (on_the_day.date_libelle, on_the_day.classe) == (
        "Date de sortie",
        "Emploi de transition",
    )
    still_working = situation(castel, date(2027, 11, 30))
    assert still_working.libelle == "En parcours"


def test_a_person_placed_by_an_etti_has_no_tutor_unless_their_record_names_one(people):
    lot_1 = load_commitment(COMMITMENTS / "lot-01-bati-sud.yaml").engagement
    siret = lot_1.entreprise.siret
    placed = [_row("P05", 1, siret, Modalite.MISE_A_DISPOSITION)]
    none = (
        f"Non désigné{NBSP}: l’entreprise ne désigne un tuteur que pour une embauche directe, "
        "non pour une mise à disposition"
    )
    assert tutor_line(people["P05"], placed, [lot_1]) == none
    both = [*placed, _row("P05", 1, siret, Modalite.FORMATION, month=4)]
    assert tutor_line(people["P05"], both, [lot_1]).endswith(  # type: ignore[union-attr]
        "non pour une mise à disposition ou une formation"
    )
    named = people["P05"].model_copy(update={"tuteur": "Marc Esteve"})
    assert tutor_line(named, placed, [lot_1]) == "Marc Esteve"
    hired = [*placed, _row("P05", 1, siret, Modalite.EMBAUCHE_DIRECTE, month=5)]
    assert tutor_line(people["P05"], hired, [lot_1]) == (
        f"Marc Esteve (Chef de chantier), selon l’engagement du lot{NBSP}1"
    )
    assert tutor_line(people["P05"], [], [lot_1]) is None  # no hours yet: nothing to say


def test_the_tutor_comes_from_the_commitment_of_the_company_and_lot_worked_for(people):
    lot_1 = load_commitment(COMMITMENTS / "lot-01-bati-sud.yaml").engagement
    lot_2 = load_commitment(COMMITMENTS / "lot-02-bati-sud.yaml").engagement
    siret = lot_1.entreprise.siret
    hired = [_row("P05", 1, siret, Modalite.EMBAUCHE_DIRECTE)]
    assert companies_of(hired, [lot_2, lot_1]) == [lot_1]
    tutor = tutor_of(people["P05"], companies_of(hired, [lot_1, lot_2]))
    assert tutor == f"Marc Esteve (Chef de chantier), selon l’engagement du lot{NBSP}1"
    # The participant's own tutor comes first; another company's commitment never counts.
    assert tutor_of(people["P01"], [lot_1]) == "Marc Esteve"
    elsewhere = [_row("P05", 1, "82345678500026", Modalite.EMBAUCHE_DIRECTE)]
    assert companies_of(elsewhere, [lot_1, lot_2]) == []
    assert tutor_of(people["P05"], []) is None


def test_a_placed_persons_referent_is_named_as_the_user_companys(people):
    """A person placed by an ETTI works for the company whose commitment names the
    référent, not for their employer: the label says so and names that company."""
    lot_1 = load_commitment(COMMITMENTS / "lot-01-bati-sud.yaml").engagement
    siret = lot_1.entreprise.siret
    placed = [_row("P05", 1, siret, Modalite.MISE_A_DISPOSITION)]
    assert referent_label(people["P05"], placed, [lot_1]) == (
        "Référent insertion de l’entreprise utilisatrice (Bâti Sud Construction)"
    )
    hired = [*placed, _row("P05", 1, siret, Modalite.EMBAUCHE_DIRECTE, month=4)]
    assert referent_label(people["P05"], hired, [lot_1]) == "Référent de l’entreprise"
    assert referent_label(people["P05"], placed, []) == "Référent de l’entreprise"
    own = people["P05"].model_copy(update={"referent": "Sophie Marty (GEIQ BTP Occitanie)"})
    assert referent_label(own, placed, [lot_1]) == "Référent de l’entreprise"


def test_a_direct_hire_with_no_tutor_anywhere_is_flagged(people):
    lot_1 = load_commitment(COMMITMENTS / "lot-01-bati-sud.yaml").engagement
    untutored = lot_1.model_copy(update={"tuteur": None})
    siret = lot_1.entreprise.siret
    hired = [_row("P05", 1, siret, Modalite.EMBAUCHE_DIRECTE)]
    placed = [_row("P05", 1, siret, Modalite.MISE_A_DISPOSITION)]
    assert missing_tutor(people["P05"], hired, [lot_1]) is None
    flagged = missing_tutor(people["P05"], hired, [untutored])
    assert flagged is not None and (flagged.participant, flagged.lots) == ("P05", (1,))
    assert missing_tutor(people["P05"], hired, []) is not None
    assert missing_tutor(people["P05"], placed, []) is None  # a placement, not a direct hire
    assert missing_tutor(people["P01"], hired, []) is None  # their record names the tutor


# --- the command: warnings, closing date ------------------------------------------------------


def _balance(tmp_path: Path, *extra: str):
    return run("balance", OPERATION, *FOLLOW_UP, "--quiet", "-o", tmp_path / "b", *extra)


def test_the_warnings_name_the_participant_id_and_the_field_to_fill(tmp_path, people):
    result = _balance(tmp_path)
    assert result.exit_code == 0, result.output
    file = str(PARTICIPANTS)
    tutor = (
        "Warning: [tuteur] Participant {id} is a direct hire (embauche_directe) and no tutor is "
        f"named: fill tuteur for {{id}} in {file}, or pass --commitments with the company's "
        "commitment naming its tuteur.\n"
    )
    assert result.stderr == (
        "Warning: [sortie] Participant P05: the contract ended on 2027-09-24 and no exit is "
        f"recorded: fill sortie (type, date) for P05 in {file}.\n"
        + "".join(tutor.format(id=pid) for pid in ("P08", "P09", "P12"))
    )
    for person in people.values():  # by id, never by name
        assert person.nom not in result.stderr and person.prenom not in result.stderr


def test_with_the_commitments_only_an_untutored_lot_is_flagged(tmp_path):
    result = _balance(tmp_path, "--commitments", COMMITMENTS)
    assert result.exit_code == 0, result.output
    assert "[tuteur]" not in result.stderr
    folder = tmp_path / "engagements"
    shutil.copytree(COMMITMENTS, folder)
    painting = folder / "lot-04-peintures-audoises.yaml"
    text = painting.read_text(encoding="utf-8")
    painting.write_text(
        text.replace("tuteur:\n  nom: Patrick Olive\n  fonction: Compagnon peintre\n", ""),
        encoding="utf-8",
    )
    result = run("balance", OPERATION, *FOLLOW_UP, "--commitments", folder, "-o", tmp_path / "c")
    assert result.exit_code == 0, result.output
    tutor_lines = [line for line in result.stderr.splitlines() if "[tuteur]" in line]
    assert tutor_lines == [
        f"Warning: [tuteur] Participant {pid} is a direct hire (embauche_directe) and no tutor "
        f"is named: fill tuteur for {pid} in {PARTICIPANTS}, or tuteur in the commitment of "
        f"lot 4 in {folder}."
        for pid in ("P08", "P09", "P12")
    ]


def test_the_closing_date_bounds_the_hours_and_dates_the_situation(tmp_path):
    result = _balance(tmp_path, "--participant", "P07", "--period-end", "2027-09-30")
    assert result.exit_code == 0, result.output
    text = docx_text((tmp_path / "b" / "bilan-P07.docx").read_bytes())
    assert f"[Body Text] 32{NBSP}h d’insertion, en septembre{NBSP}2027.\n" in text
    assert f"| Date d’arrêté | 30{NBSP}septembre{NBSP}2027 |\n" in text
    assert f"| Savoir-être | À l’entrée | Au 30{NBSP}septembre{NBSP}2027 |\n" in text
    manifest = json.loads((tmp_path / "b" / "bilan-P07.manifest.json").read_text())
    assert manifest["arrete_au"] == "2027-09-30"


def test_an_exit_after_the_closing_date_is_left_out_of_the_balance_with_a_warning(tmp_path):
    """The Limoux sample's P03 left on 10 January 2028, after its closing date (the ledger's
    last month, 31 December 2027); with the exit moved to 2027-12-20 it is stated."""
    files = LIMOUX / "participants.yaml"
    args = ["balance", LIMOUX / "operation.yaml", "--ledger", LIMOUX / "heures.csv"]
    result = run(*args, "--participants", files, "--participant", "P03", "-o", tmp_path / "b")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Warning: [sortie] Participant P03: the exit (sortie) is dated 2028-01-10, after the "
        "balance's closing date 2027-12-31: the balance does not state it; pass --period-end "
        "2028-01-10 or later for a balance that does.\n"
    )
    text = docx_text((tmp_path / "b" / "bilan-P03.docx").read_bytes())
    assert "| Situation | Sortie postérieure à la date d’arrêté |\n" in text
    assert "janvier" not in text and "Emploi de transition" not in text
    earlier = tmp_path / "participants.yaml"
    earlier.write_text(
        files.read_text(encoding="utf-8").replace("date: 2028-01-10", "date: 2027-12-20"),
        encoding="utf-8",
    )
    result = run(*args, "--participants", earlier, "--participant", "P03", "-o", tmp_path / "c")
    assert (result.exit_code, result.stderr) == (0, "")
    text = docx_text((tmp_path / "c" / "bilan-P03.docx").read_bytes())
    assert f"| Date de sortie | 20{NBSP}décembre{NBSP}2027 |\n" in text
    assert "| Classe de sortie (IAE) | Emploi de transition |\n" in text


def test_a_closing_date_before_execution_is_a_usage_error(tmp_path):
    result = _balance(tmp_path, "--period-end", "2026-12-31")
    assert result.exit_code == 2
    assert "2026-12-31 is before execution starts (2027-01-04)" in result.stderr


def test_the_balance_paragraphs_are_not_justified():
    """A long e-mail address in a justified line leaves wide gaps between the words."""
    styles = Document(str(BUNDLED_DIR / "balance.docx")).styles
    for name in ("Body Text", "List Bullet"):
        assert styles[name].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT


# --- every sample balance, as LibreOffice lays it out -----------------------------------------


@pytest.fixture(scope="module")
def balances(tmp_path_factory) -> Path:
    """Every sample balance as DOCX and PDF, written by the command a facilitator runs."""
    out = tmp_path_factory.mktemp("balances")
    result = run("balance", OPERATION, *FOLLOW_UP, "--commitments", COMMITMENTS, "--pdf", "-o", out)
    assert result.exit_code == 0, result.output
    return out


def page_problems(pages: list[list[str]]) -> list[str]:
    """Pages (their body lines) holding a single line, or only the closing block: the
    data-protection note (« Ce bilan est établi… ») and the signature block after it."""
    lines = [(number, line) for number, page in enumerate(pages, 1) for line in page]
    starts = [i for i, (_, line) in enumerate(lines) if line.startswith("Ce bilan est établi")]
    closing = starts[0] if starts else len(lines)
    problems = []
    for number, page in enumerate(pages, 1):
        indexes = [i for i, (at, _) in enumerate(lines) if at == number]
        if len(page) <= 1:
            problems.append(f"page {number}: a single line: {page}")
        elif indexes and min(indexes) >= closing:
            problems.append(f"page {number}: only the note and the signature block: {page}")
    return problems


def test_the_page_check_can_fail():
    first = ["Bilan de fin de mission – X", "10 – Suite de parcours", "Non renseignée."]
    closing = ["Ce bilan est établi par…", "Fait à …, le …", "La facilitatrice : C. R."]
    assert page_problems([first, closing]) != []
    assert page_problems([first, ["Fait à …, le …"]]) != []
    assert page_problems([first + closing]) == []
    assert page_problems([first[:1], first[1:] + closing]) != []  # a single line


def test_every_sample_balance_is_converted(balances, people):
    assert sorted(p.name for p in balances.glob("*.pdf")) == [
        f"bilan-{pid}.pdf" for pid in sorted(people)
    ]


def test_no_page_holds_only_the_signature_block(balances):
    problems = []
    for pdf in sorted(balances.glob("*.pdf")):
        pages = [
            body_lines(
                page.extract_text(), header=" – consultation ", title="Bilan de fin de mission"
            )
            for page in PdfReader(pdf).pages
        ]
        problems += [f"{pdf.name} {problem}" for problem in page_problems(pages)]
        (signing,) = [page for page in pages if any(x.startswith("Fait à") for x in page)]
        assert "10 – Suite de parcours" in signing, pdf.name  # kept with the last section
        assert [x for x in signing if "La personne :" in x], pdf.name
    assert problems == []


def test_every_balance_has_the_sections_filled_or_marked_not_given(balances):
    for docx in sorted(balances.glob("*.docx")):
        text = docx_text(docx.read_bytes())
        body = text.split("=== body\n")[1].split("=== footer")[0].splitlines()
        headings = [line.removeprefix("[Heading 2] ") for line in body if "[Heading 2]" in line]
        assert headings == list(SECTIONS), docx.name
        for heading, following in zip(SECTIONS, [*SECTIONS[1:], None], strict=True):
            start = body.index(f"[Heading 2] {heading}") + 1
            end = body.index(f"[Heading 2] {following}") if following else len(body)
            content = [line for line in body[start:end] if line != "[Table Spacing] "]
            assert content, f"{docx.name}: {heading} is empty"
        pdf = " ".join(
            " ".join(
                body_lines(
                    p.extract_text(), header=" – consultation ", title="Bilan de fin de mission"
                )
            )
            for p in PdfReader(docx.with_suffix(".pdf")).pages
        )
        assert all(heading in pdf for heading in SECTIONS), docx.name


def test_a_sparse_balance_marks_what_is_not_given(balances):
    text = docx_text((balances / "bilan-P12.docx").read_bytes())
    # Each agrees with what is not given: les missions, le savoir-être, la suite de parcours.
    assert "[Heading 2] 3 – Missions confiées\n[Body Text] Non renseignées.\n" in text
    for heading in ("6 – Savoir-être", "7 – Savoir-faire"):
        assert f"[Heading 2] {heading}\n[Body Text] Non renseigné.\n" in text
    assert "[Heading 2] 10 – Suite de parcours\n[Body Text] Non renseignée.\n" in text
    assert text.count("[Body Text] Non renseigné.") == 2
    assert text.count("[Body Text] Non renseignée.") == 4  # and the three remarks (avis)


def test_the_balance_of_a_placed_person_names_the_user_companys_referent(balances):
    text = docx_text((balances / "bilan-P05.docx").read_bytes())
    assert "| Employeur | Idées Intérim Aude |\n" in text
    assert (
        "| Référent insertion de l’entreprise utilisatrice (Bâti Sud Construction) | Laurent "
        "Vidal (Responsable des ressources humaines), selon l’engagement du lot\u00a01 |\n"
    ) in text
    assert "[Heading 3] Le référent de l’entreprise utilisatrice – Laurent Vidal\n" in text
