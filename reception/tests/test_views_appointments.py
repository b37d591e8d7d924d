from datetime import datetime, time, timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from reception.factories import AppointmentFactory
from reception.models import Appointment, WorkOrder


def test_the_advisor_books_an_appointment(client_as, alice, vehicle, oil_change):
    start = (timezone.localtime() + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    response = client_as(alice).post(reverse("reception:appointment_create"), {
        "vehicle": vehicle.pk, "advisor": alice.pk, "start": start.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": 60, "channel": "phone", "concern": "保养", "operations": [oil_change.pk]})
    assert response.status_code == 302
    a = Appointment.objects.get()
    assert a.customer == vehicle.owner and list(a.operations.all()) == [oil_change]


def test_the_capacity_panel_warns_when_a_booking_exceeds_it(client_as, alice, oil_change):
    start = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT09:00")
    response = client_as(alice).get(reverse("reception:appointment_capacity"),
                                    {"start": start, "operations": [oil_change.pk]})
    assert response.context["over"]  # no technicians in this test station: no capacity at all
    assert "exceeds" in response.content.decode()


def test_the_day_view_lists_the_days_appointments_per_advisor(client_as, alice, station, customer, vehicle, make_staff):
    other = make_staff("service_advisor")
    mine = AppointmentFactory(station=station, customer=customer, vehicle=vehicle, advisor=alice)
    AppointmentFactory(station=station, customer=customer, vehicle=vehicle, advisor=other)
    response = client_as(alice).get(reverse("reception:appointments"), {
        "day": timezone.localtime(mine.start).date().isoformat(), "advisor": alice.pk})
    assert [a.pk for a in response.context["rows"]] == [mine.pk]


def test_the_week_view_has_seven_days(client_as, alice):
    assert len(client_as(alice).get(reverse("reception:appointment_week")).context["days"]) == 7


def test_arrival_turns_the_appointment_into_a_reception(client_as, alice, station, customer, vehicle):
    a = AppointmentFactory(station=station, customer=customer, vehicle=vehicle, advisor=alice, concern="空调不凉")
    client = client_as(alice)
    page = client.get(reverse("reception:appointment_receive", args=[a.pk]))
    assert page.context["form"].initial["concerns"] == "空调不凉"
    client.post(reverse("reception:appointment_receive", args=[a.pk]), {
        "vehicle": vehicle.pk, "mileage_in": 30000, "fuel_level": "75", "concerns": "空调不凉"})
    a.refresh_from_db()
    assert a.status == "arrived" and a.work_order == WorkOrder.objects.get()


def test_the_welcome_board_refreshes_itself(client_as, alice, station, customer, vehicle):
    # At 10:00 local: twenty minutes earlier is still today (just after midnight it would be yesterday's list).
    ten = timezone.make_aware(datetime.combine(timezone.localdate(), time(10)))
    with time_machine.travel(ten, tick=False):
        AppointmentFactory(station=station, customer=customer, vehicle=vehicle, advisor=alice,
                           start=timezone.now() - timedelta(minutes=20))
        response = client_as(alice).get(reverse("reception:welcome_board"))
    body = response.content.decode()
    assert "data-poll" in body and reverse("reception:welcome_board_panel") in body
    assert response.context["counts"]["late"] == 1


def test_cancelling_an_appointment(client_as, alice, station, customer, vehicle):
    a = AppointmentFactory(station=station, customer=customer, vehicle=vehicle, advisor=alice)
    client_as(alice).post(reverse("reception:appointment_cancel", args=[a.pk]))
    a.refresh_from_db()
    assert a.status == "cancelled"
