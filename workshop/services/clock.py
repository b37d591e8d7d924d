"""The job clock (开工/完工): clock on, pause, resume, clock off — per line and per technician.

A technician has at most one running clock (checked here, and by a partial unique index in the database). Each
stretch of work is one ClockEntry; pausing ends the stretch with its reason, resuming starts a new one, so actual hours
are the exact sum of the stretches. Clocking on the first job of an open order puts the order in progress; clocking
off the last job sends it to the final inspection.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from org.models import Staff
from reception.models import WorkOrder, WorkOrderLine
from reception.services.workflow import record_event, work_order_transition
from workshop.board.cache import board_touch
from workshop.models import ClockEntry, JobAssignment, QualityCheck
from workshop.services._common import S, lock_order, require_labour_line, require_on_floor
from workshop.services.attendance import attendance_start_if_missing
from workshop.services.readiness import order_work_finished, parts_outstanding

End = ClockEntry.End


def _lock_technician(technician: Staff) -> None:
    # One technician's clock actions are serialised on their own row.
    Staff.objects.select_for_update().filter(pk=technician.pk).first()


def _running(technician: Staff) -> ClockEntry | None:
    return ClockEntry.objects.select_related("order", "line").filter(technician=technician, ended_at__isnull=True).first()


def _last_on_line(line: WorkOrderLine, technician: Staff) -> ClockEntry | None:
    return ClockEntry.objects.filter(line=line, technician=technician).order_by("-started_at", "-id").first()


def _check_time(at: datetime, entry: ClockEntry | None) -> None:
    if entry is not None and entry.ended_at is None and at < entry.started_at:
        raise DomainError(_("The time given is before the clock was started."))


def _start(*, line: WorkOrderLine, technician: Staff, at: datetime, kind: str) -> ClockEntry:
    order = lock_order(line.order)
    line = WorkOrderLine.objects.get(pk=line.pk)
    require_labour_line(line)
    _lock_technician(technician)
    running = _running(technician)
    if running is not None:
        raise DomainError(
            _("You are already clocked on %(order)s · %(line)s. Pause or clock off there first.")
            % {"order": running.order.number, "line": running.line.description}
        )
    if line.approval != WorkOrderLine.Approval.APPROVED:
        raise DomainError(_("The customer has not approved this line: work cannot start on it."))
    if not JobAssignment.objects.filter(line=line, technician=technician).exists():
        raise DomainError(_("This job is not dispatched to you. Ask the dispatcher."))
    require_on_floor(order)
    if order.status == S.OPEN:
        order = work_order_transition(order=order, to=S.IN_PROGRESS, by=technician, note=_("first job clocked on"))
    last_qc = QualityCheck.objects.filter(order=order).order_by("-attempt").first()
    is_rework = last_qc is not None and last_qc.result == QualityCheck.Result.FAILED
    attendance_start_if_missing(technician=technician, at=at)
    try:
        with transaction.atomic():
            entry = ClockEntry.objects.create(
                station_id=order.station_id, order=order, line=line, technician=technician, started_at=at,
                is_rework=is_rework,
            )
    except IntegrityError as exc:  # a second request for the same technician won the race
        raise DomainError(_("You are already clocked on another job.")) from exc
    record_event(order=order, by=technician, kind=kind, note=line.description)
    board_touch(order.station_id)
    return entry


@transaction.atomic
def clock_on(*, line: WorkOrderLine, technician: Staff, at: datetime | None = None) -> ClockEntry:
    """Start work on a line (开工). Also resumes a paused job."""
    return _start(line=line, technician=technician, at=at or timezone.now(), kind="clock_on")


@transaction.atomic
def clock_resume(*, line: WorkOrderLine, technician: Staff, at: datetime | None = None) -> ClockEntry:
    last = _last_on_line(line, technician)
    if last is None or last.end not in ClockEntry.PAUSES:
        raise DomainError(_("This job is not paused."))
    return _start(line=line, technician=technician, at=at or timezone.now(), kind="clock_resume")


def _stop(*, line: WorkOrderLine, technician: Staff, at: datetime, end: str) -> ClockEntry:
    order = lock_order(line.order)
    _lock_technician(technician)
    entry = ClockEntry.objects.filter(line=line, technician=technician, ended_at__isnull=True).first()
    if entry is None:
        last = _last_on_line(line, technician)
        if end == End.OFF and last is not None and last.end in ClockEntry.PAUSES:
            # Clocking off a paused job: the pause was the last stretch; its reason stays in the order history.
            last.end = End.OFF
            last.save(update_fields=["end"])
            entry = last
        else:
            raise DomainError(_("You are not clocked on this job."))
    else:
        _check_time(at, entry)
        entry.ended_at = at
        entry.end = end
        entry.save(update_fields=["ended_at", "end"])
    board_touch(order.station_id)
    record_event(order=order, by=technician, kind="clock_pause" if end != End.OFF else "clock_off",
                 note=f"{line.description} · {End(end).label} · {entry.hours} h")
    return entry


@transaction.atomic
def clock_pause(*, line: WorkOrderLine, technician: Staff, reason: str, at: datetime | None = None) -> ClockEntry:
    if reason not in ClockEntry.PAUSES:
        raise DomainError(_("Choose why the job is paused."), field="reason")
    return _stop(line=line, technician=technician, at=at or timezone.now(), end=reason)


@transaction.atomic
def clock_off(*, line: WorkOrderLine, technician: Staff, at: datetime | None = None) -> ClockEntry:
    """Finish one's work on a line (完工). When every approved job of the order is finished, it goes to QC — unless a
    stocked part is neither issued nor marked not needed: then it waits in progress (the guard would refuse)."""
    entry = _stop(line=line, technician=technician, at=at or timezone.now(), end=End.OFF)
    order = WorkOrder.objects.get(pk=line.order_id)
    if order.status == S.IN_PROGRESS and order_work_finished(order=order) and not parts_outstanding(order):
        work_order_transition(order=order, to=S.QUALITY_CHECK, by=technician, note=_("all jobs clocked off"))
    return entry
