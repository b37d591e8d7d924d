"""Shift attendance (start and end of the day) — the denominator of technician productivity."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from org.models import Staff
from workshop.models import Attendance, ClockEntry


def _day_row(technician: Staff, at: datetime) -> Attendance:
    day = timezone.localdate(at)
    row, _created = Attendance.objects.select_for_update().get_or_create(
        technician=technician, day=day, defaults={"station_id": technician.station_id}
    )
    return row


@transaction.atomic
def attendance_start(*, technician: Staff, at: datetime | None = None) -> Attendance:
    at = at or timezone.now()
    if technician.station_id is None:
        raise DomainError(_("Only station staff have shifts."))
    row = _day_row(technician, at)
    if row.started_at is not None:
        raise DomainError(_("Your shift today has already started."))
    row.started_at = at
    row.is_absent = False
    row.save(update_fields=["started_at", "is_absent"])
    return row


def attendance_start_if_missing(*, technician: Staff, at: datetime) -> None:
    """Clocking on a job before starting the shift starts the shift (productivity must not exceed 100%)."""
    if technician.station_id is None:
        return
    row = _day_row(technician, at)
    if row.started_at is None:
        row.started_at = at
        row.is_absent = False
        row.save(update_fields=["started_at", "is_absent"])


@transaction.atomic
def attendance_end(*, technician: Staff, at: datetime | None = None) -> Attendance:
    at = at or timezone.now()
    row = Attendance.objects.select_for_update().filter(technician=technician, day=timezone.localdate(at)).first()
    if row is None or row.started_at is None:
        raise DomainError(_("Your shift today has not started."))
    if row.ended_at is not None:
        raise DomainError(_("Your shift today has already ended."))
    if ClockEntry.objects.filter(technician=technician, ended_at__isnull=True).exists():
        raise DomainError(_("You are still clocked on a job: pause or clock off first."))
    if at < row.started_at:
        raise DomainError(_("The time given is before the shift started."))
    row.ended_at = at
    row.save(update_fields=["ended_at"])
    return row
