"""core.money: cents half-up, totals of rounded amounts, ¥ text, and amounts in Chinese capitals for receipts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template

from core.money import amount_in_capitals, money_text, percent_text, to_cents, total

D = Decimal


def test_cents_round_half_up_not_to_even():
    assert to_cents(D("0.125")) == D("0.13")
    assert to_cents(D("0.135")) == D("0.14")
    assert to_cents(D("-2.345")) == D("-2.35")
    assert to_cents("7") == D("7.00")


def test_a_total_adds_the_rounded_amounts():
    # 3 × 0.005 would round to 0.02 if summed first; the house sums rounded amounts: 0.01 + 0.01 + 0.01
    assert total([D("0.005"), D("0.005"), D("0.005")]) == D("0.03")
    assert total([]) == D("0.00")


def test_money_text_groups_thousands_and_keeps_the_sign():
    assert money_text(D("1234.505")) == "¥1,234.51"
    assert money_text(D("-0.5")) == "-¥0.50"
    assert money_text(None) == "" and money_text("") == ""
    assert money_text("n/a") == "n/a"


def test_percent_text_shows_a_dash_for_no_denominator():
    assert percent_text(D("0.125")) == "12.5%"
    assert percent_text(None) == "—"


@pytest.mark.parametrize("amount,words", [
    ("1227.18", "壹仟贰佰贰拾柒元壹角捌分"), ("1005.00", "壹仟零伍元整"), ("100000", "壹拾万元整"),
    ("10010.50", "壹万零壹拾元伍角"), ("0.05", "伍分"), ("208.07", "贰佰零捌元零柒分"), ("0", "零元整"),
    ("30000500", "叁仟万零伍佰元整"), ("-12.30", "负壹拾贰元叁角"), ("100000000", "壹亿元整"),
])
def test_amounts_in_chinese_capitals_for_receipts(amount, words):
    assert amount_in_capitals(D(amount)) == words


@pytest.mark.parametrize("library", ["money", "aftersales"])
def test_the_money_filters_load_from_core_and_from_the_old_library(library):
    html = Template("{% load " + library + " %}{{ a|money }} {{ r|percent:2 }}").render(
        Context({"a": D("1234.5"), "r": D("0.9375")}))
    assert html == "¥1,234.50 93.75%"
