from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import DomainError
from reception import selectors
from reception.factories import AppointmentFactory
from reception.models import Appointment
from reception.services import appointments as services
from reception.tasks import mark_no_shows


def _tomorrow_at(hour):
    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())) + timedelta(hours=hour)


def test_capacity_is_eight_hours_per_active_technician(station, make_staff):
    make_staff("technician")
    make_staff("technician")
    make_staff("technician", is_active=False)
    assert services.available_hours(station, timezone.localdate()) == Decimal("16")


def test_a_booking_reports_when_it_exceeds_capacity(station, alice, customer, vehicle, oil_change, make_staff,
                                                    monkeypatch):
    monkeypatch.setattr(services, "available_hours", lambda station, day: Decimal("1"))
    first = services.appointment_book(station=station, by=alice, customer=customer, vehicle=vehicle, advisor=alice,
                                      start=_tomorrow_at(9), operations=[oil_change])
    assert not first.over_capacity and first.appointment.booked_hours == Decimal("0.5")
    second = services.appointment_book(station=station, by=alice, customer=customer, vehicle=vehicle, advisor=alice,
                                       start=_tomorrow_at(10), duration=timedelta(hours=1))
    assert second.over_capacity
    assert second.capacity.booked == Decimal("1.5")


def test_cancelled_appointments_free_their_hours(station, alice, customer, vehicle):
    booking = services.appointment_book(station=station, by=alice, customer=customer, vehicle=vehicle, advisor=alice,
                                        start=_tomorrow_at(9))
    services.appointment_cancel(appointment=booking.appointment, by=alice)
    assert services.capacity_for(station, _tomorrow_at(9).date()).booked == 0


def test_the_desks_capacity_from_the_days_appointments_is_capacity_for(station, other_station, alice, frank):
    """The front desk sums the booked hours of the day's appointments it has read: the same figure, same digits."""
    day = _tomorrow_at(9).date()
    for status, hours in (("expected", "1.50"), ("arrived", "0.25"), ("cancelled", "3"), ("no_show", "2")):
        AppointmentFactory(station=station, advisor=alice, start=_tomorrow_at(9), status=status,
                           booked_hours=Decimal(hours))
    AppointmentFactory(station=other_station, start=_tomorrow_at(9), booked_hours=Decimal("4"))
    AppointmentFactory(station=station, start=_tomorrow_at(9) + timedelta(days=1), booked_hours=Decimal("4"))
    start, end = selectors.day_bounds(day)
    rows = list(selectors.desk_appointments(frank, start, end, station=station))
    assert len(rows) == 4
    desk, exact = services.capacity_of_day(station, day, rows), services.capacity_for(station, day)
    assert (str(desk.booked), str(desk.available)) == (str(exact.booked), str(exact.available)) == ("1.75", "0")
    empty = services.capacity_of_day(station, day + timedelta(days=5), [])
    assert str(empty.booked) == str(services.capacity_for(station, day + timedelta(days=5)).booked) == "0"


def test_an_appointment_cannot_start_in_the_past(station, alice, customer, vehicle):
    with pytest.raises(DomainError) as exc:
        services.appointment_book(station=station, by=alice, customer=customer, vehicle=vehicle, advisor=alice,
                                  start=timezone.now() - timedelta(days=1))
    assert exc.value.field == "start"


def test_the_advisor_must_work_in_the_station(station, alice, customer, vehicle, mallory):
    with pytest.raises(DomainError):
        services.appointment_book(station=station, by=alice, customer=customer, vehicle=vehicle, advisor=mallory,
                                  start=_tomorrow_at(9))


def test_no_shows_are_marked_after_the_grace_period_once(station, customer, vehicle, alice):
    late = AppointmentFactory(station=station, customer=customer, vehicle=vehicle, advisor=alice,
                              start=timezone.now() - timedelta(hours=1))
    recent = AppointmentFactory(station=station, customer=customer, vehicle=vehicle, advisor=alice,
                                start=timezone.now() - timedelta(minutes=5))
    assert mark_no_shows() == 1
    assert mark_no_shows() == 0
    late.refresh_from_db()
    recent.refresh_from_db()
    assert late.status == Appointment.Status.NO_SHOW and recent.status == Appointment.Status.EXPECTED


def test_the_board_shows_a_late_customer(station, customer, vehicle, alice):
    a = AppointmentFactory(station=station, customer=customer, vehicle=vehicle, advisor=alice,
                           start=timezone.now() - timedelta(minutes=15))
    assert services.board_state(a) == "late"
    a.start = timezone.now() + timedelta(minutes=15)
    assert services.board_state(a) == "expected"


def test_a_received_appointment_cannot_be_cancelled(station, customer, vehicle, alice):
    a = AppointmentFactory(station=station, customer=customer, vehicle=vehicle, advisor=alice,
                           status=Appointment.Status.ARRIVED)
    with pytest.raises(DomainError):
        services.appointment_cancel(appointment=a, by=alice)


def test_the_parts_of_a_booking_are_checked_against_stock(station, alice, customer, vehicle, part):
    assert not part.balances.exists()  # nothing on the shelf
    booking = services.appointment_book(station=station, by=alice, customer=customer, vehicle=vehicle, advisor=alice,
                                        start=_tomorrow_at(9), parts=[part])
    assert [row["part"] for row in booking.parts_short] == [part]


def test_arrival_carries_the_booked_parts_onto_the_estimate(station, alice, customer, vehicle, part):
    from reception.services.orders import order_receive

    booking = services.appointment_book(station=station, by=alice, customer=customer, vehicle=vehicle, advisor=alice,
                                        start=_tomorrow_at(9), parts=[part])
    order = order_receive(station=station, by=alice, customer=customer, vehicle=vehicle, concerns=["换刹车片"],
                          appointment=booking.appointment)
    assert [line.part for line in order.lines.filter(kind="part")] == [part]
