"""Delivery (交车): the checklist and payment guard; insurance claims (事故车) until the insurer pays."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.errors import DomainError, TransitionError
from reception.factories import WorkOrderFactory, labour_line
from reception.models import WorkOrder
from settlement.models import Delivery
from settlement.services.delivery import delivery_checklist_save, order_deliver
from settlement.services.insurance import insurance_claim_save, insurance_payment_record
from settlement.services.payments import payment_record
from settlement.services.settle import order_settle

pytestmark = pytest.mark.django_db
D = Decimal
CHECKLIST = {"work_explained": True, "old_parts": "returned", "invoice_explained": True,
             "next_service_date": date(2027, 5, 1), "next_service_km": 42000}


@pytest.fixture
def settled(ready_order, cashier):
    order_settle(order=ready_order, by=cashier)
    ready_order.refresh_from_db()
    return ready_order


def _pay(order, cashier):
    statement = order.statements.get(payer="customer")
    payment_record(statement=statement, by=cashier, method="card", amount=statement.due)


def test_a_paid_order_with_a_complete_checklist_is_handed_over(settled, cashier, alice):
    _pay(settled, cashier)
    delivery_checklist_save(order=settled, by=alice, **CHECKLIST)
    order = order_deliver(order=settled, by=alice)
    assert order.status == WorkOrder.Status.DELIVERED and order.delivered_at
    delivery = Delivery.objects.get(order=order)
    assert delivery.handed_over_at == order.delivered_at and delivery.handed_over_by == alice


@pytest.mark.parametrize("missing", ["work_explained", "invoice_explained", "old_parts", "next_service"])
def test_an_incomplete_checklist_blocks_delivery(settled, cashier, alice, missing):
    _pay(settled, cashier)
    data = dict(CHECKLIST)
    if missing == "next_service":
        data.update(next_service_date=None, next_service_km=None)
    else:
        data[missing] = "" if missing == "old_parts" else False
    delivery_checklist_save(order=settled, by=alice, **data)
    with pytest.raises(TransitionError, match="checklist"):
        order_deliver(order=settled, by=alice)


def test_an_unpaid_customer_balance_blocks_delivery(settled, alice):
    delivery_checklist_save(order=settled, by=alice, **CHECKLIST)
    with pytest.raises(TransitionError, match="owes"):
        order_deliver(order=settled, by=alice)


def test_a_ready_order_cannot_skip_settlement(ready_order, alice):
    delivery_checklist_save(order=ready_order, by=alice, **CHECKLIST)
    with pytest.raises(TransitionError):
        order_deliver(order=ready_order, by=alice)


def test_technicians_cannot_hand_over(settled, cashier, alice, bob):
    _pay(settled, cashier)
    delivery_checklist_save(order=settled, by=alice, **CHECKLIST)
    with pytest.raises(TransitionError):
        order_deliver(order=settled, by=bob)


def test_the_checklist_is_closed_after_delivery(settled, cashier, alice):
    _pay(settled, cashier)
    delivery_checklist_save(order=settled, by=alice, **CHECKLIST)
    order_deliver(order=settled, by=alice)
    settled.refresh_from_db()
    with pytest.raises(DomainError):
        delivery_checklist_save(order=settled, by=alice, **CHECKLIST)


def test_the_insurers_share_is_tracked_until_paid(station, alice, cashier, clerk, issued):
    order = WorkOrderFactory(ready=True, station=station, advisor=alice)
    labour_line(order, hours="5.00", price="300.00", payer="insurance")  # 1500 net, 1695 gross
    claim = insurance_claim_save(order=order, by=clerk, insurer="平安保险", policy_number="P-1", claim_number="B-9",
                                 assessed_amount=D("1695.00"), deductible=D("500.00"))
    assert claim.insurer_share == D("1195.00") and claim.outstanding == D("1195.00")
    order_settle(order=order, by=cashier)
    with pytest.raises(DomainError):  # frozen once settled
        insurance_claim_save(order=order, by=clerk, insurer="平安保险", policy_number="P-1", claim_number="B-9",
                             assessed_amount=D("2000.00"), deductible=D("0"))
    insurance_payment_record(claim=claim, by=clerk, amount=D("1000.00"))
    claim.refresh_from_db()
    assert claim.outstanding == D("195.00") and not claim.is_paid
    with pytest.raises(DomainError):
        insurance_payment_record(claim=claim, by=clerk, amount=D("195.01"))
    insurance_payment_record(claim=claim, by=clerk, amount=D("195.00"))
    claim.refresh_from_db()
    assert claim.is_paid


def test_the_assessment_must_cover_the_insurance_lines_and_the_deductible(station, alice, cashier, clerk, issued):
    order = WorkOrderFactory(ready=True, station=station, advisor=alice)
    labour_line(order, hours="5.00", price="300.00", payer="insurance")
    with pytest.raises(DomainError):
        insurance_claim_save(order=order, by=clerk, insurer="平安", policy_number="P", claim_number="C",
                             assessed_amount=D("100"), deductible=D("200"))
    insurance_claim_save(order=order, by=clerk, insurer="平安", policy_number="P", claim_number="C",
                         assessed_amount=D("1000"), deductible=D("0"))
    with pytest.raises(TransitionError, match="exceed"):
        order_settle(order=order, by=cashier)
