"""Money: rounding per line, per payer total, VAT once per payer, payer splits, the insurance deductible."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reception.factories import WorkOrderFactory, labour_line, part_line
from reception.services.pricing import line_amount, order_totals
from settlement.models import Statement
from settlement.services.insurance import insurance_claim_save
from settlement.services.settle import order_settle

D = Decimal


def test_a_line_is_rounded_half_up_to_the_cent_after_discount():
    # 3 × 33.33 × (1 − 12.5 %) = 87.49125 → 87.49 ; 1 × 0.125 → 0.13 (half-up, not banker's)
    assert line_amount(kind="part", quantity=D("3"), hours=D("0"), unit_price=D("33.33"), discount_pct=D("12.5")) == D(
        "87.49")
    assert line_amount(kind="part", quantity=D("1"), hours=D("0"), unit_price=D("0.125"), discount_pct=D("0")) == D(
        "0.13")


def test_labour_sells_hours_not_quantity():
    assert line_amount(kind="labour", quantity=D("3"), hours=D("1.25"), unit_price=D("300"), discount_pct=D("0")) == D(
        "375.00")


@pytest.mark.django_db
def test_totals_add_rounded_lines_and_take_vat_once_per_payer(station, alice, issued):
    order = WorkOrderFactory(ready=True, station=station, advisor=alice)
    # three lines of 0.335 each: rounded per line 0.34 × 3 = 1.02 (not round(1.005) = 1.01)
    lines = [part_line(order, qty="1", price="0.335") for _ in range(3)]
    totals = order_totals(lines, vat_rate=D("0.13"))
    assert totals.by_payer["customer"].net == D("1.02")
    assert totals.by_payer["customer"].vat == D("0.13")  # 1.02 × 0.13 = 0.1326 → 0.13
    assert totals.gross == D("1.15")


@pytest.mark.django_db
def test_settlement_splits_lines_by_payer_into_one_statement_each(station, alice, cashier, issued):
    order = WorkOrderFactory(ready=True, station=station, advisor=alice)
    labour_line(order, hours="2.00", price="300.00", payer="customer", discount_pct=D("10"))  # 540.00
    labour_line(order, hours="1.30", price="240.00", payer="warranty")  # 312.00
    filt = part_line(order, qty="1", price="68.00", payer="warranty")
    inner = part_line(order, qty="3", price="12.50", payer="internal")  # 37.50
    issued({filt: 1, inner: 3})
    statements = {s.payer: s for s in order_settle(order=order, by=cashier)}
    assert set(statements) == {"customer", "warranty", "internal"}
    customer = statements["customer"]
    assert (customer.labour, customer.discount, customer.net) == (D("540.00"), D("60.00"), D("540.00"))
    assert (customer.vat, customer.gross, customer.due) == (D("70.20"), D("610.20"), D("610.20"))
    assert statements["warranty"].net == D("380.00")
    assert statements["warranty"].vat == D("49.40")
    assert statements["internal"].gross == D("42.38")  # 37.50 × 1.13 = 42.375 → 42.38
    assert sum(s.net for s in statements.values()) == D("957.50")
    assert all(s.lines for s in statements.values())


@pytest.mark.django_db
def test_the_deductible_moves_from_the_insurer_to_the_customer(station, alice, cashier, clerk, issued):
    order = WorkOrderFactory(ready=True, station=station, advisor=alice)
    labour_line(order, hours="4.00", price="300.00", payer="insurance")  # 1200.00, gross 1356.00
    insurance_claim_save(order=order, by=clerk, insurer="中国人保", policy_number="PDAA2026", claim_number="RC-1",
                         assessed_amount=D("1356.00"), deductible=D("300.00"))
    statements = {s.payer: s for s in order_settle(order=order, by=cashier)}
    assert statements["insurance"].gross == D("1356.00")
    assert statements["insurance"].due == D("1056.00")
    assert statements["customer"].due == D("300.00")
    assert statements["customer"].adjustment == D("300.00")
    assert Statement.objects.filter(order=order).count() == 2
