"""Issue 13 item 6: nobody edits their own authority limits; the next person up does, and every change is recorded."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from org.factories import StaffFactory
from org.models import AuthorityLimit, AuthorityLimitChange
from reception.factories import CustomerFactory, VehicleFactory
from reception.models import DiscountApproval
from reception.services import orders


def _limits(client, **changes):
    rows = client.get(reverse("org:authority")).context["rows"]
    data = {}
    for _label, form, position in rows:
        for name in ("max_discount_pct", "max_goodwill", "max_complaint_severity"):
            data[f"{position}-{name}"] = form.initial[name]
    data.update(changes)
    return data


@pytest.fixture
def director(station):
    return StaffFactory(username="boss", position="group_director", station=None, group=station.group)


def test_a_station_manager_cannot_raise_his_own_limit(client_as, carol):
    client = client_as(carol)
    response = client.post(reverse("org:authority"), _limits(client, **{"station_manager-max_discount_pct": "60"}))
    assert response.status_code == 400
    assert "next person up" in response.content.decode()
    assert not AuthorityLimit.objects.exists() and not AuthorityLimitChange.objects.exists()


def test_the_own_row_is_shown_read_only(client_as, carol):
    body = client_as(carol).get(reverse("org:authority")).content.decode()
    own = body[body.index('name="station_manager-max_discount_pct"'):]
    assert "readonly" in own[:own.index(">")]
    below = body[body.index('name="service_advisor-max_discount_pct"'):]
    assert "readonly" not in below[:below.index(">")]


def test_a_station_manager_sets_the_limits_of_the_people_below_him(client_as, carol, station):
    client = client_as(carol)
    response = client.post(reverse("org:authority"), _limits(client, **{"service_advisor-max_discount_pct": "8"}))
    assert response.status_code == 302
    change = AuthorityLimitChange.objects.get()
    assert (change.by, change.position, change.before_discount_pct, change.after_discount_pct) == (
        carol, "service_advisor", Decimal("5.00"), Decimal("8.00"))


def test_the_group_director_raises_the_managers_limit_and_it_is_recorded(client_as, carol, director, station):
    client = client_as(director)
    client.post(reverse("switch_station"), {"station": station.pk})
    response = client.post(reverse("org:authority"), _limits(client, **{"station_manager-max_discount_pct": "40"}))
    assert response.status_code == 302
    assert AuthorityLimit.objects.get(station=station, position="station_manager").max_discount_pct == Decimal("40")
    change = AuthorityLimitChange.objects.get()
    assert change.by == director and change.before_discount_pct == Decimal("30.00")
    page = client_as(carol).get(reverse("org:authority")).content.decode()
    assert "limit-changes" in page and "40.00%" in page


def test_after_a_refused_raise_the_manager_cannot_approve_a_50_percent_discount(client_as, alice, carol, station):
    client = client_as(carol)
    client.post(reverse("org:authority"), _limits(client, **{"station_manager-max_discount_pct": "60"}))
    customer = CustomerFactory(station=station)
    order = orders.order_receive(station=station, by=alice, customer=customer,
                                 vehicle=VehicleFactory(station=station, owner=customer), concerns=["保养"])
    line = orders.line_add_sublet(order=order, by=alice, description="钣金", unit_price=Decimal("1000"))
    client_as(alice).post(reverse("reception:line_edit", args=[order.pk, line.pk]), {
        "payer": "customer", "quantity": "1", "hours": "0", "discount_pct": "50", "reason": "朋友"})
    request = DiscountApproval.objects.get()
    assert request.approver != carol
    response = client_as(carol).post(reverse("reception:approval_decide", args=[request.pk]), {"approve": "1"})
    assert response.status_code == 400
    request.refresh_from_db()
    line.refresh_from_db()
    assert request.status == DiscountApproval.Status.PENDING and line.discount_pct == Decimal("0")
