"""Celery tasks of the front desk (adapters: they call a service)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="reception.tasks.mark_no_shows", acks_late=True)  # idempotent
def mark_no_shows() -> int:
    """Expected appointments past their grace period become no-shows (idempotent)."""
    from reception.services.appointments import appointments_mark_no_shows

    return appointments_mark_no_shows()


@shared_task(name="reception.tasks.regrade_customers", acks_late=True)  # idempotent
def regrade_customers() -> int:
    """Nightly: every station's customers graded again by its rules (one statement per station)."""
    from org.models import Station
    from reception.services.grading import customers_regrade

    return sum(customers_regrade(station=station) for station in Station.objects.all())
