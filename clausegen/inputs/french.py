"""French text in the inputs: typographic apostrophes, civilities and the article a name takes.

Text a buyer or facilitator types (names, objects, justifications, observations…) is
normalised on the way in: a straight apostrophe between two letters becomes the typographic
one (``l'emploi`` → ``l’emploi``). Codes, identifiers, e-mail addresses and telephone
numbers are not text and are kept as typed (``Code``).

A name such as « Ville de Carcassonne » takes an article in a sentence (« auprès de la Ville
de Carcassonne »). The buyer may state it (``acheteur.article``); otherwise it is inferred
from the name's first word when that word is a known kind of body (Ville, Département,
Office…), and a proper noun or an unknown acronym takes none (« de Montpellier Méditerranée
Métropole »).
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

APOSTROPHE = "’"
_STRAIGHT_BETWEEN_LETTERS = re.compile(r"(?<=[^\W\d_])['`´](?=[^\W\d_])")


def typographic_apostrophes(text: str) -> str:
    """``l'emploi`` → ``l’emploi``: straight apostrophes (and ` ´ typed for them) between
    two letters become ’; quotes around words and every other character are kept."""
    return _STRAIGHT_BETWEEN_LETTERS.sub(APOSTROPHE, text)


class Civilite(StrEnum):
    """The facilitator's declared civility, which sets « facilitatrice » or « facilitateur »."""

    MADAME = "madame"
    MONSIEUR = "monsieur"


class Article(StrEnum):
    """The definite article a name takes in a sentence; ``AUCUN`` for none."""

    LA = "la"
    LE = "le"
    L = "l’"
    LES = "les"
    AUCUN = ""


_FEMININE = (
    "académie agence association caisse chambre collectivité commune communauté direction "
    "fédération fondation maison mairie métropole mission plateforme préfecture région "
    "société université ville"
)
_MASCULINE = (
    "centre conseil département établissement groupement hôpital institut ministère office "
    "plan pôle rectorat secrétariat service syndicat territoire"
)
_PLURAL = "hospices services"
_ACRONYMS = {
    "ccas": Article.LE,
    "cias": Article.LE,
    "chu": Article.LE,
    "geiq": Article.LE,
    "gip": Article.LE,
    "mde": Article.LA,
    "oph": Article.L,
    "plie": Article.LE,
    "sdis": Article.LE,
}
"""Acronyms whose article is known (« le PLIE », « l’OPH »); other acronyms take none."""

_ARTICLES_BY_WORD: dict[str, Article] = {
    **dict.fromkeys(_FEMININE.split(), Article.LA),
    **dict.fromkeys(_MASCULINE.split(), Article.LE),
    **dict.fromkeys(_PLURAL.split(), Article.LES),
}
_VOWELS = "aeiouyh"
"""Letters a name elides ``le``/``la`` before (the h of the words listed is mute)."""


def first_word(name: str) -> str:
    """The name's first word, as written (``Communauté d’agglomération…`` → ``Communauté``)."""
    return re.split(r"[\s’'\-–,(]", name.strip(), maxsplit=1)[0]


def starts_with_vowel(word: str) -> bool:
    """Whether ``word`` starts with a vowel or an h, accents ignored (``Établissement``)."""
    letter = unicodedata.normalize("NFD", word[:1].lower())[:1]
    return bool(letter) and letter in _VOWELS


def infer_article(name: str) -> Article:
    """The article ``name`` takes, from its first word; ``AUCUN`` when it cannot be told."""
    word = first_word(name).lower()
    if word in _ACRONYMS:
        return _ACRONYMS[word]
    article = _ARTICLES_BY_WORD.get(word, Article.AUCUN)
    if article in (Article.LA, Article.LE) and starts_with_vowel(word):
        return Article.L
    return article
