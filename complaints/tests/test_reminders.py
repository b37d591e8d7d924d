"""Reminders: the day-before appointment reminder and maintenance due, each sent once however often beat runs."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from complaints import tasks as complaint_tasks
from complaints.models import AppointmentReminder, MaintenanceReminder
from core.models import Notification
from core.notify import MemorySmsBackend
from reception.factories import AppointmentFactory, CustomerFactory, VehicleFactory, WorkOrderFactory
from reception.models import Appointment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memory_sms")]
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=TZ)


@pytest.fixture
def memory_sms():
    MemorySmsBackend.outbox.clear()
    with override_settings(SMS_BACKEND="core.notify.MemorySmsBackend"):
        yield MemorySmsBackend.outbox


@pytest.fixture
def tasks(django_capture_on_commit_callbacks):
    """The beat tasks, each run as its own transaction: the messages it records are delivered when it commits."""

    class Committed:
        def __getattr__(self, name):
            task = getattr(complaint_tasks, name)

            def run(*args, **kwargs):
                with django_capture_on_commit_callbacks(execute=True):
                    return task(*args, **kwargs)

            return run

    return Committed()


def _appointment(station, advisor, start, mobile="13811112222", **kw):
    customer = CustomerFactory(station=station, mobile=mobile)
    vehicle = VehicleFactory(station=station, owner=customer)
    return AppointmentFactory(station=station, customer=customer, vehicle=vehicle, advisor=advisor,
                                      start=start, **kw)


def test_an_appointment_tomorrow_gets_one_reminder_however_often_beat_runs(station, alice, memory_sms, time_machine, tasks):
    time_machine.move_to(NOW, tick=False)
    appointment = _appointment(station, alice, NOW + timedelta(days=1))
    assert tasks.send_appointment_reminders() == 1
    assert tasks.send_appointment_reminders() == 0
    assert AppointmentReminder.objects.filter(appointment=appointment).count() == 1
    note = AppointmentReminder.objects.get().notification
    assert (note.channel, note.status, note.recipient_customer) == ("sms", "sent", appointment.customer)
    assert len(memory_sms) == 1 and memory_sms[0][0] == "13811112222"
    assert Notification.objects.filter(recipient_staff=alice, channel="in_app").count() == 1


def test_appointments_today_or_later_than_tomorrow_get_no_reminder_yet(station, alice, time_machine, tasks):
    time_machine.move_to(NOW, tick=False)
    _appointment(station, alice, NOW + timedelta(hours=3))
    _appointment(station, alice, NOW + timedelta(days=2), mobile="13811113333")
    assert tasks.send_appointment_reminders() == 0


def test_a_cancelled_appointment_gets_no_reminder(station, alice, time_machine, tasks):
    time_machine.move_to(NOW, tick=False)
    _appointment(station, alice, NOW + timedelta(days=1), status=Appointment.Status.CANCELLED)
    assert tasks.send_appointment_reminders() == 0


def test_a_customer_who_refused_contact_gets_no_sms(station, alice, memory_sms, time_machine, tasks):
    time_machine.move_to(NOW, tick=False)
    appointment = _appointment(station, alice, NOW + timedelta(days=1))
    appointment.customer.contact_consent = False
    appointment.customer.save()
    tasks.send_appointment_reminders()
    assert memory_sms == []
    assert AppointmentReminder.objects.get().notification is None


def test_maintenance_due_by_date_is_reminded_once(station, alice, memory_sms, time_machine, tasks):
    time_machine.move_to(NOW, tick=False)
    WorkOrderFactory(delivered=True, station=station, advisor=alice,
                     delivered_at=NOW - timedelta(days=175))  # due at 180 days, reminded 7 days before
    WorkOrderFactory(delivered=True, station=station, advisor=alice, delivered_at=NOW - timedelta(days=30))  # not yet
    assert tasks.send_maintenance_reminders() == 1
    assert tasks.send_maintenance_reminders() == 0
    reminder = MaintenanceReminder.objects.get()
    assert reminder.reason == "date" and reminder.notification.status == "sent"


def test_maintenance_due_by_mileage_is_reminded(station, alice, time_machine, tasks):
    time_machine.move_to(NOW, tick=False)
    order = WorkOrderFactory(delivered=True, station=station, advisor=alice, delivered_at=NOW - timedelta(days=40))
    order.vehicle.mileage = order.mileage_in + 10500
    order.vehicle.save()
    assert tasks.send_maintenance_reminders() == 1
    assert MaintenanceReminder.objects.get().reason == "mileage"


def test_a_new_visit_starts_a_new_maintenance_cycle(station, alice, time_machine, tasks):
    time_machine.move_to(NOW, tick=False)
    first = WorkOrderFactory(delivered=True, station=station, advisor=alice, delivered_at=NOW - timedelta(days=200))
    tasks.send_maintenance_reminders()
    WorkOrderFactory(delivered=True, station=station, advisor=alice, customer=first.customer, vehicle=first.vehicle,
                     delivered_at=NOW - timedelta(days=1))
    assert tasks.send_maintenance_reminders() == 0
    time_machine.move_to(NOW + timedelta(days=176), tick=False)
    assert tasks.send_maintenance_reminders() == 1
    assert MaintenanceReminder.objects.filter(vehicle=first.vehicle).count() == 2
