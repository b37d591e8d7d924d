from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import DomainError
from reception.models import WorkOrder, WorkOrderLine

S = WorkOrder.Status
ON_FLOOR = (S.OPEN, S.IN_PROGRESS)


def lock_order(order: WorkOrder) -> WorkOrder:
    """Serialise changes to one order's workshop records (dispatch, clock, findings) on its row lock."""
    return WorkOrder.objects.select_for_update().get(pk=order.pk)


def require_labour_line(line: WorkOrderLine) -> None:
    if line.kind != WorkOrderLine.Kind.LABOUR:
        raise DomainError(_("Only labour lines are dispatched and clocked."))


def require_on_floor(order: WorkOrder) -> None:
    if order.status not in ON_FLOOR:
        raise DomainError(
            _("Order %(number)s is “%(status)s”: the workshop cannot work on it now.")
            % {"number": order.number, "status": S(order.status).label}
        )
