"""French typography in every rendered document of every sample, and the rules behind it.

The acceptance test renders, through the commands, the tender documents (CCAP article, RC
mention) and a blank commitment form for each lot carrying the clause of every sample, and
for the sample with execution data its pre-filled forms, compliance statements (with and
without the statements received) and balances. In their text, fixed template text
included: no ordinary space before « HT » after an amount, inside a date, a SIRET or an
hour count, before « : » « ; » « ! » « ? », after « < » before a number, or between a lot's
number and its dash in a table; no straight apostrophe (e-mail addresses and web addresses
excepted); « cotraitance » in one word. A failure names the document and quotes the
sentence.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from clausegen.calibration.calibrate import calibrate
from clausegen.documents.formatting import (
    NBHYPHEN,
    NBSP,
    NNBSP,
    a_name,
    date_fr,
    de_name,
    euros_ht,
    hours,
    lot_label,
    month_fr,
    siret,
    typographie,
    unbreakable,
    with_article,
)
from clausegen.inputs.french import Article, infer_article, typographic_apostrophes
from clausegen.inputs.loading import load_operation
from scripts.apostrophes import convert_text
from tests.docx_text import docx_text
from tests.helpers import FOLLOW_UP, REPORTING, SAMPLE, SAMPLES, run

# --- every document of every sample -----------------------------------------------------------


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory, parameters) -> dict[str, str]:
    """Every document's text, by ``sample/command/file.docx``."""
    out = tmp_path_factory.mktemp("typography")
    for sample in SAMPLES:
        name = sample.parent.name
        assert run("tender", sample, "-o", out / name / "tender").exit_code == 0
        operation = load_operation(sample)
        sized = calibrate(operation, parameters, operation.consultation.date_lancement)
        for lot in (lot for lot in sized.lots if lot.retenu):
            result = run("commitment", sample, "--lot", lot.numero, "-o", out / name / "forms")
            assert result.exit_code == 0, result.output
    operation = SAMPLE / "operation.yaml"
    for company in sorted((SAMPLE / "engagements").glob("*.yaml")):
        lot = re.search(r"lot-0*(\d+)", company.name)
        assert lot is not None
        command = ("commitment", operation, "--lot", lot.group(1), "--company", company)
        assert run(*command, "-o", out / "forms").exit_code == 0
    engagements = SAMPLE / "engagements"
    result = run(
        "compliance",
        operation,
        "--commitments",
        engagements,
        *FOLLOW_UP,
        *REPORTING,
        "-o",
        out / "c",
    )
    assert result.exit_code == 0, result.output
    # Without the statements received: the statement says none is recorded.
    command = ("compliance", operation, "--commitments", engagements, *FOLLOW_UP)
    result = run(*command, "-o", out / "c-sans-comptes-rendus")
    assert result.exit_code == 0, result.output
    result = run("balance", operation, *FOLLOW_UP, "--jobs", "1", "--quiet", "-o", out / "b")
    assert result.exit_code == 0, result.output
    folders = [s.parent for s in SAMPLES if (s.parent / "engagements").is_dir()]
    result = run(
        "evaluate", *folders, "--from", "2027-01-01", "--to", "2028-06-30", "-o", out / "e"
    )
    assert result.exit_code == 0, result.output
    files = sorted(out.rglob("*.docx"))
    return {str(path.relative_to(out)): docx_text(path.read_bytes()) for path in files}


MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
SPACING_RULES = {
    "an ordinary space before HT": re.compile(r"[\d€] HT\b"),
    "an ordinary space inside a date": re.compile(
        rf"\b(?:1er|\d{{1,2}}) (?:{MONTHS})\b|\b(?:{MONTHS}) \d{{4}}\b"
    ),
    "an ordinary space inside a SIRET": re.compile(
        rf"\b(?=[\d{NBSP} ]*? )\d{{3}}[{NBSP} ]\d{{3}}[{NBSP} ]\d{{3}}[{NBSP} ]\d{{5}}\b"
        rf"|\bSIRET \d"
    ),
    "an ordinary space inside an hour count": re.compile(
        rf"\d[ {NNBSP}]?\d{{3}} (?:heures?|h)\b|\d (?:heures?|h)\b|\d \d{{3}}{NBSP}(?:heures?|h)\b"
    ),
    "an ordinary space before a colon or a semicolon": re.compile(r"\S [:;!?](?=\s|$)"),
    "an ordinary space after « < » (a line may end at it)": re.compile(r"< \d"),
    "an ordinary space before a lot's dash in a table": re.compile(r"(?<=\| )\d+ –"),
}
ADDRESSES = re.compile(r"[\w.’'+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+")
_LOCAL = rf"[\w.’'+{NBHYPHEN}]"
_DOMAIN = rf"[\w.{NBHYPHEN}]"
HYPHEN_RULES = {
    "an ordinary hyphen inside an address (a line may end at it)": re.compile(
        rf"{_LOCAL}*-[\w.’'+{NBHYPHEN}-]*@{_DOMAIN}+|{_LOCAL}+@{_DOMAIN}*-[\w.{NBHYPHEN}-]*"
        r"|https?://[^\s-]*-"
    ),
}


def sentence_at(line: str, position: int) -> str:
    """The sentence of ``line`` (one paragraph or table row) around ``position``."""
    text = re.sub(r"^\[[^\]]+\] ", "", line)
    position -= len(line) - len(text)
    starts = [m.end() for m in re.finditer(r"[.;!?|]\s+", text) if m.end() <= position]
    ends = [m.start() + 1 for m in re.finditer(r"[.;!?|](?:\s|$)", text) if m.start() >= position]
    return text[starts[-1] if starts else 0 : ends[0] if ends else len(text)].strip(" |")


def offences(texts: dict[str, str], rules: dict[str, re.Pattern[str]]) -> list[str]:
    """One line per offence: the document, the rule broken and the sentence."""
    found = []
    for document, text in texts.items():
        for line in text.splitlines():
            for rule, pattern in rules.items():
                for match in pattern.finditer(line):
                    found.append(f"{document}: {rule}: « {sentence_at(line, match.start())} »")
    return found


def test_every_document_is_rendered(documents):
    names = set(documents)
    tenders = [n for n in names if n.endswith("/tender/ccap-clause-insertion.docx")]
    assert len(tenders) == len(SAMPLES)
    assert {"forms/engagement-lot-01-81234567600017.docx", "b/bilan-P01.docx"} <= names
    assert any(n.startswith("c/conformite-") for n in names)
    unreported = [n for n in names if n.startswith("c-sans-comptes-rendus/conformite-")]
    assert unreported and all("Aucun compte rendu reçu" in documents[n] for n in unreported)
    assert "e/evaluation-2027-01-01-2028-06-30.docx" in names
    assert len([n for n in names if "/forms/engagement-lot-" in n]) >= 10


def test_no_ordinary_space_in_amounts_dates_sirets_and_hours(documents):
    found = offences(documents, SPACING_RULES)
    assert not found, "\n".join(found)


def test_no_ordinary_hyphen_in_e_mail_and_web_addresses(documents):
    found = offences(documents, HYPHEN_RULES)
    assert not found, "\n".join(found)


def test_cotraitance_is_spelt_one_way(documents):
    """« cotraitance », as the CCAP and the RC write it, on the forms too."""
    found = offences(documents, {"« co-traitance »": re.compile(r"(?i)co-trait")})
    assert not found, "\n".join(found)


def test_no_straight_apostrophe_in_french_text(documents):
    texts = {name: ADDRESSES.sub("<adresse>", text) for name, text in documents.items()}
    found = offences(texts, {"a straight apostrophe": re.compile("'")})
    assert not found, f"{len(found)} straight apostrophes:\n" + "\n".join(found)


