"""Work-order part lines seen from the parts department: demand capture (first-fill rate) and reservations.

The front desk calls ``part_line_requested`` when a part line is put on an order and ``part_line_released`` when
it is removed, declined or its order cancelled.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import TransitionError
from parts.models import DemandLine, PartsRequest, Reservation, StockMove
from parts.selectors import issued_quantity_by_line
from parts.services.stock import ZERO, locked_balance, reservation_adjust, warehouse_main


def is_part_line(line) -> bool:
    return line.kind == "part" and line.part_id is not None


def net_issued(line) -> Decimal:
    """Issued minus returned for one work-order line."""
    from django.db.models import Sum

    total = StockMove.objects.filter(
        line=line, kind__in=[StockMove.Kind.ISSUE, StockMove.Kind.RETURN]
    ).aggregate(s=Sum("quantity"))["s"]
    return -(total or ZERO)


@transaction.atomic
def part_line_requested(*, line, by) -> DemandLine | None:
    """Record the demand for this part line (once) and reserve what is available for it.

    The first call captures whether the line was filled from stock at that moment (all of it available; a partly
    filled line counts as not filled). Later calls (quantity changed, line re-added) only adjust the reservation.
    """
    if not is_part_line(line):
        return None
    order = line.order
    part = line.part
    warehouse = warehouse_main(station=order.station)
    balance = locked_balance(warehouse=warehouse, part=part)
    current = Reservation.objects.filter(line=line, warehouse=warehouse, part=part).values_list("quantity", flat=True)
    current_qty = current[0] if current else ZERO
    free_for_line = balance.on_hand - balance.reserved + current_qty
    outstanding = max(Decimal(line.quantity) - net_issued(line), ZERO)
    target = max(min(outstanding, free_for_line), ZERO)

    demand = DemandLine.objects.filter(line=line).first()
    if demand is None:
        demand = DemandLine.objects.create(
            line=line,
            station_id=order.station_id,
            part=part,
            requested_qty=line.quantity,
            available_qty=max(free_for_line, ZERO),
            filled_from_stock=free_for_line >= Decimal(line.quantity),
            by=by,
        )
    elif demand.released_at is not None:
        demand.released_at = None
        demand.save(update_fields=["released_at"])
    reservation_adjust(line=line, warehouse=warehouse, part=part, balance=balance, target=target, by=by)
    return demand


@transaction.atomic
def part_line_released(*, line, by) -> None:
    """Give back everything reserved for this line; cancel its open parts requests."""
    for res in Reservation.objects.filter(line=line, quantity__gt=0).select_related("warehouse", "part"):
        balance = locked_balance(warehouse=res.warehouse, part=res.part)
        reservation_adjust(line=line, warehouse=res.warehouse, part=res.part, balance=balance, target=ZERO, by=by)
    now = timezone.now()
    DemandLine.objects.filter(line=line, released_at__isnull=True).update(released_at=now)
    PartsRequest.objects.filter(line=line, status=PartsRequest.Status.OPEN).update(
        status=PartsRequest.Status.CANCELLED, closed_at=now
    )


# --- the order's cancel/settle rules parts offers (registered by ReceptionConfig.ready()) ----------------------
def no_parts_on_order(*, order, by) -> None:
    """Guard for cancelling an order: parts issued to it must be returned to the counter first."""
    if any(qty > 0 for qty in issued_quantity_by_line(order=order).values()):
        raise TransitionError(_("Parts have been issued to this order: return them to the parts counter first."))


def order_release_reservations(*, order, by) -> None:
    """After hook (cancel, settle): nothing stays reserved for an order that is closed."""
    for line in order.lines.filter(kind="part", reservations__quantity__gt=0).distinct():
        part_line_released(line=line, by=by)
