"""The loaner booking form picks its car by typing (no <select> of the fleet), and each suggestion says whether the
car is free for the period asked."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reception import selectors
from reception.factories import LoanerBookingFactory, LoanerFactory
from reception.models import Loaner, LoanerBooking

pytestmark = pytest.mark.django_db
FMT = "%Y-%m-%dT%H:%M"


@pytest.fixture
def t0():
    return timezone.now().replace(second=0, microsecond=0) + timedelta(days=1)


@pytest.fixture
def fleet(station, other_station, order, t0):
    taken = LoanerFactory(station=station, plate="沪L10001", model_name="Golf")
    free = LoanerFactory(station=station, plate="沪L10002", model_name="Golf", daily_rate=Decimal("150.00"))
    LoanerFactory(station=station, plate="沪L10003", model_name="Golf", active=False)  # out of service
    LoanerFactory(station=other_station, plate="沪L10004", model_name="Golf")
    LoanerBookingFactory(loaner=taken, order=order, starts_at=t0, ends_at=t0 + timedelta(hours=8))
    # a booking of the free car that ends before the period asked: no clash
    LoanerBookingFactory(loaner=free, order=order, starts_at=t0 - timedelta(hours=5), ends_at=t0)
    return taken, free


def test_the_pick_shows_the_stations_cars_in_service_free_ones_first(station, fleet, order, t0,
                                                                      django_assert_num_queries):
    taken, free = fleet
    with django_assert_num_queries(2):
        cars = selectors.pick_loaners(station, "沪l100", start=t0 + timedelta(hours=1), end=t0 + timedelta(hours=3))
    assert [c.plate for c in cars] == ["沪L10002", "沪L10001"]
    assert cars[0].clash is None and cars[1].clash.order == order
    later = selectors.pick_loaners(station, "golf", start=t0 + timedelta(hours=8), end=t0 + timedelta(hours=9))
    assert [c.clash for c in later] == [None, None]  # both free once the first booking has ended
    assert selectors.pick_loaners(station, "") == []


def test_a_cancelled_booking_does_not_take_the_car(station, fleet, t0):
    taken, _free = fleet
    LoanerBooking.objects.filter(loaner=taken).update(status=LoanerBooking.Status.CANCELLED)
    cars = selectors.pick_loaners(station, "10001", start=t0, end=t0 + timedelta(hours=1))
    assert cars[0].clash is None


def test_the_suggestions_say_whether_each_car_is_free_for_the_period(client_as, alice, fleet, order, t0):
    local = timezone.localtime(t0)
    response = client_as(alice).get(reverse("reception:pick_loaners"), {
        "q": "沪L", "starts_at": (local + timedelta(hours=1)).strftime(FMT),
        "ends_at": (local + timedelta(hours=2)).strftime(FMT)})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("沪L10002") < html.index("沪L10001") and "沪L10003" not in html and "沪L10004" not in html
    assert "free then" in html and f"taken then: order {order.number}" in html and "¥150.00/day" in html
    # without a period (or an unreadable one) the cars are shown without availability
    html = client_as(alice).get(reverse("reception:pick_loaners"), {"q": "沪L", "starts_at": "x"}).content.decode()
    assert "沪L10001" in html and "free then" not in html and "taken then" not in html


def test_the_booking_form_uses_the_picker_and_refuses_a_car_of_another_station(client_as, alice, fleet, order,
                                                                               other_station, t0):
    url = reverse("reception:loaner_book", args=[order.pk])
    page = client_as(alice).get(url).content.decode()
    assert "<select" not in page and "data-picker" in page and reverse("reception:pick_loaners") in page
    assert 'data-picker-context="starts_at ends_at"' in page
    foreign = Loaner.objects.get(plate="沪L10004")
    local = timezone.localtime(t0)
    data = {"loaner": foreign.pk, "starts_at": (local + timedelta(days=2)).strftime(FMT),
            "ends_at": (local + timedelta(days=2, hours=2)).strftime(FMT)}
    response = client_as(alice).post(url, data)
    assert response.status_code == 400 and response.context["form"].errors["loaner"]
    assert response.context["form"]["starts_at"].value() == data["starts_at"]  # what was typed stays
    data["loaner"] = fleet[1].pk
    assert client_as(alice).post(url, data).status_code == 302
