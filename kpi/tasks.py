"""Celery adapters for the rollup (in the beat schedule as ``kpi.tasks.rollup_recent_days``)."""

from __future__ import annotations

from celery import shared_task

from kpi.services import rollup


# Idempotent (acks_late); the longest task: its own time limits (queue ``reports``).
@shared_task(name="kpi.tasks.rollup_recent_days", acks_late=True, soft_time_limit=1800, time_limit=1900)
def rollup_recent_days() -> int:
    """Roll yesterday and today for every station, then every dirty day. Idempotent."""
    return rollup.rollup_recent_days()
