"""Dispatch (派工): assign a labour line to one or more technicians and a bay; reassign."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from org.models import Position, Staff
from reception.models import WorkOrderLine
from reception.services.workflow import record_event
from workshop.board.cache import board_touch
from workshop.models import Bay, ClockEntry, JobAssignment
from workshop.services._common import lock_order, require_labour_line, require_on_floor


@transaction.atomic
def job_dispatch(
    *, line: WorkOrderLine, technicians: Iterable[Staff], bay: Bay | None, by: Staff
) -> list[JobAssignment]:
    """Set who works on a line and where. Calling it again reassigns: people left out are taken off the job."""
    order = lock_order(line.order)
    line = WorkOrderLine.objects.get(pk=line.pk)
    require_labour_line(line)
    require_on_floor(order)
    if line.approval == WorkOrderLine.Approval.DECLINED:
        raise DomainError(_("The customer declined this line; it cannot be dispatched."))
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
    note = _("%(line)s → %(names)s, bay %(bay)s") % {"line": line.description, "names": names, "bay": bay or "—"}
    record_event(order=order, by=by, kind="reassign" if existing else "dispatch", note=note)
    board_touch(order.station_id)
    return result
