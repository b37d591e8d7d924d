"""Celery tasks: thin adapters around the services (queue ``escalations``, see ``CELERY_TASK_ROUTES``).

Each is idempotent (unique constraints on what it creates), hence ``acks_late``: a dead worker's task comes back.
"""

from __future__ import annotations

from celery import shared_task

from complaints.services import complaints, followups, reminders


@shared_task(name="complaints.tasks.escalate_overdue", acks_late=True)
def escalate_overdue() -> int:
    return complaints.complaints_escalate_overdue()


@shared_task(name="complaints.tasks.send_appointment_reminders", acks_late=True)
def send_appointment_reminders() -> int:
    sent = 0
    for pk in reminders.appointment_reminders_due():
        if reminders.appointment_remind(appointment_id=pk) is not None:
            sent += 1
    return sent


@shared_task(name="complaints.tasks.send_appointment_reminder", acks_late=True)
def send_appointment_reminder(appointment_id: int) -> bool:
    return reminders.appointment_remind(appointment_id=appointment_id) is not None


@shared_task(name="complaints.tasks.expire_follow_ups", acks_late=True)
def expire_follow_ups() -> int:
    return followups.followups_expire()


@shared_task(name="complaints.tasks.send_maintenance_reminders", acks_late=True)
def send_maintenance_reminders() -> int:
    sent = 0
    for vehicle_id, order_id, reason, due_on, due_km in reminders.maintenance_due():
        if reminders.maintenance_remind(
            vehicle_id=vehicle_id, last_order_id=order_id, reason=reason, due_on=due_on, due_km=due_km
        ):
            sent += 1
    return sent
