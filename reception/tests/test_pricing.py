"""The rounding rules written in reception/services/pricing.py."""

from decimal import Decimal
from types import SimpleNamespace

from reception.services.pricing import amount_of, line_amount, order_totals


def line(kind="part", quantity="1", hours="0", unit_price="0", discount_pct="0", payer="customer",
         approval="approved"):
    return SimpleNamespace(kind=kind, quantity=Decimal(quantity), hours=Decimal(hours), unit_price=Decimal(unit_price),
                           discount_pct=Decimal(discount_pct), payer=payer, approval=approval)


def test_a_line_is_rounded_half_up_to_the_cent():
    # 3 × 0.335 = 1.005 → 1.01 (half up, not banker's)
    assert amount_of(line(quantity="3", unit_price="0.335")) == Decimal("1.01")


def test_a_labour_line_sells_hours_at_the_rate():
    assert amount_of(line(kind="labour", quantity="1", hours="1.5", unit_price="300")) == Decimal("450.00")


def test_a_discount_is_applied_before_rounding_the_line():
    # 99.99 × 0.875 = 87.49125 → 87.49
    assert line_amount(kind="part", quantity=Decimal("1"), hours=Decimal("0"), unit_price=Decimal("99.99"),
                       discount_pct=Decimal("12.5")) == Decimal("87.49")


def test_totals_add_rounded_lines_not_unrounded_parts():
    # each 0.335 × 1 = 0.335 → 0.34; three lines = 1.02 (not round(1.005) = 1.01)
    totals = order_totals([line(unit_price="0.335") for _ in range(3)], vat_rate=Decimal("0"))
    assert totals.net == Decimal("1.02")


def test_vat_is_computed_once_per_payer_total():
    # two lines of 0.05: VAT per line would be 0.01 + 0.01; per total 0.10 × 13% = 0.013 → 0.01
    totals = order_totals([line(unit_price="0.05"), line(unit_price="0.05")], vat_rate=Decimal("0.13"))
    assert totals.by_payer["customer"].vat == Decimal("0.01")
    assert totals.gross == Decimal("0.11")


def test_totals_are_kept_per_payer():
    totals = order_totals(
        [line(unit_price="100"), line(unit_price="50", payer="warranty"), line(kind="labour", hours="2",
                                                                               unit_price="200", payer="warranty")],
        vat_rate=Decimal("0.13"),
    )
    assert totals.by_payer["customer"].net == Decimal("100.00")
    assert totals.by_payer["warranty"].parts == Decimal("50.00")
    assert totals.by_payer["warranty"].labour == Decimal("400.00")
    assert totals.by_payer["warranty"].vat == Decimal("58.50")
    assert totals.gross == Decimal("100.00") + Decimal("13.00") + Decimal("450.00") + Decimal("58.50")
    assert totals.hours == Decimal("2")


def test_proposed_and_declined_lines_do_not_count():
    totals = order_totals([line(unit_price="100"), line(unit_price="70", approval="proposed"),
                           line(unit_price="30", approval="declined")], vat_rate=Decimal("0.13"))
    assert totals.net == Decimal("100.00")


def test_the_discount_given_is_reported_per_payer():
    totals = order_totals([line(unit_price="200", discount_pct="10")], vat_rate=Decimal("0.13"))
    assert totals.by_payer["customer"].discount == Decimal("20.00")
