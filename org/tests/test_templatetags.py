from decimal import Decimal

from org.templatetags.aftersales import money, percent


def test_money_rounds_half_up_and_groups_thousands():
    assert money(Decimal("1234.505")) == "¥1,234.51"
    assert money(Decimal("-0.5")) == "-¥0.50"
    assert money(None) == ""


def test_percent_shows_a_dash_for_a_zero_denominator():
    assert percent(None) == "—"
    assert percent(Decimal("0.9375"), 2) == "93.75%"
