"""The one place tests build kpi's rows (appraisals), and KPI scenarios: orders opened, promised and delivered at
exact moments, and a stock history around 2026-03-02. The other departments' rows in those scenarios come from
their own factories (``reception.factories``, ``parts.factories``); what is here is only the timing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import factory
from django.utils import timezone

from kpi.models import Appraisal
from org.factories import StaffFactory
from parts.factories import PartFactory, StockMoveFactory, WarehouseFactory
from reception.factories import CustomerFactory, VehicleFactory, WorkOrderFactory, WorkOrderLineFactory
from reception.models import Customer, WorkOrder


class AppraisalFactory(factory.django.DjangoModelFactory):
    """An advisor's monthly appraisal, not yet scored (March 2026)."""

    class Meta:
        model = Appraisal

    advisor = factory.SubFactory(StaffFactory, position="service_advisor")
    station = factory.SelfAttribute("advisor.station")
    month = date(2026, 3, 1)


def at(text: str) -> datetime:
    """'2026-03-02 10:00' in the project time zone."""
    return timezone.make_aware(datetime.fromisoformat(text))


def make_order(*, station, advisor, opened: str, delivered: str | None = None, promised: str | None = None,
               status: str | None = None, lines: list[dict] = (), walk_in: bool = True,
               customer: Customer | None = None) -> WorkOrder:
    """An order opened at ``opened`` (delivered if ``delivered`` is given, else open), with ``lines`` as
    ``WorkOrderLineFactory`` fields in order."""
    customer = customer or CustomerFactory(station=station)
    order = WorkOrderFactory(
        station=station, advisor=advisor, customer=customer, vehicle=VehicleFactory(station=station, owner=customer),
        status=status or (WorkOrder.Status.DELIVERED if delivered else WorkOrder.Status.OPEN),
        promised_at_signed=at(promised) if promised else None, is_walk_in=walk_in,
        delivered_at=at(delivered) if delivered else None, opened_at=at(opened),
    )
    for i, spec in enumerate(lines):
        fields = {"kind": "labour", "unit_price": "0", **spec}
        WorkOrderLineFactory(order=order, position=i, description=f"{fields['kind']} line", **fields)
    return order


def stock_history(station) -> None:
    """Three parts' moves around 2026-03-02: A moving (7 on hand that day, the last 7 go out on 03-05), B untouched
    since 2024 (obsolete, 2 × 50), C received and used up. On 03-02 the stock is worth 7 × 10 + 2 × 50 = 170."""
    wh = WarehouseFactory(station=station, code="MAIN", name="主仓", is_main=True)
    moving = PartFactory(station=station, part_number="A", name_zh="常用件", cost=Decimal("10"))
    dead = PartFactory(station=station, part_number="B", name_zh="呆滞件", cost=Decimal("50"))
    gone = PartFactory(station=station, part_number="C", name_zh="用完", cost=Decimal("5"))
    for part, kind, qty, after, when in (
        (dead, "receipt", 2, 2, "2024-01-05 10:00"),
        (moving, "receipt", 10, 10, "2026-02-01 10:00"),
        (moving, "issue", -3, 7, "2026-03-02 10:00"),
        (gone, "receipt", 1, 1, "2026-02-01 10:00"),
        (gone, "issue", -1, 0, "2026-03-02 11:00"),
        (moving, "issue", -7, 0, "2026-03-05 10:00"),  # after 03-02: still on hand that day
    ):
        StockMoveFactory(warehouse=wh, part=part, kind=kind, quantity=qty, balance_after=after, at=at(when))
