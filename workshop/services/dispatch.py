"""Dispatch (派工): assign a labour line to one or more technicians and a bay; reassign."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from org.models import Position, Staff
from reception.models import WorkOrder, WorkOrderLine
from reception.services.workflow import record_event
from workshop.board.cache import board_touch
from workshop.models import Attendance, Bay, ClockEntry, JobAssignment
from workshop.services._common import lock_order, require_labour_line, require_on_floor


@transaction.atomic
def job_dispatch(
    *, line: WorkOrderLine, technicians: Iterable[Staff], bay: Bay | None, by: Staff, note: str = ""
) -> list[JobAssignment]:
    """Set who works on a line and where. Calling it again reassigns: people left out are taken off the job.
    ``note`` is added to the order history's entry (e.g. why the line was dispatched automatically)."""
    order = lock_order(line.order)
    line = WorkOrderLine.objects.get(pk=line.pk)
    require_labour_line(line)
    require_on_floor(order)
    if line.approval == WorkOrderLine.Approval.DECLINED:
        raise DomainError(_("The customer declined this line; it cannot be dispatched."))
    if line.approval != WorkOrderLine.Approval.APPROVED:
        raise DomainError(_("The customer has not approved this line yet: it cannot be dispatched."))
    people = {t.pk: t for t in technicians}
    if not people:
        raise DomainError(_("Choose at least one technician."), field="technicians")
    for person in people.values():
        if person.station_id != order.station_id or person.position != Position.TECHNICIAN or not person.is_active:
            raise DomainError(
                _("%(name)s is not an active technician of this station.") % {"name": person}, field="technicians"
            )
    if bay is not None and (bay.station_id != order.station_id or not bay.is_active):
        raise DomainError(_("This bay does not belong to the station."), field="bay")

    existing = {a.technician_id: a for a in JobAssignment.objects.filter(line=line).select_for_update()}
    removed = [pk for pk in existing if pk not in people]
    running = set(
        ClockEntry.objects.filter(line=line, technician_id__in=removed, ended_at__isnull=True).values_list(
            "technician_id", flat=True
        )
    )
    if running:
        names = ", ".join(str(existing[pk].technician) for pk in running)
        raise DomainError(
            _("%(names)s is clocked on this job: pause or clock off before taking them off it.") % {"names": names},
            field="technicians",
        )
    JobAssignment.objects.filter(line=line, technician_id__in=removed).delete()
    now = timezone.now()
    result = []
    for pk, person in people.items():
        assignment = existing.get(pk)
        if assignment is None:
            assignment = JobAssignment.objects.create(
                station_id=order.station_id, order=order, line=line, technician=person, bay=bay, assigned_by=by,
                assigned_at=now,
            )
        elif assignment.bay_id != (bay.pk if bay else None):
            assignment.bay = bay
            assignment.save(update_fields=["bay"])
        result.append(assignment)
    names = ", ".join(sorted(str(p) for p in people.values()))
    text = _("%(line)s → %(names)s, bay %(bay)s") % {"line": line.description, "names": names, "bay": bay or "—"}
    record_event(order=order, by=by, kind="reassign" if existing else "dispatch", note=f"{text} ({note})" if note else text)
    board_touch(order.station_id)
    return result


@transaction.atomic
def lines_dispatch(
    *, order: WorkOrder, lines: Iterable[WorkOrderLine], technicians: Iterable[Staff], bay: Bay | None, by: Staff
) -> list[JobAssignment]:
    """Several labour lines of one order to the same technician(s) and bay in one go (the dispatcher's form on the
    board): each line through ``job_dispatch``, all or none."""
    lines = list(lines)
    if not lines:
        raise DomainError(_("Choose at least one job."), field="lines")
    if any(line.order_id != order.pk for line in lines):
        raise DomainError(_("The job belongs to another order."), field="lines")
    people = list(technicians)
    result = []
    for line in lines:
        result += job_dispatch(line=line, technicians=people, bay=bay, by=by)
    return result


def technician_on_shift(technician: Staff, *, at: datetime | None = None) -> bool:
    """Clocked in today (the shift started and has not ended), not marked absent."""
    day = timezone.localdate(at or timezone.now())
    return Attendance.objects.filter(
        technician=technician, day=day, started_at__isnull=False, ended_at__isnull=True, is_absent=False
    ).exists()
