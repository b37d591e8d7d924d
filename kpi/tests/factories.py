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
