"""Celery tasks of the kernel: thin adapters around ``core.delivery``."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from core import delivery


@shared_task(bind=True, name="core.tasks.send_notification", acks_late=True, max_retries=delivery.MAX_ATTEMPTS - 1)
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


@shared_task(name="core.tasks.resume_stalled_notifications")
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


@shared_task(name="core.tasks.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Remove expired sessions (Django's `clearsessions`), daily from beat: nothing else ever deletes the rows."""
    from django.core.management import call_command

    call_command("clearsessions")
