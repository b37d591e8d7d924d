"""Additional work (增项): the technician's finding becomes proposed lines; the advisor records the customer's answer.

Nothing is done on a proposed line until the customer approves (the clock refuses it). Approved lines join a new
estimate version; declined lines stay on the order as recommendations for the vehicle's next visit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from org.models import Position, Staff
from parts.services.orders import line_demand_capture
from reception.models import LabourOperation, Payer, WorkOrder, WorkOrderLine
from reception.services.estimates import estimate_snapshot
from reception.services.workflow import record_event
from workshop.board.cache import board_touch
from workshop.models import Channel, Finding, FindingPhoto, FindingVideo, JobAssignment
from workshop.services._common import lock_order, require_on_floor
from workshop.services.dispatch import job_dispatch, technician_on_shift

Approval = WorkOrderLine.Approval


def finding_allowed(*, technician: Staff, order: WorkOrder, line: WorkOrderLine | None = None) -> bool:
    """A technician records findings only on a job dispatched to him (on this line, or on the order when no line is
    named)."""
    jobs = JobAssignment.objects.filter(order=order, technician=technician)
    return (jobs.filter(line=line) if line is not None else jobs).exists()


@transaction.atomic
def finding_create(
    *,
    order: WorkOrder,
    by: Staff,
    description: str,
    labour_operation: LabourOperation | None = None,
    hours: Decimal | None = None,
    part=None,
    part_quantity: Decimal | None = None,
    found_on: WorkOrderLine | None = None,
    photos: Iterable = (),
    video=None,
) -> Finding:
    order = lock_order(order)
    require_on_floor(order)
    if not description.strip():
        raise DomainError(_("Describe what you found."), field="description")
    if labour_operation is None and part is None:
        raise DomainError(_("Propose a labour operation, a part, or both."), field="labour_operation")
    if labour_operation is not None and labour_operation.station_id != order.station_id:
        raise DomainError(_("This labour operation is not in the station's catalogue."), field="labour_operation")
    if part is not None and part.station_id != order.station_id:
        raise DomainError(_("This part is not in the station's catalogue."), field="part")
    if found_on is not None and found_on.order_id != order.pk:
        raise DomainError(_("The job belongs to another order."))
    if not finding_allowed(technician=by, order=order, line=found_on):
        raise DomainError(_("This job is not dispatched to you: only its technician records findings on it."))
    position = (WorkOrderLine.objects.filter(order=order).aggregate(m=Max("position"))["m"] or 0) + 1
    payer = Payer.CUSTOMER  # additional work is the customer's unless the advisor changes the payer
    lines = []
    if labour_operation is not None:
        lines.append(
            WorkOrderLine.objects.create(
                order=order, kind=WorkOrderLine.Kind.LABOUR, payer=payer, labour_operation=labour_operation,
                description=labour_operation.name_zh, hours=hours if hours is not None else labour_operation.standard_hours,
                quantity=Decimal("1"), unit_price=labour_operation.rate_for(payer), approval=Approval.PROPOSED,
                is_additional=True, position=position,
            )
        )
    if part is not None:
        quantity = part_quantity or Decimal("1")
        if quantity <= 0:
            raise DomainError(_("The quantity must be more than zero."), field="part_quantity")
        lines.append(
            WorkOrderLine.objects.create(
                order=order, kind=WorkOrderLine.Kind.PART, payer=payer, part=part, description=part.name_zh,
                quantity=quantity, unit_price=part.list_price, unit_cost=part.cost, approval=Approval.PROPOSED,
                is_additional=True, position=position + 1,
            )
        )
    finding = Finding.objects.create(
        station_id=order.station_id, order=order, vehicle_id=order.vehicle_id, found_on=found_on,
        description=description.strip(), found_by=by,
    )
    finding.lines.set(lines)
    for photo in photos:
        FindingPhoto.objects.create(finding=finding, image=photo)
    if video:
        FindingVideo.objects.create(finding=finding, video=video)
    record_event(order=order, by=by, kind="additional_work", note=finding.description)
    board_touch(order.station_id)
    return finding


@transaction.atomic
def finding_decide(
    *,
    finding: Finding,
    approve: bool,
    channel: str,
    by: Staff,
    answered_at: datetime | None = None,
    note: str = "",
) -> Finding:
    """Record the customer's answer: who recorded it, when the customer answered and how (phone, in person…)."""
    order = lock_order(finding.order)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.decision != Finding.Decision.PENDING:
        raise DomainError(_("The customer's decision on this finding is already recorded."))
    if channel not in Channel.values:
        raise DomainError(_("Say how the customer answered."), field="channel")
    require_on_floor(order)
    now = timezone.now()
    answered_at = answered_at or now
    if answered_at > now:
        raise DomainError(_("The customer's answer cannot be in the future."), field="answered_at")
    finding.decision = Finding.Decision.APPROVED if approve else Finding.Decision.DECLINED
    finding.channel = channel
    finding.customer_answered_at = answered_at
    finding.decided_by = by
    finding.decided_at = now
    finding.decision_note = note
    finding.save()
    finding.lines.update(approval=Approval.APPROVED if approve else Approval.DECLINED, updated_at=now)
    summary = _("%(what)s — %(decision)s (%(channel)s)") % {
        "what": finding.description[:80], "decision": finding.get_decision_display(),
        "channel": Channel(channel).label,
    }
    record_event(order=order, by=by, kind="additional_work_decision", note=summary if not note else f"{summary}: {note}")
    board_touch(order.station_id)
    finding.dispatched_to = None
    if approve:
        _part_lines_demand(finding=finding, by=by)
        _snapshot_estimate(order=order, by=by, note=summary, channel=channel)
        finding.dispatched_to = _dispatch_to_finder(finding=finding, by=by)
    return finding


