"""Parts between the demo's stations and late deliveries, through the parts services: transfers between the two
stations of the group (one received last week, one on the road, one drafted today), and purchase orders a supplier
is late with against its lead time (one not delivered at all, one delivered in part), so the transfers page and the
overdue list show what a parts lead meets.

A part the receiving station does not stock yet is first added to its catalogue (the CSV import, as a parts lead
would), since a transfer is received under the destination's part of the same number. Each piece is built once:
a second run finds it and changes nothing.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from demo.base import DemoContext, at
from demo.parts import network_supplier
from org.models import Position, Station
from parts.models import Part, PurchaseOrder, StationTransfer, Supplier, Warehouse
from parts.selectors import available_quantity
from parts.services.catalogue import parts_import_csv
from parts.services.purchasing import purchase_order_create, purchase_order_place, purchase_order_receive
from parts.services.station_transfers import (
    station_transfer_create,
    station_transfer_receive,
    station_transfer_ship,
)
from parts.services.stock import warehouse_main

# (days ago created, shipped?, received?, part-number prefixes, quantity, note) — from the first station to the
# second, then back
TRANSFERS = [
    (6, True, True, ["04152", "17801"], 4, "保养高峰，机滤告急"),
    (1, True, False, ["04465", "04466"], 2, "客户车辆等件，刹车片调拨"),
    (0, False, False, ["85222", "87139"], 1, "月底库存平衡"),
]
# (supplier code or None for the carmaker's parts centre, days late, part-number prefixes, receive the first line?)
LATE_ORDERS = [
    (None, 4, ["04465", "48510", "04152"], False, "配件中心缺货，催货中"),
    ("LOCAL", 2, ["90430", "08823", "88568"], True, "供应商分批到货"),
]


def seed_network(ctx: DemoContext) -> None:
    if len(ctx.stations) >= 2:
        with transaction.atomic():
            if not StationTransfer.objects.filter(from_station__in=ctx.stations).exists():
                _transfers(ctx, ctx.stations[0], ctx.stations[1])
    for station in ctx.stations:
        with transaction.atomic():
            if not PurchaseOrder.objects.filter(station=station, note__in=[o[4] for o in LATE_ORDERS]).exists():
                _late_orders(ctx, station)


def _lead(ctx: DemoContext, station: Station):
    return ctx.first(station, Position.PARTS_LEAD, Position.PARTS_CLERK)


def _in_stock(station: Station, warehouse: Warehouse, prefixes: list[str], quantity: int, count: int) -> list[Part]:
    """Up to ``count`` current parts of these types with more than ``quantity`` free on the shelf (one per type)."""
    found = []
    for prefix in prefixes:
        for part in Part.objects.filter(station=station, part_number__startswith=f"{prefix}-", is_active=True,
                                        superseded_by__isnull=True).order_by("pk"):
            if available_quantity(part=part, warehouse=warehouse) > quantity:
                found.append(part)
                break
        if len(found) == count:
            break
    return found


def _stock_at(destination: Station, parts: list[Part], by) -> None:
    """Add to the destination's catalogue the parts it does not list yet (same number and brand)."""
    have = set(Part.objects.filter(station=destination, part_number__in=[p.part_number for p in parts])
               .values_list("part_number", "brand"))
    missing = [p for p in parts if (p.part_number, p.brand) not in have]
    if not missing:
        return
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["part_number", "brand", "name_zh", "name_en", "genuine", "unit", "list_price"])
    for p in missing:
        writer.writerow([p.part_number, p.brand, p.name_zh, p.name_en, "1" if p.is_genuine else "0", p.unit,
                         p.list_price])
    result = parts_import_csv(station=destination, text=out.getvalue(), by=by)
    if not result.ok:
        raise RuntimeError(f"demo transfer parts refused: {result.errors[:3]}")


def _transfers(ctx: DemoContext, first: Station, second: Station) -> None:
    now = timezone.now().replace(second=0, microsecond=0)
    for index, (days, shipped, received, prefixes, quantity, note) in enumerate(TRANSFERS):
        source, destination = (first, second) if index % 2 == 0 else (second, first)
        parts = _in_stock(source, warehouse_main(station=source), prefixes, quantity + 1, 2)
        if not parts:
            continue
        sender, receiver = _lead(ctx, source), _lead(ctx, destination)
        _stock_at(destination, parts, receiver)
        created = now - timedelta(days=days, hours=-1)
        with at(created):
            transfer = station_transfer_create(
                from_station=source, to_station=destination, by=sender, note=note,
                lines=[{"part": p, "quantity": Decimal(quantity)} for p in parts])
        if shipped:
            with at(created + timedelta(hours=2)):
                station_transfer_ship(transfer=transfer, station=source, by=sender)
        if received:
            with at(created + timedelta(days=1)):
                station_transfer_receive(transfer=transfer, station=destination, by=receiver)


def _late_orders(ctx: DemoContext, station: Station) -> None:
    lead = _lead(ctx, station)
    warehouse = warehouse_main(station=station)
    for code, days_late, prefixes, part_received, note in LATE_ORDERS:
        supplier = Supplier.objects.get(station=station, code=code) if code else network_supplier(station)
        parts = _in_stock(station, warehouse, prefixes, -1, 3)  # any current part of these types, stocked or not
        if not parts:
            continue
        placed = timezone.now() - timedelta(days=supplier.lead_days + days_late)
        with at(placed):
            po = purchase_order_create(station=station, supplier=supplier, by=lead, note=note,
                                       lines=[{"part": p, "quantity": Decimal(4)} for p in parts])
            po = purchase_order_place(order=po, by=lead)
        if part_received:
            line = po.lines.order_by("pk").first()
            with at(placed + timedelta(days=supplier.lead_days, hours=2)):
                purchase_order_receive(order=po, by=lead, quantities={line.pk: line.quantity},
                                       delivery_note=f"DN{po.pk:06d}A")

