"""French formatting of amounts, hours, rates and dates (through Babel's fr_FR data).

The locale, its month names and the number patterns are read once per process, when first
used: a document formats dozens of values, and Babel would otherwise look the locale up for
each (a balance formatted about sixty). ``num2words`` is imported by the two functions that
write numbers in words, its only users.

Thousands are separated by a narrow no-break space and a no-break space comes before € and
%, as French typography wants: ``1 250 000,00 €``, ``7 %``, ``833 h``, ``1er avril 2019``.
Every value a formatter returns holds together on a line by itself: a date, an amount with
its ``HT``, a SIRET, a consultation reference (non-breaking hyphens, U+2011). The fixed text
of fragments gets the same rules from ``typographie`` once rendered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from babel.core import Locale
from babel.numbers import format_currency, format_decimal, format_percent, parse_pattern
from stdnum.fr import siret as stdnum_siret

if TYPE_CHECKING:
    from babel.numbers import NumberPattern

from clausegen.inputs.french import APOSTROPHE, Article, first_word, starts_with_vowel

LOCALE = "fr_FR"
NBSP = "\u00a0"
NNBSP = "\u202f"
"""Narrow no-break space (espace fine insécable)."""
NBHYPHEN = "\u2011"
"""Non-breaking hyphen: Word and LibreOffice draw it with the font's own hyphen (LibreOffice
does even where the font has no U+2011 glyph, as Liberation Sans) and PDF text extraction
reads it as ``-``."""

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
UNITS = r"heures?|h|jours?|semaines?|mois|ans?|ETP"
"""Units written after a number, kept on its line (``2 007 heures``, ``15 jours``)."""
REFERENCE_WORDS = r"articles?|lots?|annexes?|alinéas?"
"""Words a number follows in a reference, kept on its line (``article L2112-2``, ``lot 7``)."""


ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b(?:https?://|www\.)[^\s«»<>]+[\w/]")
"""An e-mail or web address: its hyphens are non-breaking, so no line ends at one (a
reader could not tell whether it belongs to the address)."""


def _unbroken(match: re.Match[str]) -> str:
    return match.group().replace("-", NBHYPHEN)


@cache
def _typography() -> tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...]:
    """``typographie``'s rules, compiled when first used: a document's text needs them, the
    tables that ``calibrate`` prints do not."""
    return (
        (
            re.compile(
                r"(?<![\d.,])(\d{1,3}) "
                r"(?=\d{3}(?:[ \u00a0]\d{3})*(?:,\d+)? ?(?:heures?|h|€|ETP)(?!\w))"
            ),
            f"\\1{NNBSP}",
        ),
        (re.compile(r" +:(?=\s|$)"), f"{NBSP}:"),
        (re.compile(r" +([;!?])"), f"{NNBSP}\\1"),
        (re.compile(r"(?<![^\s«(])< +(?=\d)"), f"<{NBSP}"),
        (re.compile(r"« +"), f"«{NBSP}"),
        (re.compile(r" +»"), f"{NBSP}»"),
        (re.compile(r"(\d) +%"), f"\\1{NBSP}%"),
        (re.compile(r"\bn° +"), f"n°{NBSP}"),
        (re.compile(r"€ +(HT|TTC)\b"), f"€{NBSP}\\1"),
        (re.compile(rf"\b(1er|\d{{1,2}}) +({MONTHS})\b"), f"\\1{NBSP}\\2"),
        (re.compile(rf"\b({MONTHS}) +(\d{{4}})\b"), f"\\1{NBSP}\\2"),
        (re.compile(rf"(\d) +({UNITS})\b"), f"\\1{NBSP}\\2"),
        (re.compile(r"(\d) +€"), f"\\1{NBSP}€"),
        (re.compile(rf"\b({REFERENCE_WORDS}) +(?=[A-Z]?\d)", re.IGNORECASE), f"\\1{NBSP}"),
        (re.compile(r"\bSIRET +(?=\d)"), f"SIRET{NBSP}"),
        (re.compile(r"\bCCAG-(?=\w)"), f"CCAG{NBHYPHEN}"),
        (ADDRESS, _unbroken),
    )


@cache
def _locale() -> Locale:
    """fr_FR, parsed once."""
    return Locale.parse(LOCALE)


@cache
def _pattern(pattern: str) -> NumberPattern:
    """A number pattern, parsed once."""
    return parse_pattern(pattern)


@cache
def _month_names() -> dict[int, str]:
    """The months' names as a date shows them (``MMMM``: « septembre »)."""
    return dict(_locale().months["format"]["wide"])


def euros(value: Decimal) -> str:
    """``1250000`` → ``1 250 000,00 €``."""
    return format_currency(value, "EUR", locale=_locale())


def euros_ht(value: Decimal) -> str:
    """``60`` → ``60,00 € HT``, the ``HT`` kept on the amount's line."""
    return f"{euros(value)}{NBSP}HT"


def number(value: Decimal, decimals: int = 0, *, exact: bool = False) -> str:
    """A number with French separators; ``exact`` shows up to ``decimals`` only when needed."""
    fraction = ("#" if exact else "0") * decimals
    pattern = "#,##0" + (f".{fraction}" if decimals else "")
    return format_decimal(value, format=_pattern(pattern), locale=_locale())


def hours(value: Decimal, decimals: int = 0) -> str:
    """``833`` → ``833 h``; with decimals for exact values (``833,33 h``)."""
    return f"{number(value, decimals, exact=True)}{NBSP}h"


