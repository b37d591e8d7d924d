"""Celery adapters for the rollup (in the beat schedule as ``kpi.tasks.rollup_recent_days``)."""

from __future__ import annotations

from celery import shared_task

from kpi.services import rollup


@shared_task(name="kpi.tasks.rollup_recent_days")
def rollup_recent_days() -> int:
    """Roll yesterday and today for every station, then every dirty day. Idempotent."""
    return rollup.rollup_recent_days()
