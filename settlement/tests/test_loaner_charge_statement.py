"""A loaner's charge, posted to the order at return, is on the customer's statement with its VAT."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import TransitionError
from reception.factories import LoanerFactory
from reception.models import WorkOrder
from reception.services import loaners
from settlement.models import Statement
from settlement.services.settle import order_settle

pytestmark = pytest.mark.django_db


def test_the_statement_total_includes_the_loaner_charge(ready_order, station, alice, cashier):
    car = LoanerFactory(station=station, daily_rate=Decimal("150.00"))
    t0 = timezone.now().replace(microsecond=0) - timedelta(days=3)
    booking = loaners.loaner_book(order=ready_order, loaner=car, by=alice, starts_at=t0,
                                  ends_at=t0 + timedelta(days=3))
    loaners.loaner_hand_out(booking=booking, by=alice, mileage=100, fuel=80, at=t0)
    with pytest.raises(TransitionError):
        order_settle(order=ready_order, by=cashier)  # the loaner is still out
    assert WorkOrder.objects.get(pk=ready_order.pk).status == WorkOrder.Status.READY
    booking = loaners.loaner_return(booking=booking, by=alice, mileage=300, fuel=70, at=t0 + timedelta(days=2, hours=2))
    [statement] = order_settle(order=ready_order, by=cashier)
    # 1.5 h × ¥300 + 2 × ¥68 + ¥500 sublet = ¥1,086, plus the loaner 3 started days × ¥150 = ¥450
    assert statement.payer == "customer" and statement.net == Decimal("1536.00")
    assert statement.vat == Decimal("199.68")  # 13 % of 1,536.00
    assert statement.gross == Decimal("1735.68")
    assert [row["amount"] for row in statement.lines if row["id"] == booking.line_id] == ["450.00"]
    assert Statement.objects.filter(order=ready_order).count() == 1


def test_the_settlement_page_refuses_while_the_loaner_is_out(client_as, ready_order, station, alice, cashier):
    car = LoanerFactory(station=station, plate="沪L09999")
    t0 = timezone.now().replace(microsecond=0)
    booking = loaners.loaner_book(order=ready_order, loaner=car, by=alice, starts_at=t0, ends_at=t0 + timedelta(days=1))
    loaners.loaner_hand_out(booking=booking, by=alice, mileage=100, fuel=80, at=t0)
    response = client_as(cashier).post(reverse("settlement:settle", kwargs={"pk": ready_order.pk}), follow=True)
    assert "沪L09999" in response.content.decode()
    assert WorkOrder.objects.get(pk=ready_order.pk).status == WorkOrder.Status.READY
