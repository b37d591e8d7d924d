"""Quiet hours: a reminder is never sent between 21:00 and 08:00 local; it waits, queued, for the morning sweep."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from complaints import tasks as complaint_tasks
from complaints.models import AppointmentReminder
from core import delivery
from core import tasks as core_tasks
from core.notify import MemorySmsBackend
from reception.factories import AppointmentFactory, CustomerFactory, VehicleFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def memory_sms():
    MemorySmsBackend.outbox.clear()
    with override_settings(SMS_BACKEND="core.notify.MemorySmsBackend"):
        yield MemorySmsBackend.outbox


def _remind_at(station, advisor, when, time_machine, django_capture_on_commit_callbacks):
    """Record the day-before reminder of an appointment tomorrow, at local time ``when``; return its message."""
    time_machine.move_to(when, tick=False)
    customer = CustomerFactory(station=station, mobile="13811112222")
    AppointmentFactory(station=station, customer=customer, vehicle=VehicleFactory(station=station, owner=customer),
                       advisor=advisor, start=(when + timedelta(days=1)).replace(hour=10, minute=0))
    with django_capture_on_commit_callbacks(execute=True):
        assert complaint_tasks.send_appointment_reminders() == 1
    return AppointmentReminder.objects.get().notification


def _sweep(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return core_tasks.resume_stalled_notifications()


def test_a_reminder_recorded_at_2230_waits_queued_until_0800(station, alice, memory_sms, time_machine,
                                                              django_capture_on_commit_callbacks):
    note = _remind_at(station, alice, datetime(2026, 3, 2, 22, 30, tzinfo=TZ), time_machine,
                      django_capture_on_commit_callbacks)
    note.refresh_from_db()
    assert (note.status, note.attempts, memory_sms) == ("queued", 0, [])
    # 07:59: still quiet; the sweep leaves it alone and a direct send defers it.
    time_machine.move_to(datetime(2026, 3, 3, 7, 59, tzinfo=TZ), tick=False)
    assert _sweep(django_capture_on_commit_callbacks) == 0
    assert core_tasks.send_notification(note.pk) == delivery.DEFERRED
    note.refresh_from_db()
    assert (note.status, memory_sms) == ("queued", [])
    # 08:00: the sweep sends it, once.
    time_machine.move_to(datetime(2026, 3, 3, 8, 0, tzinfo=TZ), tick=False)
    assert _sweep(django_capture_on_commit_callbacks) == 1
    note.refresh_from_db()
    assert note.status == "sent" and len(memory_sms) == 1
    assert _sweep(django_capture_on_commit_callbacks) == 0 and len(memory_sms) == 1


def test_a_reminder_at_0800_goes_at_once(station, alice, memory_sms, time_machine,
                                         django_capture_on_commit_callbacks):
    note = _remind_at(station, alice, datetime(2026, 3, 2, 8, 0, tzinfo=TZ), time_machine,
                      django_capture_on_commit_callbacks)
    note.refresh_from_db()
    assert note.status == "sent" and len(memory_sms) == 1


@pytest.mark.parametrize(("local", "until"), [
    (datetime(2026, 3, 2, 22, 30), datetime(2026, 3, 3, 8, 0)),
    (datetime(2026, 3, 3, 7, 59), datetime(2026, 3, 3, 8, 0)),
    (datetime(2026, 3, 3, 21, 0), datetime(2026, 3, 4, 8, 0)),
    (datetime(2026, 3, 3, 8, 0), None),
    (datetime(2026, 3, 3, 20, 59), None),
])
def test_quiet_hours_are_21_to_08_local(local, until):
    got = delivery.quiet_until(local.replace(tzinfo=TZ))
    assert got == (until.replace(tzinfo=TZ) if until else None)


def test_other_messages_are_sent_at_night(station, alice, memory_sms, time_machine, django_capture_on_commit_callbacks):
    from core.notifications import notification_send

    time_machine.move_to(datetime(2026, 3, 2, 23, 0, tzinfo=TZ), tick=False)
    customer = CustomerFactory(station=station, mobile="13822223333")
    with django_capture_on_commit_callbacks(execute=True):
        note = notification_send(to_customer=customer, channel="sms", subject="s", body="b")
    note.refresh_from_db()
    assert note.status == "sent"
