"""The SIRET: its check (Luhn, with La Poste's exception) and its grouped form.

The same rules as python-stdnum's ``stdnum.fr.siret`` (a test compares them on generated
values), written here because importing stdnum costs a start-up ``pydoc`` and its whole
Unicode table. Like stdnum, the compact form drops spaces and full stops, Unicode ones
included, and reads the Unicode digits stdnum reads (full-width, mathematical).
"""

from __future__ import annotations

import unicodedata
from functools import cache

_DIGIT_STYLES = (
    "FULLWIDTH DIGIT {}",
    "MATHEMATICAL BOLD DIGIT {}",
    "MATHEMATICAL DOUBLE-STRUCK DIGIT {}",
    "MATHEMATICAL SANS-SERIF DIGIT {}",
    "MATHEMATICAL SANS-SERIF BOLD DIGIT {}",
    "MATHEMATICAL MONOSPACE DIGIT {}",
)
_DIGIT_NAMES = ("ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE")
_SEPARATORS = [
    "SPACE",
    "NO-BREAK SPACE",
    "EN QUAD",
    "EM QUAD",
    "EN SPACE",
    "EM SPACE",
    "THREE-PER-EM SPACE",
    "FOUR-PER-EM SPACE",
    "SIX-PER-EM SPACE",
    "FIGURE SPACE",
    "PUNCTUATION SPACE",
    "THIN SPACE",
    "HAIR SPACE",
    "NARROW NO-BREAK SPACE",
    "MEDIUM MATHEMATICAL SPACE",
    "IDEOGRAPHIC SPACE",
    "FULL STOP",
    "MIDDLE DOT",
    "GREEK ANO TELEIA",
    "ARABIC FULL STOP",
    "IDEOGRAPHIC FULL STOP",
    "SYRIAC SUPRALINEAR FULL STOP",
    "SYRIAC SUBLINEAR FULL STOP",
    "SAMARITAN PUNCTUATION NEQUDAA",
    "TIBETAN MARK INTERSYLLABIC TSHEG",
    "TIBETAN MARK DELIMITER TSHEG BSTAR",
    "RUNIC SINGLE PUNCTUATION",
    "BULLET",
    "ONE DOT LEADER",
    "HYPHENATION POINT",
    "WORD SEPARATOR MIDDLE DOT",
    "RAISED DOT",
    "KATAKANA MIDDLE DOT",
    "SMALL FULL STOP",
    "FULLWIDTH FULL STOP",
    "HALFWIDTH KATAKANA MIDDLE DOT",
    "AEGEAN WORD SEPARATOR DOT",
    "PHOENICIAN WORD SEPARATOR",
    "KHAROSHTHI PUNCTUATION DOT",
    "DOT ABOVE",
    "ARABIC SYMBOL DOT ABOVE",
    "ARABIC SYMBOL DOT BELOW",
    "BULLET OPERATOR",
    "DOT OPERATOR",
]
"""The characters stdnum reads as a space or a full stop, both dropped from a SIRET."""

_ASCII_SEPARATORS = str.maketrans("", "", " .")

LA_POSTE = "356000000"
"""La Poste's SIREN: its establishments' SIRET have a sum of digits multiple of 5 instead
of a Luhn check digit (all but its head office, ``LA_POSTE_HEAD_OFFICE``)."""
LA_POSTE_HEAD_OFFICE = "35600000000048"


@cache
def _unicode_table() -> dict[int, str | None]:
    """Unicode digits to ASCII ones, Unicode spaces and full stops to nothing."""
    table: dict[int, str | None] = {ord(unicodedata.lookup(name)): None for name in _SEPARATORS}
    for digit, name in enumerate(_DIGIT_NAMES):
        for style in _DIGIT_STYLES:
            table[ord(unicodedata.lookup(style.format(name)))] = str(digit)
    return table


def compact(value: str) -> str:
    """``732 829 320 00074`` → ``73282932000074``: spaces and full stops dropped, then the
    surrounding whitespace."""
    if value.isascii():
        return value.translate(_ASCII_SEPARATORS).strip()
    return value.translate(_unicode_table()).strip()


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = ord(digit) - 48
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def checked_siret(value: str) -> str | None:
    """The SIRET ``value`` in its compact form, or None if it is not one: 14 digits 0 to 9,
    a valid Luhn check digit (La Poste's: a sum of digits multiple of 5) and a valid SIREN
    in its first nine."""
    number = compact(value)
    if len(number) != 14 or not number.isascii() or not number.isdigit():
        return None
    if number.startswith(LA_POSTE) and number != LA_POSTE_HEAD_OFFICE:
        if sum(map(int, number)) % 5:
            return None
    elif not _luhn_valid(number):
        return None
    return number if _luhn_valid(number[:9]) else None


def grouped(value: str, separator: str = " ") -> str:
    """``73282932000074`` → ``732 829 320 00074``."""
    number = compact(value)
    return separator.join((number[0:3], number[3:6], number[6:9], number[9:]))
