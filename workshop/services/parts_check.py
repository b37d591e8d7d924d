"""Part lines the workshop finished without (the old part was fine, the customer brought his own…): marked not needed,
with who, when and why, so the order may go to the final inspection without them (workshop.services.readiness)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from org.models import Staff
from reception.models import WorkOrderLine
from reception.services.workflow import record_event, work_order_transition
from workshop.board.cache import board_touch
from workshop.models import PartNotNeeded
from workshop.services._common import S, lock_order, require_on_floor
from workshop.services.readiness import order_work_finished, parts_outstanding


@transaction.atomic
def part_line_not_needed(*, line: WorkOrderLine, by: Staff, reason: str) -> PartNotNeeded:
    """The workshop finished without this part: recorded with who, when and why (also in the order history). When
    this was the last thing holding the order, it goes to the final inspection as the last clock-off would have sent
    it."""
    order = lock_order(line.order)
    line = WorkOrderLine.objects.select_related("part").get(pk=line.pk)
    reason = reason.strip()
    if line.kind != WorkOrderLine.Kind.PART or line.part_id is None:
        raise DomainError(_("Only a part line can be marked not needed."))
    if line.approval != WorkOrderLine.Approval.APPROVED:
        raise DomainError(_("Only an approved part line can be marked not needed."))
    require_on_floor(order)
    if not reason:
        raise DomainError(_("Say why the part is not needed."), field="reason")
    if PartNotNeeded.objects.filter(line=line).exists():
        raise DomainError(_("This part line is already marked not needed."))
    row = PartNotNeeded.objects.create(station_id=order.station_id, order=order, line=line, reason=reason, by=by)
    record_event(order=order, by=by, kind="part_not_needed",
                 note=_("%(part)s not needed: %(reason)s") % {"part": line.description, "reason": reason})
    board_touch(order.station_id)
    if order.status == S.IN_PROGRESS and order_work_finished(order=order) and not parts_outstanding(order):
        work_order_transition(order=order, to=S.QUALITY_CHECK, by=by, note=_("all jobs clocked off"))
    return row
