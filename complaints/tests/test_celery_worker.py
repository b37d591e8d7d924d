"""A real Celery worker on the real Redis delivers an appointment reminder enqueued with .delay().

Skipped (and CI fails on the skip) when REDIS_URL_FOR_TESTS is not set; bin/test sets it when Redis answers.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from core.models import Notification
from reception.factories import AppointmentFactory, CustomerFactory, VehicleFactory

REDIS = os.environ.get("REDIS_URL_FOR_TESTS", "")


def _test_database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


@pytest.fixture
def worker_queue():
    """Point the app at the real broker, on a queue of our own, and start a worker on it."""
    if not REDIS:
        pytest.skip("REDIS_URL_FOR_TESTS is not set: the real Celery worker test needs Redis (bin/test sets it)")
    from config.celery import app

    queue = f"complaints-test-{uuid.uuid4().hex[:8]}"
    keys = ("broker_url", "result_backend", "task_always_eager", "task_default_queue", "task_routes")
    saved = {k: app.conf.get(k) for k in keys}
    app.conf.update(broker_url=REDIS, result_backend=REDIS, task_always_eager=False, task_default_queue=queue,
                    task_routes={})
    app.__dict__.pop("amqp", None)  # forget any producer made for the in-memory broker
    app._pool = None
    env = {
        **os.environ,
        "REDIS_URL": REDIS,
        "DATABASE_URL": _test_database_url(),
        "AFTERSALES_TESTING": "1",
        "CELERY_QUEUE": queue,  # what the worker enqueues itself (the message's send task) comes back to it
        "SMS_BACKEND": "core.notify.LoggingSmsBackend",
    }
    log = Path(settings.BASE_DIR) / f".celery-test-{queue}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "celery"), "-A", "config", "worker", "-Q", queue, "--pool=solo",
             "--without-heartbeat", "--without-mingle", "--without-gossip", "--loglevel=INFO"],
            cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        yield proc, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        app.conf.update(saved)
        app.__dict__.pop("amqp", None)
        app._pool = None
        log.unlink(missing_ok=True)


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
