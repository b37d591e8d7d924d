"""Reminders go through the outbox: one message per reminder and run, sent after commit, nothing if rolled back."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from complaints import tasks
from complaints.models import AppointmentReminder
from complaints.services import reminders
from core.models import Notification
from core.notify import MemorySmsBackend
from reception.factories import AppointmentFactory, CustomerFactory, VehicleFactory

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=TZ)


@pytest.fixture
def gateway():
    MemorySmsBackend.outbox.clear()
    with override_settings(SMS_BACKEND="core.notify.MemorySmsBackend"):
        yield MemorySmsBackend.outbox
    MemorySmsBackend.outbox.clear()


def _appointment(station, advisor):
    customer = CustomerFactory(station=station, mobile="13811114444")
    return AppointmentFactory(station=station, customer=customer, vehicle=VehicleFactory(station=station, owner=customer),
                              advisor=advisor, start=NOW + timedelta(days=1))


@pytest.mark.django_db(transaction=True)
def test_running_the_reminder_job_twice_records_one_message_and_sends_it_once(station, alice, gateway, time_machine):
    time_machine.move_to(NOW, tick=False)
    appointment = _appointment(station, alice)
    assert tasks.send_appointment_reminders() == 1  # commits, then the message's own task sends it
    assert tasks.send_appointment_reminders() == 0
    assert reminders.appointment_remind(appointment_id=appointment.pk) is None  # a direct rerun finds it too
    note = Notification.objects.get(recipient_customer=appointment.customer)
    assert note.key == f"appointment-reminder:{appointment.pk}:2026-03-03"
    assert (note.status, note.attempts) == (Notification.Status.SENT, 1)
    assert gateway == [("13811114444", gateway[0][1])] and len(gateway) == 1
    assert AppointmentReminder.objects.get(appointment=appointment).notification == note


@pytest.mark.django_db(transaction=True)
def test_a_reminder_whose_transaction_rolls_back_sends_nothing(station, alice, gateway, time_machine, monkeypatch):
    time_machine.move_to(NOW, tick=False)
    appointment = _appointment(station, alice)
    real_send = reminders.notification_send

    def advisor_note_fails(**kwargs):
        if kwargs["channel"] == Notification.Channel.IN_APP:  # recorded after the customer's SMS
            raise RuntimeError("database went away")
        return real_send(**kwargs)

    monkeypatch.setattr(reminders, "notification_send", advisor_note_fails)
    with pytest.raises(RuntimeError):
        reminders.appointment_remind(appointment_id=appointment.pk)
    assert gateway == []  # before the outbox the SMS was already out here, and the next run sent it again
    assert not Notification.objects.exists() and not AppointmentReminder.objects.exists()

    monkeypatch.setattr(reminders, "notification_send", real_send)
    assert tasks.send_appointment_reminders() == 1
    assert len(gateway) == 1
