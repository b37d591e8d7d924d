"""Demo: the first-fill history of the demo orders' part lines.

The front desk's demo writes its orders in bulk (after parts' own demo has run), so no part line went through
``part_line_requested``. This seeder records, once per demo part line, the demand as it would have been captured
when the line was put on the order: about nine lines in ten filled from stock. Idempotent: lines that already have
a demand record are left alone.
"""

from __future__ import annotations

import random

from parts.models import DemandLine


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