def test_the_checks_can_fail():
    """Each rule catches what it is for, and quotes the sentence it is in."""
    text = (
        "[Body Text] Le lot 1 vaut 60,00\u00a0€ HT. Fin le 31 décembre 2029\u202f; "
        "soit 2\u202f007 heures. SIRET 812\u00a0345 676\u00a000017. Voir l'article.\n"
        "[Body Text] Dû à date : les heures dues\u202f; état reçu ; effectif «\u00a0< 5\u00a0».\n"
        "| 2026-TRX-042 | 3 – Menuiseries | 4\u00a0– Peinture |\n"
    )
    found = offences({"doc.docx": text}, {**SPACING_RULES, "apostrophe": re.compile("'")})
    assert found == [
        "doc.docx: an ordinary space before HT: « Le lot 1 vaut 60,00\u00a0€ HT. »",
        "doc.docx: an ordinary space inside a date: « Fin le 31 décembre 2029\u202f; »",
        "doc.docx: an ordinary space inside a SIRET: « SIRET 812\u00a0345 676\u00a000017. »",
        "doc.docx: an ordinary space inside an hour count: « soit 2\u202f007 heures. »",
        "doc.docx: apostrophe: « Voir l'article. »",
        "doc.docx: an ordinary space before a colon or a semicolon: « Dû à date : les heures "
        "dues\u202f; »",
        "doc.docx: an ordinary space before a colon or a semicolon: « état reçu ; »",
        "doc.docx: an ordinary space after « < » (a line may end at it): "
        "« effectif «\u00a0< 5\u00a0». »",
        "doc.docx: an ordinary space before a lot's dash in a table: « 3 – Menuiseries »",
    ]
    assert ADDRESSES.sub("<adresse>", "o'neil@mde.example.fr") == "<adresse>"
    addresses = (
        "[Body Text] Écrire à clauses.sociales@mde-carcassonne.example.fr ; à jean-luc@mde.fr ; "
        f"à a.b@mde{NBHYPHEN}sud.fr ; voir https://www.ma-ville.fr/clause ; le centre-ville.\n"
    )
    assert offences({"doc.docx": addresses}, HYPHEN_RULES) == [
        f"doc.docx: an ordinary hyphen inside an address (a line may end at it): « {quote} »"
        for quote in (
            "Écrire à clauses.sociales@mde-carcassonne.example.fr ;",
            "à jean-luc@mde.fr ;",
            "voir https://www.ma-ville.fr/clause ;",
        )
    ]


# --- the formatters and typographie() ---------------------------------------------------------


def test_values_hold_together_on_their_line():
    assert euros_ht(Decimal(60)) == f"60,00{NBSP}€{NBSP}HT"
    assert date_fr(date(2029, 12, 31)) == f"31{NBSP}décembre{NBSP}2029"
    assert date_fr(date(2019, 4, 1)) == f"1er{NBSP}avril{NBSP}2019"
    assert month_fr(date(2027, 3, 1)) == f"mars{NBSP}2027"
    assert hours(Decimal(2007)) == f"2{NNBSP}007{NBSP}h"
    assert siret("81234567600017") == f"812{NBSP}345{NBSP}676{NBSP}00017"
    assert unbreakable("AGGLO-2026-SRV-017") == f"AGGLO{NBHYPHEN}2026{NBHYPHEN}SRV{NBHYPHEN}017"
    assert unbreakable("04 68 00 00 00") == f"04{NBSP}68{NBSP}00{NBSP}00{NBSP}00"
    assert lot_label(6, "Plomberie – chauffage") == f"6{NBSP}– Plomberie{NBSP}– chauffage"


@pytest.mark.parametrize(
    ("typed", "typeset"),
    [
        ("une pénalité de 60,00 € HT par heure", f"une pénalité de 60,00{NBSP}€{NBSP}HT par heure"),
        ("jusqu'au 31 décembre 2029 inclus", f"jusqu'au 31{NBSP}décembre{NBSP}2029 inclus"),
        ("depuis le 1er avril 2019", f"depuis le 1er{NBSP}avril{NBSP}2019"),
        ("en mars 2027", f"en mars{NBSP}2027"),
        (f"au moins 2{NNBSP}007 heures", f"au moins 2{NNBSP}007{NBSP}heures"),
        (
            "720 h, 15 jours, 18 mois, 26 ans",
            f"720{NBSP}h, 15{NBSP}jours, 18{NBSP}mois, 26{NBSP}ans",
        ),
        ("1,25 ETP", f"1,25{NBSP}ETP"),
        (
            "l'article L2112-2 et les articles R2152-7",
            f"l'article{NBSP}L2112-2 et les articles{NBSP}R2152-7",
        ),
        ("le lot 7 – Ascenseur ; Lot 4", f"le lot{NBSP}7 – Ascenseur{NNBSP}; Lot{NBSP}4"),
        ("se lit « < 5 » (< 10)", f"se lit «{NBSP}<{NBSP}5{NBSP}» (<{NBSP}10)"),
        ("si a < b, x<-3", "si a < b, x<-3"),
        ("loi n° 2021-1104", f"loi n°{NBSP}2021-1104"),
        ("SIRET 812 345 676 00017", f"SIRET{NBSP}812 345 676 00017"),
        ("du CCAG-Travaux", f"du CCAG{NBHYPHEN}Travaux"),
        (
            "écrire à clauses.sociales@mde-carcassonne.example.fr.",
            f"écrire à clauses.sociales@mde{NBHYPHEN}carcassonne.example.fr.",
        ),
        ("jean-luc.roux@example.fr", f"jean{NBHYPHEN}luc.roux@example.fr"),
        (
            "sur https://www.ma-ville.fr/clause-sociale, au centre-ville",
            f"sur https://www.ma{NBHYPHEN}ville.fr/clause{NBHYPHEN}sociale, au centre-ville",
        ),
        ("deux lots pour les mois à venir", "deux lots pour les mois à venir"),
    ],
)
def test_typographie(typed, typeset):
    assert typographie(typed) == typeset


