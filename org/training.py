"""Training and certification (培训与认证): the records of courses and certifications per staff member, the station's
training plan, and the warnings before a certification runs out.

A record is never edited: a wrong one is withdrawn and entered again, so who was certified when stays true. A
certification is "current" until its ``expires_on``; a newer passed record of the same course supersedes an older one
(only the latest counts for the expiry warnings). Warnings: the training page lists what expires within
``EXPIRY_WARNING_DAYS``; the daily task ``org.tasks.warn_training_expiry`` tells the staff member and their station
manager once, ``EXPIRY_NOTICE_DAYS`` before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.models import Notification
from core.notifications import notification_send
from org.models import Position, Staff, Station, TrainingPlanItem, TrainingRecord

EXPIRY_WARNING_DAYS = 60  # the training page shows certifications that run out within this many days
EXPIRY_NOTICE_DAYS = 30  # the staff member and the station manager are told this many days before
PLAN_HORIZON_DAYS = 90  # the plan tab shows planned courses up to this many days ahead (and every overdue one)

Kind = TrainingRecord.Kind
Result = TrainingRecord.Result


def _clean_course(course: str) -> str:
    course = (course or "").strip()
    if not course:
        raise DomainError(_("Name the course."), field="course")
    return course[:120]


def _check_staff(station: Station, staff: Staff) -> None:
    if staff.station_id != station.pk:
        raise DomainError(_("Choose a staff member of this station."), field="staff")


def _check_dates(*, completed_on: date, result: str, expires_on: date | None, today: date) -> None:
    if completed_on > today:
        raise DomainError(_("The date cannot be in the future."), field="completed_on")
    if expires_on is not None and result == Result.FAILED:
        raise DomainError(_("A failed course certifies nothing: leave \"valid until\" empty."), field="expires_on")
    if expires_on is not None and expires_on <= completed_on:
        raise DomainError(_("\"Valid until\" must be after the date of the course."), field="expires_on")


@transaction.atomic
def training_record_add(*, station: Station, staff: Staff, course: str, kind: str, completed_on: date, result: str,
                        expires_on: date | None = None, note: str = "", by: Staff) -> TrainingRecord:
    _check_staff(station, staff)
    course = _clean_course(course)
    _check_dates(completed_on=completed_on, result=result, expires_on=expires_on, today=timezone.localdate())
    return TrainingRecord.objects.create(
        station=station, staff=staff, course=course, kind=kind, completed_on=completed_on, result=result,
        expires_on=expires_on, note=(note or "").strip()[:200], recorded_by=by,
    )


@transaction.atomic
def training_record_withdraw(*, record: TrainingRecord, by: Staff) -> TrainingRecord:
    record = TrainingRecord.objects.select_for_update().get(pk=record.pk)
    if record.withdrawn_at is not None:
        raise DomainError(_("This record is already withdrawn."))
    record.withdrawn_at = timezone.now()
    record.withdrawn_by = by
    record.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return record


@transaction.atomic
def training_plan_add(*, station: Station, staff: Staff, course: str, kind: str, planned_for: date,
                      by: Staff) -> TrainingPlanItem:
    _check_staff(station, staff)
    course = _clean_course(course)
    if planned_for < timezone.localdate():
        raise DomainError(_("Plan a course for today or later."), field="planned_for")
    return TrainingPlanItem.objects.create(station=station, staff=staff, course=course, kind=kind,
                                           planned_for=planned_for, planned_by=by)


def _open_item(item: TrainingPlanItem) -> TrainingPlanItem:
    item = TrainingPlanItem.objects.select_for_update().get(pk=item.pk)
    if item.status != TrainingPlanItem.Status.PLANNED:
        raise DomainError(_("This planned course is already closed."))
    return item


@transaction.atomic
def training_plan_complete(*, item: TrainingPlanItem, completed_on: date, result: str, expires_on: date | None = None,
                           note: str = "", by: Staff) -> TrainingRecord:
    """The planned course took place: its record is entered and the plan item is done."""
    item = _open_item(item)
    record = training_record_add(station=item.station, staff=item.staff, course=item.course, kind=item.kind,
                                 completed_on=completed_on, result=result, expires_on=expires_on, note=note, by=by)
    item.status, item.record, item.closed_by, item.closed_at = item.Status.DONE, record, by, timezone.now()
    item.save(update_fields=["status", "record", "closed_by", "closed_at"])
    return record


@transaction.atomic
def training_plan_cancel(*, item: TrainingPlanItem, by: Staff) -> TrainingPlanItem:
    item = _open_item(item)
    item.status, item.closed_by, item.closed_at = item.Status.CANCELLED, by, timezone.now()
    item.save(update_fields=["status", "closed_by", "closed_at"])
    return item


# --- reads -----------------------------------------------------------------------------------------------------


def _current(queryset: QuerySet[TrainingRecord]) -> QuerySet[TrainingRecord]:
    """Valid-until records not withdrawn and not superseded by a later passed record of the same course."""
    newer = TrainingRecord.objects.filter(
        staff=OuterRef("staff"), course=OuterRef("course"), withdrawn_at__isnull=True, result=Result.PASSED,
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on")))
    return queryset.filter(withdrawn_at__isnull=True, expires_on__isnull=False).exclude(result=Result.FAILED).filter(
        ~Exists(newer))


def expiring(station: Station, *, today: date | None = None, within: int = EXPIRY_WARNING_DAYS,
             limit: int = 100) -> list[TrainingRecord]:
    """The station's current certifications that ran out already or run out within ``within`` days, soonest first.

    Bounded by the (station, expires_on) index: only the records ending before the horizon are read."""
    today = today or timezone.localdate()
    rows = _current(TrainingRecord.objects.filter(station=station, expires_on__lte=today + timedelta(days=within),
                                                  staff__is_active=True))
    return list(rows.select_related("staff").order_by("expires_on", "id")[:limit])


def plan(station: Station, *, today: date | None = None, limit: int = 100) -> list[TrainingPlanItem]:
    """Planned courses up to the horizon, overdue ones first (they are the oldest)."""
    today = today or timezone.localdate()
    rows = TrainingPlanItem.objects.filter(station=station, status=TrainingPlanItem.Status.PLANNED,
                                           planned_for__lte=today + timedelta(days=PLAN_HORIZON_DAYS))
    return list(rows.select_related("staff").order_by("planned_for", "id")[:limit])


def records(station: Station, *, staff: Staff | None = None, limit: int = 50) -> list[TrainingRecord]:
    rows = TrainingRecord.objects.filter(station=station)
    if staff is not None:
        rows = rows.filter(staff=staff)
    return list(rows.select_related("staff", "recorded_by", "withdrawn_by").order_by("-completed_on", "-id")[:limit])


# --- warnings --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WarnRun:
    records: int
    messages: int


def training_expiry_warn(*, today: date | None = None) -> WarnRun:
    """Tell each holder of a certification that runs out in ``EXPIRY_NOTICE_DAYS`` days or less (not yet run out),
    and the station managers of their station, once per record (the notification key makes a rerun send nothing)."""
    today = today or timezone.localdate()
    due = _current(TrainingRecord.objects.filter(expires_on__gte=today,
                                                 expires_on__lte=today + timedelta(days=EXPIRY_NOTICE_DAYS),
                                                 staff__is_active=True)).select_related("staff")
    managers: dict[int, list[Staff]] = {}
    sent = count = 0
    for record in due.iterator():
        count += 1
        if record.station_id not in managers:
            managers[record.station_id] = list(Staff.objects.filter(
                station_id=record.station_id, position=Position.STATION_MANAGER, is_active=True))
        subject = _("Certification runs out on %(date)s: %(course)s") % {
            "date": record.expires_on.isoformat(), "course": record.course}
        people = {person.pk: person for person in (record.staff, *managers[record.station_id])}
        keys = {pk: f"training-expiry:{record.pk}:{pk}" for pk in people}
        known = set(Notification.objects.filter(key__in=keys.values()).values_list("key", flat=True))
        for pk, person in people.items():
            if keys[pk] not in known:
                notification_send(channel="in_app", to_staff=person, subject=subject, body=str(record.staff),
                                  related=record, key=keys[pk])
                sent += 1
    return WarnRun(records=count, messages=sent)
