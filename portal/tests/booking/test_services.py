"""Online booking, the services: slots by the desk's capacity rule, the code, matching or creating the customer,
the limits, cancel and move through the signed link."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.errors import DomainError
from core.models import Notification
from portal import booking
from portal.tests.booking.conftest import last_code, tomorrow_at
from reception.factories import AppointmentFactory, CustomerFactory, VehicleFactory
from reception.models import Appointment, Customer, Vehicle
from reception.selectors import advisors
from reception.services import appointments as desk_services

LINK = "https://book.example.com/book/a/{}/".format


def _request(station, service, *, start=None, plate="沪A12345", mobile="13800001111", address="203.0.113.5"):
    return booking.booking_request(station=station, operation=service, start=start or tomorrow_at(9), plate=plate,
                                   mobile=mobile, name="", address=address)


def _book(station, service, **kwargs):
    token = _request(station, service, **kwargs)
    mobile = kwargs.get("mobile", "13800001111").replace(" ", "")
    return booking.booking_confirm(station=station, token=token, code=last_code(mobile), link_for=LINK)


def test_a_confirmed_code_books_an_online_appointment_for_a_new_prospect(station, desk, service):
    appointment = _book(station, service)
    assert appointment.channel == Appointment.Channel.ONLINE
    assert appointment.status == Appointment.Status.EXPECTED
    assert list(appointment.operations.all()) == [service]
    assert appointment.booked_hours == Decimal("1.00") and appointment.created_by is None
    assert appointment.advisor in set(advisors(station))  # the least busy advisor of the day
    assert appointment.customer.mobile == "13800001111" and appointment.vehicle.plate == "沪A12345"
    assert appointment.vehicle.vin == "" and appointment.vehicle.owner == appointment.customer
    # the confirmation SMS carries the link that opens this appointment
    token = booking.manage_token(appointment)
    assert Notification.objects.filter(recipient_customer=appointment.customer, body__contains=LINK(token)).exists()
    assert booking.appointment_for_token(token) == appointment


def test_two_new_customers_without_vin_can_both_book(station, desk, service):
    _book(station, service, mobile="13800001111", plate="沪A11111")
    _book(station, service, mobile="13800002222", plate="沪A22222")
    assert Vehicle.objects.filter(station=station, vin="").count() == 2


def test_a_known_customer_and_vehicle_are_matched_by_mobile_and_plate(station, desk, service):
    customer = CustomerFactory(station=station, name="王先生", mobile="13812345678")
    vehicle = VehicleFactory(station=station, owner=customer, plate="沪B54321")
    appointment = _book(station, service, mobile="138 1234 5678", plate="沪b 54321")
    assert (appointment.customer, appointment.vehicle) == (customer, vehicle)
    assert Customer.objects.filter(station=station).count() == 1


def test_a_known_mobile_with_a_new_plate_gets_a_new_vehicle_of_that_customer(station, desk, service):
    customer = CustomerFactory(station=station, mobile="13812345678")
    VehicleFactory(station=station, owner=customer, plate="沪B54321")
    appointment = _book(station, service, mobile="13812345678", plate="沪C00001")
    assert appointment.customer == customer and appointment.vehicle.plate == "沪C00001"
    assert appointment.vehicle.owner == customer


def test_asking_for_a_code_never_reads_customers_or_vehicles(station, desk, service):
    """The same work for a known and an unknown phone: the query count does not depend on it."""
    CustomerFactory(station=station, mobile="13812345678")
    counts = []
    for mobile in ("13812345678", "13900009999"):
        with CaptureQueriesContext(connection) as ctx:
            _request(station, service, mobile=mobile)
        counts.append([q["sql"] for q in ctx.captured_queries])
        assert not any("reception_customer" in sql or "reception_vehicle" in sql for sql in counts[-1])
    assert len(counts[0]) == len(counts[1])


def test_a_wrong_code_is_refused_and_too_many_drop_the_request(station, desk, service):
    token = _request(station, service)
    for _ in range(5):
        with pytest.raises(DomainError) as exc:
            booking.booking_confirm(station=station, token=token, code="000000" if last_code("13800001111") != "000000"
                                    else "111111", link_for=LINK)
        assert exc.value.field == "code"
    with pytest.raises(DomainError) as exc:
        booking.booking_confirm(station=station, token=token, code=last_code("13800001111"), link_for=LINK)
    assert exc.value.code == "expired"
    assert not Appointment.objects.exists()


def test_a_token_of_another_station_does_not_work(station, other_station, desk, service):
    token = _request(station, service)
    with pytest.raises(DomainError):
        booking.booking_confirm(station=other_station, token=token, code=last_code("13800001111"), link_for=LINK)


def test_a_code_works_once(station, desk, service):
    token = _request(station, service)
    code = last_code("13800001111")
    booking.booking_confirm(station=station, token=token, code=code, link_for=LINK)
    with pytest.raises(DomainError):
        booking.booking_confirm(station=station, token=token, code=code, link_for=LINK)
    assert Appointment.objects.count() == 1


# --- the capacity rule of the desk ------------------------------------------------------------------------------


def test_free_days_follow_the_desks_capacity_rule(station, desk, service):
    """One technician = 8 h. 7 h booked at the desk: a 1 h service fits, a 2 h one does not — and the desk's own
    Capacity.fits says the same for the same day."""
    AppointmentFactory(station=station, advisor=desk, start=tomorrow_at(8), booked_hours=Decimal("7"))
    day = tomorrow_at(9).date()
    by_day = {d.day: d for d in booking.booking_days(station=station, hours=Decimal("1"))}
    assert not by_day[day].full
    assert desk_services.capacity_for(station, day).fits(Decimal("1"))
    by_day = {d.day: d for d in booking.booking_days(station=station, hours=Decimal("2"))}
    assert by_day[day].full
    assert not desk_services.capacity_for(station, day).fits(Decimal("2"))


def test_a_full_day_is_refused_when_asking_and_when_confirming(station, desk, service):
    token = _request(station, service)  # free when asked
    AppointmentFactory(station=station, advisor=desk, start=tomorrow_at(8), booked_hours=Decimal("7.5"))
    with pytest.raises(DomainError) as exc:  # full by the time the code comes back: refused, nothing booked
        booking.booking_confirm(station=station, token=token, code=last_code("13800001111"), link_for=LINK)
    assert exc.value.code == "full"
    assert not Appointment.objects.filter(channel="online").exists()
    assert not Customer.objects.filter(mobile="13800001111").exists()  # rolled back with the booking
    with pytest.raises(DomainError) as exc:
        _request(station, service, mobile="13800002222")
    assert exc.value.code == "full" and exc.value.field == "slot"


def test_the_desk_still_books_over_capacity_with_a_warning(station, desk, service):
    AppointmentFactory(station=station, advisor=desk, start=tomorrow_at(8), booked_hours=Decimal("8"))
    customer = CustomerFactory(station=station)
    vehicle = VehicleFactory(station=station, owner=customer)
    result = desk_services.appointment_book(station=station, by=desk, customer=customer, vehicle=vehicle,
                                            advisor=desk, start=tomorrow_at(10), operations=[service])
    assert result.over_capacity


def test_only_offered_times_can_be_booked(station, desk, service):
    for start in (tomorrow_at(9, 10), tomorrow_at(20), timezone.now() + timedelta(minutes=30),
                  tomorrow_at(9) + timedelta(days=30)):
        with pytest.raises(DomainError) as exc:
            _request(station, service, start=start)
        assert exc.value.field == "slot"


def test_only_bookable_services(station, desk, service):
    service.bookable = False
    service.save()
    with pytest.raises(DomainError) as exc:
        _request(station, service)
    assert exc.value.field == "operation"


# --- limits -----------------------------------------------------------------------------------------------------


@override_settings(ONLINE_BOOKING={"CODES_PER_MOBILE": 2, "REQUESTS_PER_ADDRESS": 100})
def test_codes_per_mobile_per_day(station, desk, service):
    _request(station, service, address="203.0.113.1")
    _request(station, service, address="203.0.113.2")
    with pytest.raises(DomainError) as exc:
        _request(station, service, address="203.0.113.3")
    assert exc.value.code == "limit"
    _request(station, service, mobile="13800002222")  # another phone still may


@override_settings(ONLINE_BOOKING={"CODES_PER_MOBILE": 100, "REQUESTS_PER_ADDRESS": 3})
def test_requests_per_address_per_day(station, desk, service):
    for n in range(3):
        _request(station, service, mobile=f"1380000{n:04d}")
    sent = Notification.objects.count()
    with pytest.raises(DomainError) as exc:
        _request(station, service, mobile="13800009999")
    assert exc.value.code == "limit" and Notification.objects.count() == sent  # no SMS sent over the limit
    _request(station, service, mobile="13800009999", address="198.51.100.7")


@override_settings(ONLINE_BOOKING={"BOOKINGS_PER_MOBILE": 1})
def test_bookings_per_mobile_per_day(station, desk, service):
    _book(station, service)
    token = _request(station, service, start=tomorrow_at(10))
    with pytest.raises(DomainError) as exc:
        booking.booking_confirm(station=station, token=token, code=last_code("13800001111"), link_for=LINK)
    assert exc.value.code == "limit"
    assert Appointment.objects.count() == 1


def test_limits_are_the_same_for_a_known_and_an_unknown_phone(station, desk, service, settings):
    settings.ONLINE_BOOKING = {"CODES_PER_MOBILE": 1, "REQUESTS_PER_ADDRESS": 100}
    CustomerFactory(station=station, mobile="13812345678")
    answers = []
    for mobile in ("13812345678", "13900009999"):
        _request(station, service, mobile=mobile)
        with pytest.raises(DomainError) as exc:
            _request(station, service, mobile=mobile)
        answers.append((exc.value.message, exc.value.code, exc.value.field))
    assert answers[0] == answers[1]


# --- the link of the confirmation SMS ---------------------------------------------------------------------------


def test_cancel_through_the_link_frees_the_capacity(station, desk, service):
    appointment = _book(station, service)
    booking.booking_cancel(appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert desk_services.capacity_for(station, tomorrow_at(9).date()).booked == 0
    with pytest.raises(DomainError):
        booking.booking_cancel(appointment=appointment)


def test_move_through_the_link_keeps_the_rules(station, desk, service):
    appointment = _book(station, service)
    booking.booking_move(appointment=appointment, start=tomorrow_at(14))
    appointment.refresh_from_db()
    assert timezone.localtime(appointment.start) == tomorrow_at(14)
    assert appointment.channel == "online" and appointment.booked_hours == Decimal("1.00")
    # its own hours do not count against the move; another day that is full refuses it
    AppointmentFactory(station=station, advisor=desk, start=tomorrow_at(8) + timedelta(days=1),
                       booked_hours=Decimal("8"))
    with pytest.raises(DomainError) as exc:
        booking.booking_move(appointment=appointment, start=tomorrow_at(9) + timedelta(days=1))
    assert exc.value.code == "full"
    with pytest.raises(DomainError):
        booking.booking_move(appointment=appointment, start=tomorrow_at(9, 10))


def test_a_forged_or_desk_appointment_token_opens_nothing(station, desk, service):
    appointment = _book(station, service)
    token = booking.manage_token(appointment)
    assert booking.appointment_for_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert booking.appointment_for_token(f"{appointment.pk + 1}:{token.split(':')[1]}") is None
    desk_one = AppointmentFactory(station=station, advisor=desk)
    assert booking.appointment_for_token(booking.manage_token(desk_one)) is None  # phone bookings have no link