def finder_may_take(finding: Finding) -> bool:
    """The technician who found the work takes it on approval when he is still an active technician of the station
    and on shift (clocked in today)."""
    tech = finding.found_by
    return (
        tech.is_active and tech.position == Position.TECHNICIAN and tech.station_id == finding.station_id
        and technician_on_shift(tech)
    )


def _dispatch_to_finder(*, finding: Finding, by: Staff) -> Staff | None:
    """Approved labour lines go to the technician who found the work, in the bay of the job he found it on, through
    the dispatch service (who and when are recorded on the assignment and in the order history). When he cannot take
    it they stay undispatched — the dispatch list marks them "approved additional work, to dispatch" — and the order
    history says why. Returns the technician, or None."""
    labour = list(finding.lines.filter(kind=WorkOrderLine.Kind.LABOUR, approval=Approval.APPROVED))
    if not labour:
        return None
    tech = finding.found_by
    if not finder_may_take(finding):
        record_event(
            order=finding.order, by=by, kind="additional_work_decision",
            note=_("approved additional work left for the dispatcher: %(name)s is not on shift") % {"name": tech},
        )
        return None
    found_job = (
        JobAssignment.objects.filter(line_id=finding.found_on_id, technician=tech).select_related("bay").first()
        if finding.found_on_id else None
    )
    bay = found_job.bay if found_job and found_job.bay and found_job.bay.is_active else None
    for line in labour:
        job_dispatch(line=line, technicians=[tech], bay=bay, by=by,
                     note=_("approved additional work, to the technician who found it"))
    return tech


def _part_lines_demand(*, finding: Finding, by: Staff) -> None:
    """Approved part lines ask the parts app for the parts, as reception does for its own approvals."""
    for line in finding.lines.filter(kind=WorkOrderLine.Kind.PART):
        line_demand_capture(line=line, by=by)


def _snapshot_estimate(*, order: WorkOrder, by: Staff, note: str, channel: str) -> None:
    """Approved additional work joins a new estimate version (reception's service).

    Only this finding's lines were approved here; other findings' lines stay proposed, so reception must not approve
    every proposed line of the order (``approve_proposed=False``).
    """
    estimate_snapshot(order=order, by=by, note=note, approval_channel=channel, approve_proposed=False)
