"""A real Celery worker on the real Redis delivers an appointment reminder enqueued with .delay().

Skipped (and CI fails on the skip) when REDIS_URL_FOR_TESTS is not set; bin/test sets it when Redis answers.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from core.models import Notification
from reception.factories import AppointmentFactory, CustomerFactory, VehicleFactory
from tests.workers import REDIS, broker_queue, worker_running


@pytest.fixture
def worker_queue():
    """Point the app at the real broker, on a queue of our own, and start a worker on it."""
    if not REDIS:
        pytest.skip("REDIS_URL_FOR_TESTS is not set: the real Celery worker test needs Redis (bin/test sets it)")
    with broker_queue("complaints-test") as queue:
        log = Path(settings.BASE_DIR) / f".celery-test-{queue}.log"
        with worker_running(queue, log=log, env={"SMS_BACKEND": "core.notify.LoggingSmsBackend"}) as proc:
            yield proc, log


@pytest.mark.celery_worker
@pytest.mark.postgres
def test_a_real_worker_delivers_the_appointment_reminder(transactional_db, station, alice, worker_queue):
    from complaints.tasks import send_appointment_reminder

    proc, log = worker_queue
    customer = CustomerFactory(station=station, mobile="13700001111")
    tomorrow = timezone.localdate() + timedelta(days=1)
    appointment = AppointmentFactory(
        station=station, customer=customer, vehicle=VehicleFactory(station=station, owner=customer), advisor=alice,
        start=timezone.make_aware(datetime.combine(tomorrow, dtime(10, 0))),
    )
    send_appointment_reminder.delay(appointment.pk)
    deadline = time.monotonic() + 90
    note = None
    while time.monotonic() < deadline and proc.poll() is None:
        note = Notification.objects.filter(recipient_customer=customer, status=Notification.Status.SENT).first()
        if note:
            break
        time.sleep(0.5)
    assert note is not None, f"no reminder delivered; worker said:\n{log.read_text()[-3000:]}"
    assert note.channel == Notification.Channel.SMS and note.address == "13700001111"
    assert "complaints.tasks.send_appointment_reminder" in log.read_text()  # the worker ran it, not this process
