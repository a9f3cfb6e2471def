"""Rounding: the one place where exact figures become the figures documents show.

Everything upstream is computed exactly in ``Decimal``. The rules:

- insertion hours of a lot: to a whole hour, by the clause's rule (``arrondi``), applied to
  each lot; totals are sums of the rounded lots, so a document's table always adds up;
  ``au_plus_proche`` (default) rounds half up (833,5 h → 834 h), ``au_superieur`` rounds up,
  ``a_l_inferieur`` rounds down;
- full-time equivalents (ETP): to two decimals, half up, once: a lot's ETP from its rounded
  hours, a total ETP from the total hours (never the sum of rounded ETP, which drifts by a
  hundredth or more: 5 850 h ÷ 1 607 = 3,64, not the 3,65 of seven rounded lots);
- rates and shares (0.0523 = 5,23 %): to four decimals of the fraction, half up;
- hours converted from an amount invoiced (subcontracting), and hours per participant: to
  the hundredth, half up, like the hours a ledger holds;
- money (penalties, their cap): to the cent, half up.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from clausegen.inputs.operation import RegleArrondi

_WHOLE = Decimal(1)
_HUNDREDTH = Decimal("0.01")
_TEN_THOUSANDTH = Decimal("0.0001")

_DECIMAL_MODES = {
    RegleArrondi.AU_PLUS_PROCHE: ROUND_HALF_UP,
    RegleArrondi.AU_SUPERIEUR: ROUND_CEILING,
    RegleArrondi.A_L_INFERIEUR: ROUND_FLOOR,
}

RULE_LABELS = {
    RegleArrondi.AU_PLUS_PROCHE: "à l’heure la plus proche, une demi-heure arrondie au-dessus",
    RegleArrondi.AU_SUPERIEUR: "à l’heure supérieure",
    RegleArrondi.A_L_INFERIEUR: "à l’heure inférieure",
}
"""How each rule is stated in French, in traces and documents."""


def round_hours(exact: Decimal, rule: RegleArrondi) -> Decimal:
    """A lot's exact hours to a whole number of hours, by the clause's rule."""
    return exact.quantize(_WHOLE, rounding=_DECIMAL_MODES[rule])


def round_etp(exact: Decimal) -> Decimal:
    """Full-time equivalents to two decimals, half up."""
    return exact.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)


def round_share(exact: Decimal) -> Decimal:
    """A share or rate (a fraction) to four decimals, half up: 5,23 % at most precise."""
    return exact.quantize(_TEN_THOUSANDTH, rounding=ROUND_HALF_UP)


def round_hundredth_hours(exact: Decimal) -> Decimal:
    """Hours converted from an amount (or averaged), to the hundredth of an hour, half up."""
    return exact.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)


def round_euros(exact: Decimal) -> Decimal:
    """An amount of money to the cent, half up."""
    return exact.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)