def etp_definition(divisors: Sequence[Decimal]) -> str:
    """What an ETP is, with the yearly full-time hours it is counted in (each divisor's
    value, read from its parameter), whatever the contract's duration: « ETP : heures
    rapportées à 1 607 heures, durée annuelle d’un temps plein (1 ETP = un an de travail à
    temps plein, quelle que soit la durée du marché) » (with two divisors, « 1 607 ou
    1 820 heures selon la clause de l’opération »)."""
    values = sorted(set(divisors))
    bases = " ou ".join(number(value) for value in values)
    which = " selon la clause de l’opération" if len(values) > 1 else ""
    return (
        f"ETP : heures rapportées à {bases} heures{which}, durée annuelle d’un temps plein "
        "(1 ETP = un an de travail à temps plein, quelle que soit la durée du marché)"
    )


def percent(fraction: Decimal, two_decimals: bool = False) -> str:
    """``0.07`` → ``7 %``; ``0.0523`` → ``5,23 %``; with ``two_decimals``, ``0.676`` →
    ``67,60 %`` (rates printed side by side)."""
    digits = "00" if two_decimals else "##"
    return format_percent(fraction, format=_pattern(f"#,##0.{digits}{NBSP}%"), locale=_locale())


def date_fr(value: date) -> str:
    """``2026-09-15`` → ``15 septembre 2026``, with no-break spaces; the first is ``1er``
    (Babel's ``d MMMM y``, its month names)."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day}{NBSP}{month_fr(value)}"


def date_short(value: date) -> str:
    """``2027-04-10`` → ``10/04/2027``, for a narrow table column."""
    return f"{value:%d/%m/%Y}"


def month_fr(value: date) -> str:
    """``2027-03-01`` → ``mars 2027``, with a no-break space (Babel's ``MMMM y``)."""
    return f"{_month_names()[value.month]}{NBSP}{value.year}"


def in_words(value: int) -> str:
    """``8`` → ``huit``, as a contract writes a small count (« huit jours »)."""
    from num2words import num2words

    return str(num2words(value, lang="fr"))


def ordinal_in_words(value: int) -> str:
    """``10`` → ``dixième``, ``1`` → ``premier`` (« le dixième jour du mois suivant »)."""
    from num2words import num2words

    return str(num2words(value, lang="fr", to="ordinal"))


def quarter_fr(start: date) -> str:
    """The calendar quarter starting ``start``: ``1er trimestre 2027``, ``2e trimestre 2027``."""
    number_ = (start.month - 1) // 3 + 1
    return f"{'1er' if number_ == 1 else f'{number_}e'}{NBSP}trimestre{NBSP}{start.year}"


def siret(value: str) -> str:
    """``81234567600017`` → ``812 345 676 00017``, its groups joined by no-break spaces."""
    return stdnum_siret.format(value).replace(" ", NBSP)


def unbreakable(value: str) -> str:
    """A consultation reference (``AGGLO-2026-SRV-017``), a telephone number or an e-mail
    address as one unbreakable word: non-breaking hyphens and no-break spaces."""
    return value.replace("-", NBHYPHEN).replace(" ", NBSP)


def lot_label(numero: int | str, intitule: str) -> str:
    """« 3 – Menuiseries extérieures », as a narrow table cell prints it: the number kept
    with its dash, and a no-break space before every dash of the title, so that no line of
    the cell ends at « 3 – » alone or starts with « – chauffage »."""
    return f"{numero}{NBSP}– {intitule.replace(' – ', f'{NBSP}– ')}"


def with_article(name: str, article: Article) -> str:
    """« la Ville de Carcassonne », « l’Office… », « Montpellier Méditerranée Métropole »."""
    if article is Article.AUCUN:
        return name
    if article is Article.L:
        return f"{article.value}{name}"
    return f"{article.value} {name}"


def de_name(name: str, article: Article) -> str:
    """« de la Ville… », « du Département… », « de l’Office… », « des Hospices… », « de
    Montpellier… », « d’Est Ensemble »."""
    if article is Article.LE:
        return f"du {name}"
    if article is Article.LES:
        return f"des {name}"
    if article is Article.AUCUN:
        elided = starts_with_vowel(first_word(name)) and name[:1].lower() != "h"
        return f"d{APOSTROPHE}{name}" if elided else f"de {name}"
    return f"de {with_article(name, article)}"


def a_name(name: str, article: Article) -> str:
    """« à la Ville… », « au Département… », « à l’Office… », « aux Hospices… »."""
    if article is Article.LE:
        return f"au {name}"
    if article is Article.LES:
        return f"aux {name}"
    return f"à {with_article(name, article)}"


def quantity(value: Decimal | bool | str, unit: str | None) -> str:
    """Any traced value with its unit, as the French explanation shows it."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, str):
        return value
    if unit == "oui/non":
        return "oui" if value else "non"
    if unit == "EUR":
        return euros(value)
    if unit == "EUR/h":
        return f"{euros(value)}/h"
    if unit == "EUR HT":
        return euros_ht(value)
    if unit == "h":
        return hours(value, 2)
    if unit is None and value <= 1:
        return percent(value)
    suffix = f"{NBSP}{unit}" if unit else ""
    return f"{number(value, 4, exact=True)}{suffix}"


def typographie(text: str) -> str:
    """French spacing of rendered text: no-break space before ``:`` and inside « », narrow
    no-break space before ``;`` ``!`` ``?``; no-break space after ``<`` before a number
    (``< 5``, a count under the secrecy threshold), in ``50 %``, after ``n°``, in
    ``€ HT``, inside a date (``31 décembre 2029``), between a number and its unit
    (``2 007 heures``, ``720 h``, ``15 jours``), between a reference word and its number
    (``article L2112-2``, ``lot 7``, ``SIRET 812…``); non-breaking hyphens in ``CCAG-…`` and
    in e-mail and web addresses (``clauses.sociales@mde-carcassonne.example.fr``)."""
    for pattern, replacement in _typography():
        text = pattern.sub(replacement, text)
    return text
