import pytest
from django.core import mail
from django.test import override_settings

from core.models import Notification
from core.notifications import (
    notification_mark_all_read,
    notification_send,
    unread_count,
)
from core.notify import LoggingSmsBackend, MemorySmsBackend, get_sms_backend
from reception.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_in_app_notification_is_recorded_as_sent_and_counts_as_unread(alice):
    note = notification_send(channel="in_app", to_staff=alice, subject="Hello", body="World")
    assert note.status == Notification.Status.SENT
    assert note.sent_at is not None
    assert unread_count(staff=alice) == 1
    assert notification_mark_all_read(by=alice) == 1
    assert unread_count(staff=alice) == 0


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_email_goes_through_djangos_backend_and_is_recorded(station, alice, django_capture_on_commit_callbacks):
    customer = CustomerFactory(station=station, email="li@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        note = notification_send(channel="email", to_customer=customer, subject="Reminder", body="Tomorrow 9:00")
    note.refresh_from_db()
    assert note.status == Notification.Status.SENT
    assert note.address == "li@example.com"
    assert mail.outbox[-1].to == ["li@example.com"]


@override_settings(SMS_BACKEND="core.notify.MemorySmsBackend")
def test_sms_goes_through_the_configured_backend(station, django_capture_on_commit_callbacks):
    MemorySmsBackend.outbox.clear()
    customer = CustomerFactory(station=station, mobile="13912345678")
    with django_capture_on_commit_callbacks(execute=True):
        note = notification_send(channel="sms", to_customer=customer, subject="Reminder", body="Tomorrow")
    note.refresh_from_db()
    assert (note.attempts, note.provider_id) == (1, "1")
    assert note.status == Notification.Status.SENT
    assert MemorySmsBackend.outbox == [("13912345678", "Reminder Tomorrow")]


def test_a_failed_delivery_is_recorded_not_raised(station, django_capture_on_commit_callbacks):
    customer = CustomerFactory(station=station, email="")
    with django_capture_on_commit_callbacks(execute=True):
        note = notification_send(channel="email", to_customer=customer, subject="Reminder", body="x")
    note.refresh_from_db()
    assert note.status == Notification.Status.FAILED
    assert "no email address" in note.error


def test_the_development_sms_backend_only_logs(monkeypatch):
    import core.notify

    logged = []
    monkeypatch.setattr(core.notify.logger, "info", lambda *args: logged.append(args))
    assert isinstance(get_sms_backend(), LoggingSmsBackend)
    LoggingSmsBackend().send(to="139", body="hi")
    assert logged == [("SMS to %s: %s", "139", "hi")]


def test_a_notification_needs_exactly_one_recipient(alice, station):
    with pytest.raises(ValueError):
        notification_send(channel="in_app", subject="x", body="y")
    with pytest.raises(ValueError):
        notification_send(channel="in_app", to_customer=CustomerFactory(station=station), subject="x", body="y")
