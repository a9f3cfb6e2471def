"""The French formatters read Babel's locale once per process; they give what Babel's own
calls with the locale name give, value for value (dates: every day of forty years)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent
from hypothesis import given
from hypothesis import strategies as st

from clausegen.documents import formatting as fr

AMOUNTS = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=4, allow_nan=False
)


def test_dates_and_months_are_babels():
    day = date(2000, 1, 1)
    while day < date(2040, 1, 1):
        text = format_date(day, format="d MMMM y", locale="fr_FR").replace(" ", fr.NBSP)
        assert fr.date_fr(day) == (f"1er{text[1:]}" if day.day == 1 else text)
        month = format_date(day, format="MMMM y", locale="fr_FR").replace(" ", fr.NBSP)
        assert fr.month_fr(day) == month
        day += timedelta(days=1)


@given(AMOUNTS)
def test_amounts_numbers_and_rates_are_babels(value):
    assert fr.euros(value) == format_currency(value, "EUR", locale="fr_FR")
    for decimals, exact in ((0, False), (2, False), (2, True), (4, True)):
        fraction = ("#" if exact else "0") * decimals
        pattern = "#,##0" + (f".{fraction}" if decimals else "")
        expected = format_decimal(value, format=pattern, locale="fr_FR")
        assert fr.number(value, decimals, exact=exact) == expected
    expected = format_percent(value, format=f"#,##0.##{fr.NBSP}%", locale="fr_FR")
    assert fr.percent(value) == expected
