"""Periodic work of the organisation app (CELERY_BEAT_SCHEDULE in config/settings.py)."""

from __future__ import annotations

from celery import shared_task

from org.training import training_expiry_warn


@shared_task(name="org.tasks.warn_training_expiry", acks_late=True)  # idempotent: one message per record and person
def warn_training_expiry() -> dict:
    run = training_expiry_warn()
    return {"records": run.records, "messages": run.messages}
