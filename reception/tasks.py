"""Celery tasks of the front desk (adapters: they call a service)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="reception.tasks.mark_no_shows", acks_late=True)  # idempotent
def mark_no_shows() -> int:
    """Expected appointments past their grace period become no-shows (idempotent)."""
    from reception.services.appointments import appointments_mark_no_shows

    return appointments_mark_no_shows()
