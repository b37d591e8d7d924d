"""Is an order's work done? Its jobs clocked off (``order_work_finished``) and its parts issued (``parts_outstanding``).

Parts before the final inspection: every approved part line of an order is issued from stock, or the workshop says
explicitly that it was not needed, before the order goes to QC.

Parts sits below the workshop: the issued quantities come from parts' order-facing module (a plain import). The rule
is the guard of the IN_PROGRESS → QUALITY_CHECK transition (registered in WorkshopConfig.ready()), so no path — the
last clock-off, the dispatcher's button, another app — moves an order to QC past it.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.errors import TransitionError
from parts.services.orders import issued_by_line
from reception.models import WorkOrder, WorkOrderLine
from workshop.models import ClockEntry, Finding, PartNotNeeded

ZERO = Decimal("0")


def stocked_part_lines(order: WorkOrder) -> QuerySet[WorkOrderLine]:
    """The approved part lines naming a part of the catalogue (sublet and free-text lines are not issued)."""
    return order.lines.filter(
        kind=WorkOrderLine.Kind.PART, approval=WorkOrderLine.Approval.APPROVED, part__isnull=False
    ).select_related("part")


def part_lines_status(order: WorkOrder) -> list[WorkOrderLine]:
    """The order's approved stocked part lines, each with ``issued_qty``, ``outstanding_qty`` and ``not_needed_row``
    (the PartNotNeeded row, or None) attached."""
    lines = list(stocked_part_lines(order))
    issued = issued_by_line(orders=WorkOrder.objects.filter(pk=order.pk))
    waived = {row.line_id: row for row in PartNotNeeded.objects.filter(order=order).select_related("by")}
    for line in lines:
        line.issued_qty = issued.get(line.pk, ZERO)
        line.outstanding_qty = max(line.quantity - line.issued_qty, ZERO)
        line.not_needed_row = waived.get(line.pk)
    return lines


def parts_outstanding(order: WorkOrder) -> list[WorkOrderLine]:
    """Approved stocked part lines neither fully issued nor marked not needed."""
    return [line for line in part_lines_status(order) if line.outstanding_qty > 0 and line.not_needed_row is None]


def workshop_parts_issued(*, order, by) -> None:
    """The guard: no final inspection while a stocked part of the order is neither issued nor marked not needed."""
    missing = parts_outstanding(order)
    if missing:
        raise TransitionError(
            _("Parts not issued yet: %(parts)s. Issue them at the parts counter, or mark them not needed, before the "
              "final inspection.") % {"parts": ", ".join(line.description for line in missing)}
        )


def order_work_finished(*, order: WorkOrder) -> bool:
    """True when every approved labour line has been worked and clocked off by everyone who worked on it (no clock
    runs or is paused), and no additional work awaits the customer's answer."""
    if Finding.objects.filter(order=order, decision=Finding.Decision.PENDING).exists():
        return False
    lines = list(
        WorkOrderLine.objects.filter(order=order, kind=WorkOrderLine.Kind.LABOUR, approval=WorkOrderLine.Approval.APPROVED)
    )
    if not lines:
        return False
    last: dict[tuple[int, int], ClockEntry] = {}
    for entry in ClockEntry.objects.filter(order=order).order_by("started_at", "id"):
        last[(entry.line_id, entry.technician_id)] = entry
    for line in lines:
        # Whoever worked on the line must have clocked off; a helper assigned who never clocked on does not hold it up.
        people = {tech for (line_id, tech) in last if line_id == line.pk}
        if not people:
            return False
        for tech in people:
            entry = last.get((line.pk, tech))
            if entry is None or entry.end != ClockEntry.End.OFF:
                return False
    return True
