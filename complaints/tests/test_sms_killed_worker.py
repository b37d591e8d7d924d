"""A real worker is killed (SIGKILL) while the SMS gateway has the reminder and before the worker records it.

The reminder is recorded and committed by the job in this process; its send task goes to a real Redis; worker A takes
it and the gateway (``core.notify.FileSmsBackend``: one line per message in a file both processes see) writes the
message and hangs. We kill worker A there, start worker B, Redis hands the unacknowledged task to B after the
visibility timeout, and we count: the gateway received the message exactly once, and the record says ``unknown``
(a person checks it; it is never sent twice).

Skipped (and CI fails on the skip) when REDIS_URL_FOR_TESTS is not set; bin/test sets it when Redis answers.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path

import pytest
from django.utils import timezone

from complaints.services.reminders import appointment_remind
from core.models import Notification
from reception.factories import AppointmentFactory, CustomerFactory, VehicleFactory
from tests.workers import REDIS, broker_queue, worker_start

VISIBILITY = 4  # seconds before Redis gives a taken, unacknowledged task to another worker


def _wait(what, predicate, *, seconds: float, logs=()):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    said = "\n".join(f"--- {log.name}\n{log.read_text()[-2500:]}" for log in logs if log.exists())
    raise AssertionError(f"timed out waiting for {what}\n{said}")


@pytest.fixture
def workers_on_a_queue(tmp_path):
    """Point this process at the real broker on a queue of our own; yield a function that starts workers on it."""
    if not REDIS:
        pytest.skip("REDIS_URL_FOR_TESTS is not set: the killed-worker test needs Redis (bin/test sets it)")
    sms_file, hang_flag = tmp_path / "gateway.jsonl", tmp_path / "hang-on-first-send"
    workers: list[subprocess.Popen] = []
    with broker_queue("sms-test") as queue:

        def start(name: str) -> tuple[subprocess.Popen, Path]:
            log = tmp_path / f"worker-{name}.log"
            proc = worker_start(queue, log=log, name=name, start_new_session=True, env={
                "SMS_BACKEND": "core.notify.FileSmsBackend", "SMS_FILE": str(sms_file),
                "SMS_HANG_FLAG": str(hang_flag), "SMS_HANG_SECONDS": "90",
                "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
            })
            workers.append(proc)
            return proc, log

        try:
            yield start, sms_file, hang_flag
        finally:
            for proc in workers:
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=20)


def _gateway_lines(sms_file: Path) -> list[dict]:
    if not sms_file.exists():
        return []
    return [json.loads(line) for line in sms_file.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.celery_worker
@pytest.mark.postgres
@pytest.mark.timeout(240)
def test_a_worker_killed_during_the_send_leaves_exactly_one_sms_at_the_gateway(
    transactional_db, station, alice, workers_on_a_queue
):
    start, sms_file, hang_flag = workers_on_a_queue
    hang_flag.touch()
    customer = CustomerFactory(station=station, mobile="13700002222")
    tomorrow = timezone.localdate() + timedelta(days=1)
    appointment = AppointmentFactory(
        station=station, customer=customer, vehicle=VehicleFactory(station=station, owner=customer), advisor=alice,
        start=timezone.make_aware(datetime.combine(tomorrow, dtime(9, 30))),
    )
    worker_a, log_a = start("a")

    # The reminder job, in this process: records the message, commits, and enqueues its send task on commit.
    note = appointment_remind(appointment_id=appointment.pk)
    assert note is not None and Notification.objects.get(pk=note.pk).status == Notification.Status.QUEUED

    # Worker A hands the message to the gateway, which writes it and hangs: the message is out, the row says sending.
    _wait("the gateway to receive the message", lambda: _gateway_lines(sms_file), seconds=90, logs=[log_a])
    note.refresh_from_db()
    assert (note.status, note.attempts) == (Notification.Status.SENDING, 1)
    assert not hang_flag.exists()  # only the first send hangs: a second one would go straight through

    os.killpg(worker_a.pid, signal.SIGKILL)
    worker_a.wait(timeout=20)

    worker_b, log_b = start("b")
    # Redis gives the unacknowledged task to worker B after the visibility timeout; B must not send again.
    _wait(
        "the redelivered task to run on worker B",
        lambda: Notification.objects.filter(pk=note.pk).exclude(status=Notification.Status.SENDING).exists(),
        seconds=90, logs=[log_a, log_b],
    )
    assert "core.tasks.send_notification" in log_b.read_text()  # worker B ran the redelivered task
    time.sleep(1)  # anything B might still write to the gateway would be there by now

    delivered = _gateway_lines(sms_file)
    assert [line["to"] for line in delivered] == ["13700002222"], delivered  # exactly once
    assert delivered[0]["pid"] == worker_a.pid
    note.refresh_from_db()
    assert note.status == Notification.Status.UNKNOWN  # for a person to check, never resent by itself
    assert note.attempts == 1
    assert "never finished" in note.error
    assert Notification.objects.filter(recipient_customer=customer).count() == 1
    assert worker_b.poll() is None
