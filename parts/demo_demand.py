"""Demo: the first-fill history of the demo orders' part lines.

The front desk's demo writes its orders in bulk (after parts' own demo has run), so no part line went through
``part_line_requested``. This seeder records, once per demo part line, the demand as it would have been captured
when the line was put on the order: about nine lines in ten filled from stock. Idempotent: lines that already have
a demand record are left alone.

Then the orders on the floor get their parts: a line filled from stock on an order in quality check or ready for
settlement has been issued to the technician (on an order in progress, four lines in five), through the counter's
own service, so stock, costs and the settlement's reconciliation agree. Lines already issued are left alone.
"""

from __future__ import annotations

import random
from decimal import Decimal

from core.errors import DomainError
from org.models import Position
from parts.models import DemandLine
from parts.services.counter import parts_issue
from parts.services.demand import net_issued

ON_THE_FLOOR = {"in_progress": 0.8, "quality_check": 1.0, "ready": 1.0}


def seed(ctx) -> None:
    from reception.models import WorkOrderLine

    lines = (
        WorkOrderLine.objects.filter(order__station__in=ctx.stations, kind="part", part__isnull=False, demand__isnull=True)
        .exclude(order__status__in=["cancelled"])
        .values_list("id", "order__station_id", "part_id", "quantity", "order__opened_at", "order__advisor_id")
    )
    records = []
    for line_id, station_id, part_id, quantity, opened_at, advisor_id in lines.iterator():
        rng = random.Random(line_id)  # the same decision on every run
        filled = rng.random() < 0.91
        records.append(DemandLine(
            line_id=line_id, station_id=station_id, part_id=part_id, requested_qty=quantity,
            available_qty=quantity if filled else quantity - 1, filled_from_stock=filled,
            requested_at=opened_at, by_id=advisor_id,
        ))
    DemandLine.objects.bulk_create(records, batch_size=1000)
    _issue_on_the_floor(ctx)


def _issue_on_the_floor(ctx) -> None:
    from reception.models import WorkOrderLine

    lines = (
        WorkOrderLine.objects.filter(order__station__in=ctx.stations, order__status__in=ON_THE_FLOOR, kind="part",
                                     part__isnull=False, approval="approved", demand__filled_from_stock=True)
        .select_related("order__station", "part").order_by("order__opened_at", "id")
    )
    for line in lines:
        if random.Random(line.pk).random() >= ON_THE_FLOOR[line.order.status]:
            continue
        missing = line.quantity - net_issued(line)
        clerks = ctx.station_staff(line.order.station, Position.PARTS_CLERK)
        if missing <= Decimal("0") or not clerks:
            continue
        try:
            parts_issue(line=line, quantity=missing, by=clerks[0])
        except DomainError:
            continue  # not enough free stock: the line waits for the part, as on a real floor