# --- apostrophes: inputs and the fragment sources' conversion ---------------------------------


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("Maison de l'emploi", "Maison de l’emploi"),
        ("aujourd'hui, l´atelier, d`Albi", "aujourd’hui, l’atelier, d’Albi"),
        ("N'Diaye", "N’Diaye"),
        ("'Sud' et l'", "'Sud' et l'"),
        ("déjà l’emploi", "déjà l’emploi"),
    ],
)
def test_apostrophes_between_letters_become_typographic(typed, normalised):
    assert typographic_apostrophes(typed) == normalised


def test_input_text_is_normalised_but_codes_and_addresses_are_not(tmp_path):
    text = (SAMPLE / "operation.yaml").read_text(encoding="utf-8")
    text = text.replace("email: clauses.sociales@", "email: o'neil.clauses@")
    text = text.replace("reference: 2026-TRX-042", 'reference: "2026-TRX-042\'B"')
    path = tmp_path / "operation.yaml"
    path.write_text(text, encoding="utf-8")
    operation = load_operation(path)
    assert operation.facilitateur.structure == "Maison de l’emploi du Carcassonnais"
    assert operation.facilitateur.email.startswith("o'neil.clauses@")
    assert operation.consultation.reference == "2026-TRX-042'B"


def test_the_conversion_leaves_jinja_code_comments_and_yaml_quoting_alone():
    source = (
        "# the buyer's own text\n"
        "x:\n"
        "  titre: 'Volume d''heures'\n"
        "  texte: |\n"
        "    L'acheteur{% if x == 'l' %} d'abord{% endif %} {{ y['a'] }} {# it's #} l'a dit.\n"
    )
    assert convert_text(source) == (
        "# the buyer's own text\n"
        "x:\n"
        "  titre: 'Volume d''heures'\n"
        "  texte: |\n"
        "    L’acheteur{% if x == 'l' %} d’abord{% endif %} {{ y['a'] }} {# it's #} l’a dit.\n"
    )


def test_the_conversion_script_checks_and_writes(tmp_path):
    from scripts.apostrophes import main

    path = tmp_path / "f.yaml"
    path.write_text("a:\n  texte: L'acheteur {{ b }}\n", encoding="utf-8")
    assert main(["--check", str(path)]) == 1
    assert main([str(path)]) == 0
    assert path.read_text(encoding="utf-8") == "a:\n  texte: L’acheteur {{ b }}\n"
    assert main(["--check", str(path)]) == 0


# --- the article a name takes, and the facilitator's civility ---------------------------------


