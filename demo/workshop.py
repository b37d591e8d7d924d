"""The demo's workshop: bays, shifts, dispatch, the job clock, additional work found under the car, the final
inspection, comebacks and next week's roster.

Services used: ``workshop.services.attendance`` (``attendance_start``, ``attendance_end``),
``workshop.services.dispatch.job_dispatch``, ``workshop.services.clock`` (``clock_on``, ``clock_pause``,
``clock_off``), ``workshop.services.findings`` (``finding_create`` with a photo, ``finding_decide``),
``workshop.services.quality.quality_check_record``, ``workshop.services.comebacks`` (``comeback_candidates``,
``comeback_link``, ``main_technician``), ``workshop.services.roster.roster_set``; the counter's
``parts.services.counter.parts_issue`` hands the parts over when a job starts.
Bays are reference data with no service (set up in the admin), so they are created directly.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from core.errors import DomainError
from demo import data as D
from demo.base import DemoContext
from demo.photos import photo
from demo.reception import lead_review_if_needed
from org.models import Position, Staff, Station
from parts.models import Part
from parts.services.counter import parts_issue
from reception.models import LabourOperation, WorkOrder, WorkOrderLine
from workshop.models import CHECKLIST, Attendance, Bay, Channel, ClockEntry, Comeback, Finding
from workshop.selectors import comeback_candidates
from workshop.services.attendance import attendance_end, attendance_start
from workshop.services.clock import clock_on, clock_pause
from workshop.services.comebacks import comeback_link, main_technician
from workshop.services.dispatch import job_dispatch
from workshop.services.findings import finding_create, finding_decide
from workshop.services.parts_check import part_line_not_needed
from workshop.services.quality import quality_check_record
from workshop.services.readiness import parts_outstanding
from workshop.services.roster import roster_set

COMEBACKS = 3  # per station


def seed_bays(ctx: DemoContext) -> None:
    for station in ctx.stations:
        for code, name, kind in D.BAYS:
            Bay.objects.get_or_create(station=station, code=code, defaults={"name": name, "kind": kind})


def lift_bays(station: Station) -> list[Bay]:
    return list(Bay.objects.filter(station=station, kind=Bay.Kind.LIFT).order_by("code"))


def shift_start(techs: list[Staff], day: date) -> None:
    """The technicians start their shift (Sundays off); called with the time machine at the start of the day."""
    if day.weekday() == 6:
        return
    for tech in techs:
        if not Attendance.objects.filter(technician=tech, day=day, started_at__isnull=False).exists():
            attendance_start(technician=tech)


def shift_end(techs: list[Staff], day: date) -> None:
    """End of the day: everyone not still clocked on goes home."""
    for tech in techs:
        row = Attendance.objects.filter(technician=tech, day=day, started_at__isnull=False, ended_at=None).first()
        if row is not None and not ClockEntry.objects.filter(technician=tech, ended_at=None).exists():
            attendance_end(technician=tech)


def labour_lines(order: WorkOrder) -> list[WorkOrderLine]:
    return list(order.lines.filter(kind=WorkOrderLine.Kind.LABOUR, approval=WorkOrderLine.Approval.APPROVED)
                .order_by("position"))


def free_technician(techs: list[Staff], rng: random.Random, *, busy: set[int]) -> Staff | None:
    """A technician with no job in hand (``busy``) and no clock running, chosen at random among them."""
    running = set(ClockEntry.objects.filter(technician__in=techs, ended_at=None).values_list("technician_id", flat=True))
    free = [t for t in techs if t.pk not in running and t.pk not in busy]
    return rng.choice(free) if free else None


def clock_running_elsewhere(techs: list[Staff], order: WorkOrder) -> bool:
    return ClockEntry.objects.filter(technician__in=techs, ended_at=None).exclude(order=order).exists()


def dispatch(order: WorkOrder, *, tech: Staff, bay: Bay, by: Staff) -> None:
    for line in labour_lines(order):
        job_dispatch(line=line, technicians=[tech], bay=bay, by=by)


def start_work(order: WorkOrder, *, tech: Staff, clerk: Staff) -> WorkOrderLine:
    """Clock on the first job; the parts clerk hands over the parts that are on the shelf."""
    first = labour_lines(order)[0]
    clock_on(line=first, technician=tech)
    for line in order.lines.filter(kind=WorkOrderLine.Kind.PART, approval=WorkOrderLine.Approval.APPROVED,
                                   part__isnull=False):
        try:
            parts_issue(line=line, quantity=line.quantity, by=clerk)
        except DomainError:
            pass  # not enough free stock: the line waits for the part, as on a real floor
    return first


def parts_before_qc(order: WorkOrder, *, clerk: Staff, lead: Staff) -> None:
    """Before the last job is clocked off: the clerk issues what is now on the shelf; a part still out of stock is
    marked not needed by the workshop lead (the customer keeps the old one for now), as the floor must before QC."""
    for line in parts_outstanding(order):
        try:
            parts_issue(line=line, quantity=line.outstanding_qty, by=clerk)
        except DomainError:
            part_line_not_needed(line=line, by=lead, reason=D.PART_NOT_NEEDED)


def wait_for_parts(line: WorkOrderLine, *, tech: Staff) -> None:
    clock_pause(line=line, technician=tech, reason=ClockEntry.End.WAITING_PARTS)


def find_additional(order: WorkOrder, rng: random.Random, *, tech: Staff, found_on: WorkOrderLine) -> Finding | None:
    """Something found under the car (worn pads, an old battery…): the job it needs and its part, with a photo."""
    description, code, prefix, quantity = rng.choice(D.FINDINGS)
    operation = LabourOperation.objects.filter(station_id=order.station_id, code=code).first()
    part = (Part.objects.filter(station_id=order.station_id, part_number__startswith=f"{prefix}-", is_active=True,
                                superseded_by__isnull=True).order_by("pk").first() if prefix else None)
    if operation is None and part is None:
        return None
    return finding_create(order=order, by=tech, description=description, labour_operation=operation, part=part,
                          part_quantity=Decimal(quantity) if part else None, found_on=found_on,
                          photos=[photo("close", order.pk, order.vehicle.colour)])


def answer_finding(finding: Finding, rng: random.Random, *, approve: bool) -> None:
    """The advisor calls the customer (or shows them the photo at the desk) and records the answer."""
    channel = rng.choice([Channel.PHONE, Channel.PHONE, Channel.IN_PERSON, Channel.MESSAGE])
    note = rng.choice(D.FINDING_YES if approve else D.FINDING_NO)
    if approve:  # the total grows: above the threshold, the front-desk lead reviews it again first
        lead_review_if_needed(finding.order, note="增项后金额超出已审核金额，复核")
    finding_decide(finding=finding, approve=approve, channel=channel, by=finding.order.advisor, note=note)


def take_on_additional(finding: Finding, *, tech: Staff, bay: Bay, by: Staff, clerk: Staff) -> None:
    """Approved additional work goes to the technician who found it; the counter hands over its part."""
    for line in finding.lines.all():
        if line.kind == WorkOrderLine.Kind.LABOUR:
            job_dispatch(line=line, technicians=[tech], bay=bay, by=by)
        elif line.part_id:
            try:
                parts_issue(line=line, quantity=line.quantity, by=clerk)
            except DomainError:
                pass  # not on the shelf: the part is ordered, as on a real floor


def inspect(order: WorkOrder, rng: random.Random, *, qc: Staff, passed: bool) -> None:
    if passed:
        quality_check_record(order=order, by=qc, passed=True, checklist={code: True for code, _l in CHECKLIST},
                             road_test=rng.random() < 0.5, washed=rng.random() < 0.7)
    else:
        quality_check_record(order=order, by=qc, passed=False, reason=rng.choice(D.QC_FAIL),
                             checklist={code: code != "concern_fixed" for code, _l in CHECKLIST})


def link_comeback(order: WorkOrder, *, by: Staff) -> None:
    """The QC inspector links a repeat visit to the earlier one (a few per station)."""
    if Comeback.objects.filter(station_id=order.station_id).count() >= COMEBACKS:
        return
    earlier = comeback_candidates(order=order).first()
    if earlier is None:
        return
    causes = list(Comeback.Cause.values)
    made = Comeback.objects.filter(station_id=order.station_id).count()
    comeback_link(order=order, earlier_order=earlier, cause=causes[made % len(causes)], by=by,
                  technician=main_technician(order=earlier), advisor=earlier.advisor, note="同一故障再次出现")


def seed_roster(ctx: DemoContext) -> None:
    """Next week's plan as a dispatcher would set it: one technician on leave on Wednesday, one on a short Friday,
    a Saturday half-shift. Idempotent: the service records nothing when the day already holds that plan."""
    for station in ctx.stations:
        techs = ctx.station_staff(station, Position.TECHNICIAN)
        dispatcher = ctx.first(station, Position.WORKSHOP_LEAD)
        today = timezone.localdate()
        monday = today + timedelta(days=7 - today.weekday())
        plan = [(techs[0], 2, None, True), (techs[1], 4, Decimal("5"), False), (techs[-1], 5, Decimal("4"), False)]
        for tech, weekday, hours, absent in plan:
            roster_set(technician=tech, day=monday + timedelta(days=weekday), planned_hours=hours, absent=absent,
                       by=dispatcher)


def worked(line: WorkOrderLine, rng: random.Random) -> timedelta:
    return timedelta(hours=float(line.hours) * rng.uniform(0.75, 1.15))
