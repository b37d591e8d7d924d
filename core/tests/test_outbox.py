"""The outbox: an email/SMS is recorded in the business transaction, sent after commit by its own task, at most once."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from core import delivery
from core.models import Notification
from core.notifications import notification_resend, notification_send
from core.notify import FileSmsBackend, MemorySmsBackend, SmsTemporaryError
from core.tasks import resume_stalled_notifications, send_notification

S = Notification.Status
pytestmark = [pytest.mark.django_db]


@pytest.fixture
def gateway():
    MemorySmsBackend.outbox.clear()
    with override_settings(SMS_BACKEND="core.notify.MemorySmsBackend"):
        yield MemorySmsBackend.outbox
    MemorySmsBackend.outbox.clear()


@pytest.fixture
def alice_sms(alice):
    alice.phone = "13900001111"
    alice.save(update_fields=["phone"])
    return alice


def _sms(to, key=None, **kw):
    return notification_send(channel="sms", to_staff=to, subject="提醒", body="明天 9:00", key=key, **kw)


def test_an_sms_is_recorded_queued_and_sent_only_after_commit(alice_sms, gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        note = _sms(alice_sms)
        assert Notification.objects.get(pk=note.pk).status == S.QUEUED
        assert gateway == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    note.refresh_from_db()
    assert (note.status, note.attempts, note.provider_id) == (S.SENT, 1, "1")
    assert gateway == [("13900001111", "提醒 明天 9:00")]


def test_a_rolled_back_transaction_sends_nothing_and_keeps_no_record(alice_sms, gateway,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            _sms(alice_sms, key="k-rolled-back")
            raise RuntimeError("the business step failed after recording its message")
    assert gateway == []
    assert not Notification.objects.filter(key="k-rolled-back").exists()


def test_the_same_key_records_one_message_and_sends_it_once(alice_sms, gateway, django_capture_on_commit_callbacks,
                                                           time_machine):
    # a reminder key: sent only outside the quiet hours (21:00-08:00 local), so the test runs at 10:00 local
    time_machine.move_to(timezone.make_aware(datetime(2026, 3, 2, 10, 0)), tick=True)
    with django_capture_on_commit_callbacks(execute=True):
        first = _sms(alice_sms, key="appointment-reminder:1:2026-03-03")
    with django_capture_on_commit_callbacks(execute=True):
        again = _sms(alice_sms, key="appointment-reminder:1:2026-03-03")
    assert again.pk == first.pk
    assert Notification.objects.filter(key="appointment-reminder:1:2026-03-03").count() == 1
    assert len(gateway) == 1


def test_a_redelivered_task_after_the_message_was_sent_does_nothing(alice_sms, gateway,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        note = _sms(alice_sms)
    assert send_notification.delay(note.pk).get() == S.SENT
    assert send_notification.delay(note.pk).get() == S.SENT
    note.refresh_from_db()
    assert note.attempts == 1 and len(gateway) == 1


def test_an_attempt_left_unfinished_becomes_unknown_and_is_never_sent_again(alice_sms, gateway):
    with transaction.atomic():  # recorded, the worker marked it sending, then died (nothing sent from here)
        note = _sms(alice_sms)
        Notification.objects.filter(pk=note.pk).update(status=S.SENDING, attempts=1, attempted_at=timezone.now())
    # the django_db test transaction never commits, so the on-commit send did not run; the redelivered task does:
    assert send_notification.delay(note.pk).get() == S.UNKNOWN
    assert send_notification.delay(note.pk).get() == S.UNKNOWN
    note.refresh_from_db()
    assert (note.status, note.attempts) == (S.UNKNOWN, 1)
    assert "never finished" in note.error
    assert gateway == []


def test_a_slow_first_attempt_that_finishes_replaces_unknown(alice_sms, monkeypatch):
    note = _sms(alice_sms)

    def slow_gateway(self, *, to, body):
        # while this attempt is at the gateway, a duplicate task arrives and finds the row "sending"
        assert delivery.notification_deliver(notification_id=note.pk) == S.UNKNOWN
        return "gw-77"

    monkeypatch.setattr(MemorySmsBackend, "send", slow_gateway)
    with override_settings(SMS_BACKEND="core.notify.MemorySmsBackend"):
        assert delivery.notification_deliver(notification_id=note.pk) == S.SENT
    note.refresh_from_db()
    assert (note.status, note.provider_id, note.attempts) == (S.SENT, "gw-77", 1)


def test_a_temporary_gateway_error_is_retried_and_a_refusal_is_not(alice_sms, monkeypatch):
    calls = []

    def busy_then_ok(self, *, to, body):
        calls.append(to)
        if len(calls) == 1:
            raise SmsTemporaryError("gateway busy")
        return "gw-2"

    monkeypatch.setattr(MemorySmsBackend, "send", busy_then_ok)
    note = _sms(alice_sms)
    with override_settings(SMS_BACKEND="core.notify.MemorySmsBackend"):
        with pytest.raises(delivery.TemporaryDeliveryError):
            delivery.notification_deliver(notification_id=note.pk)
        note.refresh_from_db()
        assert (note.status, note.attempts) == (S.FAILED, 1)
        # a plain redelivery of a failed message does not send; the task's own retry does
        assert delivery.notification_deliver(notification_id=note.pk) == S.FAILED
        assert delivery.notification_deliver(notification_id=note.pk, retry=True) == S.SENT
    note.refresh_from_db()
    assert (note.status, note.attempts, note.provider_id, len(calls)) == (S.SENT, 2, "gw-2", 2)
    assert send_notification.acks_late and send_notification.max_retries == delivery.MAX_ATTEMPTS - 1

    refused = notification_send(channel="sms", to_staff=alice_sms, subject="x", body="y")
    Notification.objects.filter(pk=refused.pk).update(address="")
    assert delivery.notification_deliver(notification_id=refused.pk) == S.FAILED
    refused.refresh_from_db()
    assert "no mobile number" in refused.error
    assert delivery.notification_deliver(notification_id=refused.pk) == S.FAILED  # a redelivery sends nothing
    assert len(calls) == 2


def test_the_task_in_process_leaves_a_temporary_failure_failed_instead_of_waiting(alice_sms, monkeypatch):
    def busy(self, *, to, body):
        raise SmsTemporaryError("gateway busy")

    monkeypatch.setattr(MemorySmsBackend, "send", busy)
    note = _sms(alice_sms)
    with override_settings(SMS_BACKEND="core.notify.MemorySmsBackend"):
        assert send_notification.delay(note.pk).get() == S.FAILED
    note.refresh_from_db()
    assert (note.status, note.attempts) == (S.FAILED, 1) and "gateway busy" in note.error


def test_messages_whose_enqueue_was_lost_are_sent_by_the_sweep(alice_sms, gateway, time_machine):
    note = _sms(alice_sms)  # the test transaction never commits: as if the process died before enqueueing
    assert resume_stalled_notifications.delay().get() == 0  # too young: its task may still be on its way
    time_machine.move_to(timezone.now() + timedelta(minutes=11))
    assert resume_stalled_notifications.delay().get() == 1
    note.refresh_from_db()
    assert note.status == S.SENT and len(gateway) == 1
    assert resume_stalled_notifications.delay().get() == 0


def test_an_attempt_whose_task_never_came_back_is_marked_unknown_by_the_sweep(alice_sms, gateway, time_machine):
    note = _sms(alice_sms)
    Notification.objects.filter(pk=note.pk).update(status=S.SENDING, attempts=1, attempted_at=timezone.now())
    resume_stalled_notifications.delay().get()
    assert Notification.objects.get(pk=note.pk).status == S.SENDING  # its task may still come back
    time_machine.move_to(timezone.now() + timedelta(hours=2, minutes=1))
    resume_stalled_notifications.delay().get()
    note.refresh_from_db()
    assert note.status == S.UNKNOWN and gateway == []


def test_in_app_notifications_are_not_queued(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        note = notification_send(channel="in_app", to_staff=alice, subject="x", body="")
    assert note.status == S.SENT and callbacks == []


def test_the_file_gateway_writes_one_line_per_message_and_hangs_only_once(tmp_path, monkeypatch):
    monkeypatch.setenv("SMS_FILE", str(tmp_path / "sms.jsonl"))
    flag = tmp_path / "hang"
    flag.touch()
    monkeypatch.setenv("SMS_HANG_FLAG", str(flag))
    monkeypatch.setenv("SMS_HANG_SECONDS", "0")
    assert FileSmsBackend().send(to="139", body="a") == "file-1"
    assert not flag.exists()
    assert FileSmsBackend().send(to="138", body="b") == "file-2"
    assert len((tmp_path / "sms.jsonl").read_text().splitlines()) == 2


def test_the_admin_lists_unknown_messages_and_sends_one_again_on_request(admin_client, alice_sms, gateway,
                                                                         django_capture_on_commit_callbacks):
    note = _sms(alice_sms, key="k-unknown")
    Notification.objects.filter(pk=note.pk).update(status=S.UNKNOWN, attempts=1, error="never finished")
    fine = _sms(alice_sms, key="k-sent")
    Notification.objects.filter(pk=fine.pk).update(status=S.SENT, attempts=1)
    page = admin_client.get("/admin/core/notification/?status__exact=unknown").content.decode()
    assert f"/admin/core/notification/{note.pk}/change/" in page
    assert f"/admin/core/notification/{fine.pk}/change/" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/core/notification/", {"action": "send_again", "_selected_action": [note.pk]})
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.status, note.attempts) == (S.SENT, 2) and len(gateway) == 1
    assert notification_resend(notification=note) is False  # a sent message is not sent again


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_leaves_the_message_queued_and_the_business_change_committed(alice_sms, monkeypatch):
    def broker_down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(send_notification, "delay", broker_down)
    with transaction.atomic():
        note = _sms(alice_sms, key="k-broker-down")
    assert Notification.objects.get(pk=note.pk).status == S.QUEUED  # no error raised; the sweep sends it later


def test_an_sms_to_a_bare_mobile_number_goes_out_for_its_station(alice, gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        note = notification_send(channel="sms", to_mobile="13700002222", station_id=alice.station_id,
                                 subject="验证码", body="123456")
    note.refresh_from_db()
    assert (note.status, note.address, note.station_id) == (S.SENT, "13700002222", alice.station_id)
    assert note.recipient_staff_id is None and note.recipient_customer_id is None
    assert gateway == [("13700002222", "验证码 123456")]


def test_a_bare_mobile_number_needs_a_station_and_no_second_recipient(alice):
    with pytest.raises(ValueError):
        notification_send(channel="sms", to_mobile="13700002222", subject="x", body="y")
    with pytest.raises(ValueError):
        notification_send(channel="sms", to_mobile="13700002222", to_staff=alice, station_id=alice.station_id,
                          subject="x", body="y")
    with pytest.raises(ValueError):
        notification_send(channel="email", to_mobile="13700002222", station_id=alice.station_id, subject="x", body="y")
