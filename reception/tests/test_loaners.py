"""Loaner cars (代步车): bookings never overlap, mileage only goes up, charge per started day, free by authority."""

from __future__ import annotations

import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from reception.factories import LoanerBookingFactory, LoanerFactory
from reception.models import LoanerBooking, LoanerEvent
from reception.services import loaners

pytestmark = pytest.mark.django_db


def _book(order, car, alice, start, hours=8):
    return loaners.loaner_book(order=order, loaner=car, by=alice, starts_at=start,
                               ends_at=start + timedelta(hours=hours))


def test_overlapping_booking_refused_adjacent_and_after_cancel_allowed(order, car, alice, t0):
    first = _book(order, car, alice, t0)
    with pytest.raises(DomainError) as exc:
        _book(order, car, alice, t0 + timedelta(hours=7))
    assert exc.value.field == "loaner" and order.number in exc.value.message
    _book(order, car, alice, t0 + timedelta(hours=8))  # starts when the first ends: no overlap
    loaners.loaner_cancel(booking=first, by=alice)
    again = _book(order, car, alice, t0 + timedelta(hours=1), hours=2)
    assert again.status == LoanerBooking.Status.BOOKED
    assert list(LoanerEvent.objects.filter(booking=first).values_list("kind", flat=True)) == ["booked", "cancelled"]


@pytest.mark.postgres
def test_database_refuses_an_overlap_past_the_service(order, car, t0):
    # tests build tables without migrations: add the migration's constraint here
    migration = importlib.import_module("reception.migrations.0017_loaners")
    with connection.cursor() as cursor:
        cursor.execute(migration.NO_OVERLAP_SQL)
    LoanerBookingFactory(loaner=car, order=order, starts_at=t0, ends_at=t0 + timedelta(hours=5))
    with pytest.raises(IntegrityError), transaction.atomic():
        LoanerBookingFactory(loaner=car, order=order, starts_at=t0 + timedelta(hours=4),
                             ends_at=t0 + timedelta(hours=6))


def test_other_stations_car_and_inactive_car_refused(order, alice, other_station, station, t0):
    with pytest.raises(DomainError):
        _book(order, LoanerFactory(station=other_station), alice, t0)
    with pytest.raises(DomainError):
        _book(order, LoanerFactory(station=station, active=False), alice, t0)


def test_out_and_in_states_mileage_and_charge(order, car, alice, t0):
    booking = _book(order, car, alice, t0)
    with pytest.raises(DomainError):
        loaners.loaner_return(booking=booking, by=alice, mileage=100, fuel=50)  # not out yet
    loaners.loaner_hand_out(booking=booking, by=alice, mileage=12000, fuel=75, damage="左前门划痕", at=t0)
    with pytest.raises(DomainError) as exc:
        loaners.loaner_return(booking=booking, by=alice, mileage=11999, fuel=50, at=t0 + timedelta(hours=5))
    assert exc.value.field == "mileage"
    # 1 day and 2 hours: two started days at 150
    done = loaners.loaner_return(booking=booking, by=alice, mileage=12080, fuel=50, at=t0 + timedelta(hours=26))
    assert (done.status, done.charge, done.in_mileage) == ("returned", Decimal("300.00"), 12080)
    with pytest.raises(DomainError):
        loaners.loaner_cancel(booking=done, by=alice)
    assert list(done.events.values_list("kind", "by")) == [("booked", alice.pk), ("out", alice.pk),
                                                          ("returned", alice.pk)]


def test_free_needs_goodwill_authority(order, car, alice, carol, t0):
    # three days at 150 = 450 ≤ the advisor's 500 goodwill; six days = 900 needs the front-desk lead
    small = _book(order, car, alice, t0, hours=72)
    loaners.loaner_make_free(booking=small, by=alice, reason="老客户")
    big = _book(order, car, alice, t0 + timedelta(days=4), hours=144)
    with pytest.raises(DomainError) as exc:
        loaners.loaner_make_free(booking=big, by=alice, reason="老客户")
    assert "frank" in exc.value.message
    loaners.loaner_make_free(booking=big, by=carol, reason="投诉安抚")
    big.refresh_from_db()
    assert big.free and big.free_by == carol
    loaners.loaner_hand_out(booking=big, by=alice, mileage=10, fuel=100, at=t0)
    assert loaners.loaner_return(booking=big, by=alice, mileage=20, fuel=90, at=t0 + timedelta(days=3)).charge == 0


def test_views_book_and_return_with_error_at_field(client_as, order, car, alice, t0):
    client = client_as(alice)
    fmt = "%Y-%m-%dT%H:%M"
    local = timezone.localtime(t0)
    response = client.post(reverse("reception:loaner_book", args=[order.pk]), {
        "loaner": car.pk, "starts_at": local.strftime(fmt), "ends_at": (local + timedelta(hours=3)).strftime(fmt)})
    assert response.status_code == 302
    booking = LoanerBooking.objects.get(order=order)
    response = client.post(reverse("reception:loaner_book", args=[order.pk]), {
        "loaner": car.pk, "starts_at": local.strftime(fmt), "ends_at": (local + timedelta(hours=1)).strftime(fmt)})
    assert response.status_code == 400 and car.plate in response.content.decode()
    url = reverse("reception:loaner_hand_out", args=[booking.pk])
    assert client.post(url, {"out-mileage": 500, "out-fuel": 80}).status_code == 302
    response = client.post(reverse("reception:loaner_return", args=[booking.pk]), {"in-mileage": 400, "in-fuel": 80})
    assert response.status_code == 400
    assert response.context["in_form"].errors["mileage"]
    page = client.get(reverse("reception:loaner_booking", args=[booking.pk]))
    assert page.status_code == 200 and "500 km" in page.content.decode()


def test_other_stations_booking_is_404(client_as, mallory, order, car, t0):
    booking = LoanerBookingFactory(loaner=car, order=order, starts_at=t0, ends_at=t0 + timedelta(hours=2))
    client = client_as(mallory)
    assert client.get(reverse("reception:loaner_booking", args=[booking.pk])).status_code == 404
    url = reverse("reception:loaner_hand_out", args=[booking.pk])
    assert client.post(url, {"out-mileage": 1, "out-fuel": 50}).status_code == 404
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_appointment_page_panel_without_per_row_queries(client_as, alice, order, station, t0):
    client = client_as(alice)
    day = timezone.localtime(t0).date().isoformat()
    url = reverse("reception:appointments") + f"?day={day}"
    LoanerFactory(station=station)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _n in range(4):
        car = LoanerFactory(station=station)
        LoanerBookingFactory(loaner=car, order=order, starts_at=t0, ends_at=t0 + timedelta(hours=2))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    body = response.content.decode()
    assert 'id="loaner-panel"' in body and body.count("data-loaner=") == 5
    assert len(many.captured_queries) == len(few.captured_queries)
