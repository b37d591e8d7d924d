"""Celery tasks of the kernel: thin adapters around ``core.delivery``."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from core import delivery, imports


@shared_task(
    bind=True, name="core.tasks.send_notification", acks_late=True, max_retries=delivery.MAX_ATTEMPTS - 1,
    soft_time_limit=60, time_limit=90,
)
def send_notification(self, notification_id: int) -> str:
    """Deliver one recorded email/SMS. Safe to run twice (``acks_late``: a dead worker's task comes back).

    Retries a temporary gateway error with exponential backoff (30 s, 60 s, 120 s…); in-process (no broker) it does
    not wait and leaves the row ``failed`` instead.
    """
    try:
        return delivery.notification_deliver(notification_id=notification_id, retry=self.request.retries > 0)
    except delivery.TemporaryDeliveryError as exc:
        if self.request.is_eager:
            return str(delivery.Status.FAILED)
        raise self.retry(exc=exc, countdown=min(30 * 2**self.request.retries, 3600)) from exc


@shared_task(name="core.tasks.resume_stalled_notifications", acks_late=True)  # idempotent
def resume_stalled_notifications() -> int:
    """Enqueue messages recorded but never handed to a worker (the enqueue after commit was lost).

    Also marks ``unknown`` the attempts left ``sending`` for twice the broker's visibility timeout: their task
    would have come back by then, so it was lost with its worker.
    """
    visibility = getattr(settings, "BROKER_VISIBILITY_TIMEOUT", 3600)
    delivery.notifications_mark_abandoned(older_than=timedelta(seconds=2 * visibility))
    ids = list(delivery.notifications_stalled())
    for pk in ids:
        send_notification.delay(pk)
    return len(ids)


@shared_task(name="core.tasks.clear_sessions", acks_late=True)  # idempotent
def clear_sessions() -> None:
    """Delete expired sessions (Django's ``clearsessions``), daily from beat."""
    from django.core.management import call_command

    call_command("clearsessions")


@shared_task(name="core.tasks.beat_probe")
def beat_probe(key: str) -> None:
    """Test hook of the two-beats test (``CELERY_BEAT_PROBE_EVERY``): record one run in a Redis list."""
    import redis

    redis.Redis.from_url(settings.REDIS_URL).rpush(key, "1")


# CSV/xlsx imports (core.imports) run on the reports queue (CELERY_TASK_ROUTES "*.tasks.import_*"). The check is safe to
# run twice (acks_late: a dead worker's check comes back). The apply is not acks_late: a worker killed mid-apply rolls
# back, and a second delivery would find the job already claimed and do nothing (the job stays "importing"; upload
# the file again).
@shared_task(name="core.tasks.import_validate", acks_late=True, soft_time_limit=600, time_limit=660)
def import_validate(job_id: int) -> str:
    """Check the whole file of an import job: the preview and every error."""
    return imports.job_validate(job_id)


@shared_task(name="core.tasks.import_apply", soft_time_limit=1800, time_limit=1860)
def import_apply(job_id: int) -> str:
    """Apply a checked import job, all or nothing, writing its progress as it goes."""
    return imports.job_apply(job_id)
