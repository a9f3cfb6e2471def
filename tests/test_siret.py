"""clausegen's SIRET check and grouping agree with python-stdnum's ``stdnum.fr.siret``, the
reference it replaces at start-up (Luhn, La Poste's exception, Unicode separators and
digits)."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from stdnum.exceptions import ValidationError
from stdnum.fr import siret as stdnum_siret

from clausegen.inputs.siret import checked_siret, grouped


def stdnum_checked(value: str) -> str | None:
    try:
        return str(stdnum_siret.validate(value))
    except ValidationError:
        return None


def luhn_completed(prefix: str) -> str:
    """``prefix`` and the digit that makes it pass the Luhn check."""
    for digit in "0123456789":
        if stdnum_siret.luhn.is_valid(prefix + digit):
            return prefix + digit
    raise AssertionError(prefix)


DIGITS = st.text(alphabet="0123456789", min_size=13, max_size=13)
ODD = "\u00a0\u202f\u3000\uff10\uff11\U0001d7ce\U0001d7f6\u00b7\u2022\u2010\t\n\r-/, .x١"
"""Characters stdnum reads specially or rejects: Unicode spaces, dots and digits, hyphens,
whitespace, an Arabic-Indic digit (which stdnum does not read as a digit)."""


@given(DIGITS)
def test_a_siret_with_its_luhn_digit_agrees(prefix):
    siren = luhn_completed(prefix[:8])
    value = luhn_completed(siren + prefix[8:12])
    assert checked_siret(value) == stdnum_checked(value) == value


@given(st.text(alphabet="0123456789", min_size=14, max_size=14))
@example("35600000000048")  # La Poste's head office: Luhn
@example("35600000012345")  # La Poste: sum of digits 29, not a multiple of 5
@example("35600000012346")  # sum 30
@example("73282932000074")
@example("73282932000079")
def test_any_fourteen_digits_agree(value):
    assert checked_siret(value) == stdnum_checked(value)


@given(st.text(alphabet=st.sampled_from("0123456789" + ODD), max_size=20))
@example("732 829 320 00074")
@example("732.829.320.00074")
@example(" 73282932000074\n")
@example("７３２８２９３２０００７４")
@example("732\u202f829\u202f320\u202f00074")
@example("73282932000074\n\n")
@example("")
def test_any_text_agrees(value):
    assert checked_siret(value) == stdnum_checked(value)


@pytest.mark.parametrize("value", ["73282932000074", "732 829 320 00074", "7328293200007"])
def test_grouped_agrees(value):
    assert grouped(value) == stdnum_siret.format(value)
    assert grouped(value, "\u00a0") == stdnum_siret.format(value, "\u00a0")


def test_the_check_can_fail():
    assert checked_siret("73282932000079") is None
    assert checked_siret("35600000012345") is None  # La Poste, sum of digits 29
    assert checked_siret("35600000012346") == "35600000012346"  # sum 30


def test_every_unicode_character_stdnum_reads_as_a_digit_space_or_dot_is_read_alike():
    from stdnum.util import _char_map

    read = {char: ascii_ for char, ascii_ in _char_map.items() if ascii_ in "0123456789 ."}
    assert len(read) > 100
    for char, ascii_ in read.items():
        for value in (f"7328293200007{char}4", f"73282932000{char}074", f"{char}73282932000074"):
            assert checked_siret(value) == stdnum_checked(value), (char, ascii_)
