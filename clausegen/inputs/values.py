"""The rules every input value follows, whatever the file or the field it comes from.

- **Numbers** (amounts, hours, rates, counts, lot numbers) are written in decimal notation
  with the ASCII digits 0 to 9: ``1250000``, ``1250000.50``, ``0.07`` (quoted or not). Not
  ``true`` (a yes/no value is never a number), not ``0x1F``, ``190:20:30``, ``1_000``,
  ``1e3`` or full-width ``１２３``, and at most ``MAX_INTEGER_DIGITS`` digits before the
  point and ``MAX_FRACTION_DIGITS`` after it.
- **Text** holds no control character (only tab and line feed) and no character XML cannot
  carry (a lone surrogate, U+FFFE, U+FFFF), and has a bounded length.

Each rule is a pydantic ``BeforeValidator`` or ``AfterValidator`` raising a
``PydanticCustomError`` with a full sentence, so the problem is reported at the field's
path (``lots[0].montant_estime_ht``, ``row 12, column heures``). The readers apply the same
text rule to every string of a file, so that keys and fields of any type follow it too.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

MAX_INTEGER_DIGITS = 12
"""Digits before the decimal point: up to 999 999 999 999 (a thousand billion euros)."""

MAX_FRACTION_DIGITS = 6
"""Digits after the decimal point: enough for any rate (0.0725) or hourly cost."""

MAX_WHOLE_DIGITS = 9
"""Digits of a whole number (a lot number, a duration in months)."""

MAX_TEXT_LENGTH = 10_000
"""Characters of a text (a title, a name, observations): about three pages."""

MAX_CODE_LENGTH = 200
"""Characters of a code, identifier, e-mail address or telephone number."""

ECHO_LENGTH = 60
"""Characters of a wrong value quoted back in an error message."""

_PLAIN_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_PLAIN_WHOLE = re.compile(r"[+-]?[0-9]+")
_ALLOWED_CONTROLS = frozenset("\t\n")


def echo(value: object) -> str:
    """A wrong value as an error quotes it: repr-like, and cut short when long."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return repr(value.isoformat(sep=" "))
    if isinstance(value, date):
        return repr(value.isoformat())
    if isinstance(value, str):
        text = value if len(value) <= ECHO_LENGTH else f"{value[:ECHO_LENGTH]}…"
        return repr(text) if len(value) <= ECHO_LENGTH else f"{text!r} ({len(value)} characters)"
    text = str(value)
    if len(text) > ECHO_LENGTH:
        return f"a number of {len(text)} characters"
    return text


def _number_error(value: object) -> PydanticCustomError:
    return PydanticCustomError(
        "number_notation",
        "must be a number written with the digits 0 to 9 and, for a fraction, a decimal "
        "point, such as 1250000 or 0.07 (got {value})",
        {"value": echo(value)},
    )


def _too_many_digits(value: object, integer_digits: int, fraction_digits: int) -> None:
    if integer_digits > MAX_INTEGER_DIGITS:
        raise PydanticCustomError(
            "number_too_long",
            "must have at most {most} digits before the decimal point (got {value})",
            {"most": MAX_INTEGER_DIGITS, "value": echo(value)},
        )
    if fraction_digits > MAX_FRACTION_DIGITS:
        raise PydanticCustomError(
            "number_too_precise",
            "must have at most {most} digits after the decimal point (got {value})",
            {"most": MAX_FRACTION_DIGITS, "value": echo(value)},
        )


def plain_decimal(value: object) -> object:
    """A number in decimal notation, as a ``Decimal``; NaN and infinities are left for
    pydantic to refuse as not finite."""
    if isinstance(value, bool):
        raise _number_error(value)
    if isinstance(value, int):
        _too_many_digits(value, len(str(abs(value))), 0)
        return Decimal(value)
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            return value
        _, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)
        while exponent < 0 and len(digits) > 1 and digits[-1] == 0:  # 0.0700 is 0.07
            digits, exponent = digits[:-1], exponent + 1
        fraction = max(-exponent, 0)
        _too_many_digits(value, max(len(digits) - fraction, 0) + max(exponent, 0), fraction)
        return value
    if isinstance(value, str):
        text = value.strip()
        if not _PLAIN_DECIMAL.fullmatch(text):
            raise _number_error(value)
        whole, _, fraction = text.lstrip("+-").partition(".")
        _too_many_digits(value, len(whole.lstrip("0")), len(fraction.rstrip("0")))
        return Decimal(text)
    return value  # another type: pydantic says it is not a number


