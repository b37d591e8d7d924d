"""A loaner's charge is posted to its work order at return (a customer-pay line, days × rate); a free loaner posts
nothing; a loaner with a charge cannot come back against an order already closed, and the order settles only when
no loaner is out."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from core.errors import DomainError, TransitionError
from reception.factories import labour_line
from reception.models import LoanerBooking, WorkOrder, WorkOrderEvent, WorkOrderLine
from reception.services import loaners, orders
from reception.services.pricing import order_totals

pytestmark = pytest.mark.django_db


def _out(order, car, alice, t0) -> LoanerBooking:
    booking = loaners.loaner_book(order=order, loaner=car, by=alice, starts_at=t0, ends_at=t0 + timedelta(days=2))
    return loaners.loaner_hand_out(booking=booking, by=alice, mileage=100, fuel=80, at=t0)


def test_the_charge_is_posted_to_the_order_as_a_customer_pay_line(order, car, alice, t0):
    labour_line(order, hours="1", price="300.00")
    booking = _out(order, car, alice, t0)
    # 2 days and 1 hour: three started days at ¥150
    booking = loaners.loaner_return(booking=booking, by=alice, mileage=180, fuel=70,
                                    at=t0 + timedelta(days=2, hours=1))
    assert booking.charge == Decimal("450.00")
    line = booking.line
    assert (line.order, line.payer, line.approval) == (order, "customer", WorkOrderLine.Approval.APPROVED)
    assert (line.quantity, line.unit_price, line.is_additional) == (Decimal("3"), Decimal("150.00"), False)
    assert "沪L00007" in line.description
    totals = order_totals(list(order.lines.all()), vat_rate=Decimal("0.13"))
    assert totals.net == Decimal("750.00")  # ¥300 labour + ¥450 loaner
    assert totals.gross == Decimal("847.50")  # 750 + 97.50 VAT, like every other line
    assert WorkOrderEvent.objects.filter(order=order, kind="line_added", note=line.description, by=alice).exists()


def test_a_free_loaner_posts_nothing(order, car, alice, carol, t0):
    booking = _out(order, car, alice, t0)
    loaners.loaner_make_free(booking=booking, by=carol, reason="客户投诉补偿")
    booking = loaners.loaner_return(booking=booking, by=alice, mileage=150, fuel=80, at=t0 + timedelta(days=1))
    assert booking.charge == 0 and booking.line is None
    assert not order.lines.exists()


def test_the_charge_line_is_not_removed_like_other_lines(order, car, alice, t0):
    booking = loaners.loaner_return(booking=_out(order, car, alice, t0), by=alice, mileage=150, fuel=80,
                                    at=t0 + timedelta(hours=5))
    with pytest.raises(DomainError) as exc:
        orders.line_remove(line=booking.line, by=alice)
    assert exc.value.field == "line"


def test_an_order_settles_only_when_its_loaner_is_back(order, car, alice, t0):
    booking = _out(order, car, alice, t0)
    with pytest.raises(TransitionError) as exc:
        loaners.loaners_returned(order=order, by=alice)
    assert "沪L00007" in exc.value.message
    loaners.loaner_return(booking=booking, by=alice, mileage=150, fuel=80, at=t0 + timedelta(hours=5))
    loaners.loaners_returned(order=order, by=alice)  # nothing out: no refusal


def test_a_return_with_a_charge_against_a_settled_order_is_refused_and_changes_nothing(order, car, alice, carol, t0):
    booking = _out(order, car, alice, t0)
    WorkOrder.objects.filter(pk=order.pk).update(status=WorkOrder.Status.SETTLED)
    with pytest.raises(DomainError) as exc:
        loaners.loaner_return(booking=booking, by=alice, mileage=150, fuel=80, at=t0 + timedelta(hours=5))
    assert order.number in exc.value.message and "free of charge" in exc.value.message
    booking.refresh_from_db()
    assert booking.status == LoanerBooking.Status.OUT and not order.lines.exists()
    loaners.loaner_make_free(booking=booking, by=carol, reason="结算后归还")
    booking = loaners.loaner_return(booking=booking, by=alice, mileage=150, fuel=80, at=t0 + timedelta(hours=5))
    assert booking.status == LoanerBooking.Status.RETURNED and booking.line is None


def test_the_return_page_posts_the_charge_and_shows_a_refusal(client_as, order, car, alice, t0):
    booking = _out(order, car, alice, t0)
    WorkOrder.objects.filter(pk=order.pk).update(status=WorkOrder.Status.DELIVERED)
    url = reverse("reception:loaner_return", args=[booking.pk])
    response = client_as(alice).post(url, {"in-mileage": 150, "in-fuel": 80})
    assert response.status_code == 400 and order.number in response.content.decode()
    WorkOrder.objects.filter(pk=order.pk).update(status=WorkOrder.Status.READY)
    assert client_as(alice).post(url, {"in-mileage": 150, "in-fuel": 80}).status_code == 302
    booking.refresh_from_db()
    assert booking.line.order_id == order.pk and booking.line.unit_price * booking.line.quantity == booking.charge
