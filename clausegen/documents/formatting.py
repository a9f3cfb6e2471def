"""French formatting of amounts, hours, rates and dates (through Babel's fr_FR data).

Thousands are separated by a narrow no-break space and a no-break space comes before € and
%, as French typography wants: ``1 250 000,00 €``, ``7 %``, ``833 h``, ``1er avril 2019``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

LOCALE = "fr_FR"
NBSP = "\u00a0"
NNBSP = "\u202f"
"""Narrow no-break space (espace fine insécable)."""

_TYPOGRAPHY = (
    (re.compile(r" +:(?=\s|$)"), f"{NBSP}:"),
    (re.compile(r" +([;!?])"), f"{NNBSP}\\1"),
    (re.compile(r"« +"), f"«{NBSP}"),
    (re.compile(r" +»"), f"{NBSP}»"),
    (re.compile(r"(\d) +%"), f"\\1{NBSP}%"),
    (re.compile(r"\bn° +"), f"n°{NBSP}"),
)


def euros(value: Decimal) -> str:
    """``1250000`` → ``1 250 000,00 €``."""
    return format_currency(value, "EUR", locale=LOCALE)


def number(value: Decimal, decimals: int = 0, *, exact: bool = False) -> str:
    """A number with French separators; ``exact`` shows up to ``decimals`` only when needed."""
    fraction = ("#" if exact else "0") * decimals
    pattern = "#,##0" + (f".{fraction}" if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def hours(value: Decimal, decimals: int = 0) -> str:
    """``833`` → ``833 h``; with decimals for exact values (``833,33 h``)."""
    return f"{number(value, decimals, exact=True)}{NBSP}h"


def percent(fraction: Decimal) -> str:
    """``0.07`` → ``7 %``; ``0.0523`` → ``5,23 %``."""
    return format_percent(fraction, format=f"#,##0.##{NBSP}%", locale=LOCALE)


def date_fr(value: date) -> str:
    """``2026-09-15`` → ``15 septembre 2026``; the first of a month is ``1er``."""
    text = format_date(value, format="d MMMM y", locale=LOCALE)
    return f"1er{text[1:]}" if value.day == 1 else text


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
        return f"{euros(value)} HT"
    if unit == "h":
        return hours(value, 2)
    if unit is None and value <= 1:
        return percent(value)
    suffix = f"{NBSP}{unit}" if unit else ""
    return f"{number(value, 4, exact=True)}{suffix}"


def typographie(text: str) -> str:
    """French spacing: no-break space before ``:`` and inside « », narrow no-break space
    before ``;`` ``!`` ``?``, no-break space in ``50 %`` and after ``n°``."""
    for pattern, replacement in _TYPOGRAPHY:
        text = pattern.sub(replacement, text)
    return text