def whole_number(value: object) -> object:
    """A whole number in decimal notation, as an ``int``."""
    if isinstance(value, bool):
        raise _whole_error(value)
    if isinstance(value, str):
        text = value.strip()
        if not _PLAIN_WHOLE.fullmatch(text):
            raise _whole_error(value)
        value = int(text)
    if isinstance(value, Decimal | float):
        raise _whole_error(value)
    if isinstance(value, int) and len(str(abs(value))) > MAX_WHOLE_DIGITS:
        raise PydanticCustomError(
            "number_too_long",
            "must be a whole number of at most {most} digits (got {value})",
            {"most": MAX_WHOLE_DIGITS, "value": echo(value)},
        )
    return value


def _whole_error(value: object) -> PydanticCustomError:
    return PydanticCustomError(
        "whole_number_notation",
        "must be a whole number written with the digits 0 to 9, such as 4 (got {value})",
        {"value": echo(value)},
    )


_FORBIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
    "\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
"""Control characters (Unicode category Cc), lone surrogates, U+FFFE and U+FFFF; and the
invisible characters that reorder or hide text (bidirectional marks, embeddings, overrides
and isolates; zero-width space; a byte-order mark inside a text), which would make a
document print something other than what its reader sees in the input."""


_FORBIDDEN_IN_TEXT = re.compile(_FORBIDDEN.pattern.replace("\x00-\x1f", "\x00-\x08\x0b-\x1f"))
"""``_FORBIDDEN`` but tab and line feed, which a text may hold: one search per text."""


def forbidden_character(text: str, *, allow: frozenset[str] = _ALLOWED_CONTROLS) -> int | None:
    """The position of the first character no document can hold, or None."""
    if allow is _ALLOWED_CONTROLS:
        found = _FORBIDDEN_IN_TEXT.search(text)
        return found.start() if found else None
    if not allow:
        found = _FORBIDDEN.search(text)
        return found.start() if found else None
    for match in _FORBIDDEN.finditer(text):
        if match.group() not in allow:
            return match.start()
    return None


def control_character_message(text: str, index: int) -> str:
    """The sentence for a forbidden character, the same in every file and field."""
    character = text[index]
    kind = "invisible character" if unicodedata.category(character) == "Cf" else "control character"
    return (
        f"contains the {kind} U+{ord(character):04X} at position {index + 1}, "
        "which no document can hold; retype the text without it."
    )


def control_character_error(text: str, index: int) -> PydanticCustomError:
    return PydanticCustomError("control_character", control_character_message(text, index))


def clean_text(value: str) -> str:
    """Refuse a text holding a control character (tab and line feed aside)."""
    index = forbidden_character(value)
    if index is not None:
        raise control_character_error(value, index)
    return value


def clean_code(value: str) -> str:
    """Refuse a code holding any control character, tab and line feed included."""
    index = forbidden_character(value, allow=frozenset())
    if index is not None:
        raise control_character_error(value, index)
    return value


PLAIN_DECIMAL = BeforeValidator(plain_decimal)
"""Put on every ``Decimal`` input field (``Annotated[Decimal, PLAIN_DECIMAL, …]``)."""

WHOLE_NUMBER = BeforeValidator(whole_number)
"""Put on every ``int`` input field (``Annotated[int, WHOLE_NUMBER, …]``)."""

Entier = Annotated[int, WHOLE_NUMBER]
"""A whole number in decimal notation."""

NumeroLot = Annotated[int, WHOLE_NUMBER, Field(ge=1)]
"""A lot number: 1, 2…"""

CLEAN_TEXT = AfterValidator(clean_text)
CLEAN_CODE = AfterValidator(clean_code)