@pytest.mark.parametrize(
    ("name", "article"),
    [
        ("Ville de Carcassonne", Article.LA),
        ("Communauté d’agglomération du Val de Sorgue", Article.LA),
        ("Métropole Aix-Marseille-Provence", Article.LA),
        ("Région Occitanie", Article.LA),
        ("Maison de l’emploi du Carcassonnais", Article.LA),
        ("Mission locale de l’Ouest audois", Article.LA),
        ("Département de l’Aude", Article.LE),
        ("Conseil départemental de l’Aude", Article.LE),
        ("Syndicat mixte du Grand Narbonne", Article.LE),
        ("Rectorat de la région académique Occitanie", Article.LE),
        ("Plan local pour l’insertion et l’emploi de Montpellier", Article.LE),
        ("Office public de l’habitat de l’Aude", Article.L),
        ("Établissement public foncier d’Occitanie", Article.L),
        ("Agence régionale de santé", Article.L),
        ("Hôpital de Carcassonne", Article.L),
        ("Hospices civils de Lyon", Article.LES),
        ("PLIE du Val de Sorgue", Article.LE),
        ("OPH de l’Aude", Article.L),
        ("MDE du Narbonnais", Article.LA),
        ("Montpellier Méditerranée Métropole", Article.AUCUN),
        ("Habitat Sud Atlantique – Office public de l’habitat", Article.AUCUN),
        ("SMICTOM de la Piège", Article.AUCUN),
    ],
)
def test_the_article_is_inferred_from_the_first_word(name, article):
    assert infer_article(name) is article


@pytest.mark.parametrize(
    ("name", "article", "forms"),
    [
        (
            "Ville de Carcassonne",
            Article.LA,
            ("la Ville de Carcassonne", "de la Ville de Carcassonne", "à la Ville de Carcassonne"),
        ),
        (
            "Département de l’Aude",
            Article.LE,
            ("le Département de l’Aude", "du Département de l’Aude", "au Département de l’Aude"),
        ),
        (
            "Office public",
            Article.L,
            ("l’Office public", "de l’Office public", "à l’Office public"),
        ),
        (
            "Hospices civils",
            Article.LES,
            ("les Hospices civils", "des Hospices civils", "aux Hospices civils"),
        ),
        (
            "Montpellier Métropole",
            Article.AUCUN,
            ("Montpellier Métropole", "de Montpellier Métropole", "à Montpellier Métropole"),
        ),
        ("Est Ensemble", Article.AUCUN, ("Est Ensemble", "d’Est Ensemble", "à Est Ensemble")),
        ("Habitat Sud", Article.AUCUN, ("Habitat Sud", "de Habitat Sud", "à Habitat Sud")),
    ],
)
def test_a_name_with_its_article_in_a_sentence(name, article, forms):
    assert (with_article(name, article), de_name(name, article), a_name(name, article)) == forms


def _contexts(tmp_path: Path, facilitateur: str = "", acheteur: str = ""):
    from clausegen.documents.common_contexts import header_contexts

    text = (SAMPLE / "operation.yaml").read_text(encoding="utf-8")
    text = text.replace("  civilite: madame\n", facilitateur)
    text = text.replace("  type: collectivite\n", f"  type: collectivite\n{acheteur}", 1)
    path = tmp_path / "operation.yaml"
    path.write_text(text, encoding="utf-8")
    return header_contexts(load_operation(path))


def test_the_facilitators_civility_sets_the_function(tmp_path):
    madame = _contexts(tmp_path, "  civilite: Madame\n")["facilitateur"]
    monsieur = _contexts(tmp_path, "  civilite: monsieur\n")["facilitateur"]
    undeclared = _contexts(tmp_path)["facilitateur"]
    assert (madame.civilite, madame.fonction, madame.titre) == (
        "Madame",
        "facilitatrice de la clause sociale",
        "La facilitatrice",
    )
    assert (monsieur.civilite, monsieur.fonction, monsieur.titre) == (
        "Monsieur",
        "facilitateur de la clause sociale",
        "Le facilitateur",
    )
    assert (undeclared.civilite, undeclared.fonction) == (None, "facilitateur de la clause sociale")
    assert madame.structure_article == "la Maison de l’emploi du Carcassonnais"
    assert madame.de_structure == "de la Maison de l’emploi du Carcassonnais"


def test_a_stated_article_wins_over_the_inferred_one(tmp_path):
    buyer = _contexts(tmp_path, acheteur='  article: ""\n')["acheteur"]
    assert (buyer.nom_article, buyer.de_nom, buyer.a_nom) == (
        "Ville de Carcassonne",
        "de Ville de Carcassonne",
        "à Ville de Carcassonne",
    )
    buyer = _contexts(tmp_path, acheteur="  article: La\n")["acheteur"]
    assert buyer.a_nom == "à la Ville de Carcassonne"
