"""Orders with lines at given moments, made straight through the ORM (the KPI tests need exact timestamps)."""

from __future__ import annotations

import itertools
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from reception.models import Customer, Vehicle, WorkOrder, WorkOrderLine

_seq = itertools.count(1)


def at(text: str) -> datetime:
    """'2026-03-02 10:00' in the project time zone."""
    return timezone.make_aware(datetime.fromisoformat(text))


def make_order(*, station, advisor, opened: str, delivered: str | None = None, promised: str | None = None,
               status: str | None = None, lines: list[dict] = (), walk_in: bool = True,
               customer: Customer | None = None) -> WorkOrder:
    n = next(_seq)
    customer = customer or customer_make(station=station)
    vehicle = Vehicle.objects.create(station=station, owner=customer, vin=f"LKPIX0{n:011d}", plate=f"沪A{n:05d}")
    order = WorkOrder.objects.create(
        station=station, number=f"WO{n:06d}", customer=customer, vehicle=vehicle, advisor=advisor,
        status=status or (WorkOrder.Status.DELIVERED if delivered else WorkOrder.Status.OPEN),
        promised_at_signed=at(promised) if promised else None, is_walk_in=walk_in,
        delivered_at=at(delivered) if delivered else None,
    )
    WorkOrder.objects.filter(pk=order.pk).update(opened_at=at(opened))
    order.refresh_from_db()
    for i, spec in enumerate(lines):
        line_make(order=order, position=i, **spec)
    return order


def customer_make(*, station, name: str | None = None) -> Customer:
    n = next(_seq)
    return Customer.objects.create(station=station, name=name or f"客户{n}", mobile=f"139{n:08d}")


def line_make(*, order, kind="labour", payer="customer", hours="0", quantity="1", unit_price="0", unit_cost="0",
              discount_pct="0", approval="approved", position=0) -> WorkOrderLine:
    return WorkOrderLine.objects.create(
        order=order, kind=kind, payer=payer, description=f"{kind} line", hours=Decimal(hours),
        quantity=Decimal(quantity), unit_price=Decimal(unit_price), unit_cost=Decimal(unit_cost),
        discount_pct=Decimal(discount_pct), approval=approval, position=position,
    )


def stock_history(station) -> None:
    """Three parts' moves around 2026-03-02: A moving (7 on hand that day, the last 7 go out on 03-05), B untouched
    since 2024 (obsolete, 2 × 50), C received and used up. On 03-02 the stock is worth 7 × 10 + 2 × 50 = 170."""
    from parts.models import Part, StockMove, Warehouse

    wh = Warehouse.objects.create(station=station, code="MAIN", name="主仓", is_main=True)
    moving = Part.objects.create(station=station, part_number="A", name_zh="常用件", cost=Decimal("10"))
    dead = Part.objects.create(station=station, part_number="B", name_zh="呆滞件", cost=Decimal("50"))
    gone = Part.objects.create(station=station, part_number="C", name_zh="用完", cost=Decimal("5"))
    for part, kind, qty, after, when in (
        (dead, "receipt", 2, 2, "2024-01-05 10:00"),
        (moving, "receipt", 10, 10, "2026-02-01 10:00"),
        (moving, "issue", -3, 7, "2026-03-02 10:00"),
        (gone, "receipt", 1, 1, "2026-02-01 10:00"),
        (gone, "issue", -1, 0, "2026-03-02 11:00"),
        (moving, "issue", -7, 0, "2026-03-05 10:00"),  # after 03-02: still on hand that day
    ):
        StockMove.objects.create(station=station, warehouse=wh, part=part, kind=kind, quantity=qty,
                                 unit_cost=part.cost, balance_after=after, at=at(when))
