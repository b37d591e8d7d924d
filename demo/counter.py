"""Counter sales in the demo (issue 19, item 12), through the services: walk-ins buying accessories (精品), an owner
buying an extended warranty (延保) with floor mats, the cashier taking the money and recording the VAT invoice of
the first owner's sale (the same invoice path as a statement's); one sale left to pay. Packages are sold through the
counter too (demo/packages.py).

Parts with free stock only (the counter refuses a short line); a station that already has counter sales of parts
or warranties is left alone (a second run changes nothing).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from demo.base import DemoContext, rng_for
from org.models import Position
from parts.models import Part, StockBalance
from reception.models import Vehicle
from settlement.models import CounterSaleLine
from settlement.services.counter_sales import (
    counter_line_part_add,
    counter_line_warranty_add,
    counter_payment_record,
    counter_sale_confirm,
    counter_sale_create,
)
from settlement.services.invoices import counter_invoice_record

WALK_INS = ["王先生", "李女士", "", "赵先生"]
WARRANTIES = [("原厂延保 2 年", "一汽丰田原厂延保", 24, 60000, Decimal("2980.00")),
              ("原厂延保 3 年", "一汽丰田原厂延保", 36, 100000, Decimal("3880.00"))]
METHODS = ["wechat", "cash", "alipay", "card"]


def seed_counter(ctx: DemoContext) -> None:
    for station in ctx.stations:
        if CounterSaleLine.objects.filter(sale__station=station).exclude(kind=CounterSaleLine.Kind.PACKAGE).exists():
            continue
        with transaction.atomic():
            _station(ctx, station)


def _free_parts(station, count: int) -> list[Part]:
    """Parts with at least three free (a walk-in and two owners may take one each), in a fixed order."""
    ids = (StockBalance.objects.filter(station=station, warehouse__is_main=True, on_hand__gte=3)
           .values_list("part_id", "on_hand", "reserved").order_by("part_id"))
    return list(Part.objects.filter(pk__in=[pk for pk, on_hand, reserved in ids if on_hand - reserved >= 3][:count]))


def _station(ctx: DemoContext, station) -> None:
    rng = rng_for("counter", station.code)
    try:
        seller = ctx.first(station, Position.PARTS_LEAD, Position.PARTS_CLERK)
        cashier = ctx.first(station, Position.CASHIER)
    except LookupError:
        return
    parts = _free_parts(station, 6)
    vehicles = list(Vehicle.objects.filter(station=station, owner__isnull=False).order_by("pk")[:2])
    discount = Decimal("5") if seller.position == Position.PARTS_LEAD else Decimal("0")  # within the lead's 10 %
    sales = []
    for i, name in enumerate(WALK_INS[:len(parts)]):
        sale = counter_sale_create(station=station, by=seller, walk_in_name=name)
        counter_line_part_add(sale=sale, by=seller, part=parts[i], quantity=Decimal("1"))
        sales.append(sale)
    for vehicle, (description, provider, months, km, price) in zip(vehicles, WARRANTIES, strict=False):
        sale = counter_sale_create(station=station, by=seller, customer=vehicle.owner, vehicle=vehicle)
        counter_line_warranty_add(sale=sale, by=seller, description=description, provider=provider, term_months=months,
                                  term_km=km, price=price, discount_pct=discount)
        if parts:  # floor mats or a part with it, from the parts with free stock
            counter_line_part_add(sale=sale, by=seller, part=parts[(4 + len(sales)) % len(parts)], quantity=Decimal("1"))
        sales.append(sale)
    for n, sale in enumerate(sales):
        sale = counter_sale_confirm(sale=sale, by=seller)
        if n < len(sales) - 1:  # the last one waits at the cashier
            counter_payment_record(sale=sale, by=cashier, method=rng.choice(METHODS), amount=sale.gross)
            if sale.customer_id is not None and not sale.invoices.exists():  # the first owner's: a VAT invoice
                counter_invoice_record(sale=sale, by=cashier, number=f"{rng.randint(10**19, 10**20 - 1)}",
                                       issued_on=timezone.localdate(), amount=sale.gross, title=sale.customer.name,
                                       electronic=False)
