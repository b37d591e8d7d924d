"""The Celery set-up: every task on a named queue, time limits, acks_late only where idempotent, the beat schedule
in code as crontabs in the station's local time, and no periodic-task pages in the admin."""

from __future__ import annotations

import pytest
from celery.schedules import crontab
from django.conf import settings

from config.celery import app

ROUTED = {
    "core.tasks.send_notification": "interactive",
    "core.tasks.resume_stalled_notifications": "interactive",
    "complaints.tasks.escalate_overdue": "escalations",
    "complaints.tasks.send_appointment_reminders": "escalations",
    "complaints.tasks.send_appointment_reminder": "escalations",
    "complaints.tasks.expire_follow_ups": "escalations",
    "complaints.tasks.send_maintenance_reminders": "escalations",
    "reception.tasks.mark_no_shows": "escalations",
    "reception.tasks.regrade_customers": "escalations",
    "org.tasks.warn_training_expiry": "escalations",
    "settlement.tasks.render_issued_document": "reports",
    "kpi.tasks.rollup_recent_days": "reports",
    "core.tasks.clear_sessions": "reports",
    "core.tasks.import_validate": "reports",
    "core.tasks.import_apply": "reports",
}
# Safe to run twice (a dead worker's task comes back): acks_late. Everything else acks on receipt — the import's apply
# too: taken again after its worker died it would find its job claimed and do nothing (core.imports.job_apply).
IDEMPOTENT = set(ROUTED) - {"core.tasks.import_apply"}


def _our_tasks():
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_every_task_is_routed_to_its_named_queue():
    router = app.amqp.Router(queues=app.amqp.queues)
    tasks = _our_tasks()
    assert set(tasks) - {"core.tasks.beat_probe"} == set(ROUTED), "a new task needs a route (and a line here)"
    for name, queue in ROUTED.items():
        assert router.route({}, name)["queue"].name == queue, name
    assert settings.CELERY_TASK_DEFAULT_QUEUE == "celery"


def test_acks_late_only_on_idempotent_tasks_and_every_task_has_time_limits():
    assert settings.CELERY_TASK_ACKS_LATE is False
    for name, task in _our_tasks().items():
        assert bool(task.acks_late) == (name in IDEMPOTENT), name
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        hard = task.time_limit or app.conf.task_time_limit
        assert soft and hard and soft < hard < settings.BROKER_VISIBILITY_TIMEOUT, name
    assert app.tasks["core.tasks.send_notification"].max_retries >= 3


@pytest.mark.parametrize(("entry", "hour", "minute"), [
    ("kpi-rollup-nightly", {1}, {30}),
    ("kpi-rollup-recent-days", set(range(7, 22)), set(range(0, 60, 10))),
    ("complaints-appointment-reminders", {10}, {0}),
    ("complaints-maintenance-reminders", {10}, {30}),
    ("core-clear-sessions", {3}, {0}),
    ("complaints-escalate-overdue", set(range(24)), set(range(0, 60, 5))),
    ("core-resume-stalled-notifications", set(range(24)), set(range(0, 60, 10))),
])
def test_the_beat_schedule_is_crontab_in_local_time(entry, hour, minute):
    assert settings.CELERY_TIMEZONE == settings.TIME_ZONE == "Asia/Shanghai"
    schedule = app.conf.beat_schedule[entry]["schedule"]
    assert isinstance(schedule, crontab)
    assert (schedule.hour, schedule.minute) == (hour, minute)


def test_every_periodic_entry_is_a_crontab_and_beat_is_locked():
    assert all(isinstance(e["schedule"], crontab) for e in settings.CELERY_BEAT_SCHEDULE.values())
    assert settings.CELERY_BEAT_SCHEDULER == "config.beat:LockedScheduler"
    assert "django_celery_beat" not in settings.INSTALLED_APPS


@pytest.mark.django_db
def test_the_admin_has_no_periodic_task_pages(admin_client):
    index = admin_client.get("/admin/").content.decode()
    assert "periodic" not in index.lower() and "django_celery_beat" not in index
    assert admin_client.get("/admin/django_celery_beat/periodictask/").status_code == 404
