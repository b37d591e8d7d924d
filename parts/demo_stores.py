"""Demo: the second store room, the counter's lost sales and an open count sheet, for ``seed_demo``.

Runs after the orders' parts were issued (``parts.demo_demand``), so it takes only stock that is free. Per station:

- a quick-service store (快修二级库) next to the express bays, stocked from the main warehouse by a few transfers
  (调拨) through ``stock_transfer``, which refuses to take stock below zero or below what is reserved;
- about thirty lost sales (缺件 / 流失销售) over the last sixty days through ``lost_sale_record``: several parts,
  lost or met by an emergency purchase, recorded by the parts clerk or the parts lead;
- one stocktake still being counted (bins A…), so the count sheet can be printed.

Idempotent: each part is done once per station (the store's transfers, the lost sales, an open count sheet are
looked for first). Deterministic: its own random generator per station, so the other seeders' draws do not move.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from org.models import Position
from parts.models import LostSale, Part, StockBalance, StockMove, Stocktake, Warehouse
from parts.services.counter import lost_sale_record
from parts.services.stock import stock_transfer, warehouse_main
from parts.services.stocktake import stocktake_create

QUICK_CODE = "QUICK"
QUICK_NAME = "快修二级库"
# Part types the express bays use every day (prefixes of parts.demo's catalogue) and how many go to the store.
QUICK_PARTS = [("04152", 6), ("08880", 4), ("90430", 10), ("87139", 3), ("17801", 3), ("85212", 2)]
LOST_SALES = 30
DAYS = 60
# Parts asked for at the counter and not on the shelf: a few come back again and again.
LOST_PREFIXES = ["81110", "52119", "87910", "22204", "89465", "16100", "48510", "04465", "28800", "43512"]
LOST_NOTES = ["客户等不及，去外面买了", "周末缺货，客户改约", "客户嫌等件时间长", "车型较老，厂家缺货", ""]
EMERGENCY_NOTES = ["保险车等件，紧急外采", "急修车辆，同城4S店调货", "事故车定损后急需", "客户在店等候，本地供应商送货"]


def seed(ctx) -> None:
    for station in ctx.stations:
        staff = ctx.station_staff(station, Position.PARTS_CLERK) + ctx.station_staff(station, Position.PARTS_LEAD)
        if not staff:
            continue
        lead = (ctx.station_staff(station, Position.PARTS_LEAD) or staff)[0]
        rng = random.Random(f"parts-stores-{station.code}")
        with transaction.atomic():
            _quick_store(station=station, by=lead)
        with transaction.atomic():
            _lost_sales(station=station, staff=staff, rng=rng)
        with transaction.atomic():
            _open_stocktake(station=station, by=staff[0])


def _quick_store(*, station, by) -> None:
    main = warehouse_main(station=station)
    quick, _created = Warehouse.objects.get_or_create(station=station, code=QUICK_CODE,
                                                      defaults={"name": QUICK_NAME})
    if StockMove.objects.filter(warehouse=quick, kind=StockMove.Kind.TRANSFER_IN).exists():
        return  # stocked on an earlier run
    for prefix, quantity in QUICK_PARTS:
        quantity = Decimal(quantity)
        # The best-stocked part of the type whose free stock stays at or above its minimum after the transfer.
        balance = (
            StockBalance.objects.filter(warehouse=main, part__part_number__startswith=f"{prefix}-",
                                        part__is_active=True, part__superseded_by__isnull=True)
            .select_related("part").order_by("-on_hand", "part__part_number").first()
        )
        if balance is None or balance.on_hand - balance.reserved - quantity < balance.min_qty:
            continue
        stock_transfer(part=balance.part, source=main, target=quick, quantity=quantity, by=by, reason="快修工位备货")


def _lost_sales(*, station, staff, rng) -> None:
    if LostSale.objects.filter(station=station).exists():
        return
    parts = []
    for prefix in LOST_PREFIXES:
        part = Part.objects.filter(station=station, part_number__startswith=f"{prefix}-").order_by("part_number").first()
        if part is not None:
            parts.append(part)
    if not parts:
        return
    weights = [len(parts) - i for i in range(len(parts))]  # the first types are asked for most
    now = timezone.localtime().replace(second=0, microsecond=0)
    for _ in range(LOST_SALES):
        day = now - timedelta(days=rng.randint(0, DAYS - 1))
        at = day.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59))
        if at > now:
            at -= timedelta(days=1)
        emergency = rng.random() < 0.35
        lost_sale_record(
            part=rng.choices(parts, weights=weights)[0], quantity=Decimal(rng.choice([1, 1, 1, 2, 2, 4])),
            by=rng.choice(staff), outcome=LostSale.Outcome.EMERGENCY if emergency else LostSale.Outcome.LOST,
            note=rng.choice(EMERGENCY_NOTES if emergency else LOST_NOTES), at=at,
        )


def _open_stocktake(*, station, by) -> None:
    if Stocktake.objects.filter(station=station, status=Stocktake.Status.COUNTING).exists():
        return
    stocktake_create(warehouse=warehouse_main(station=station), by=by, bin_prefix="A", blind=True)
