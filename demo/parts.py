"""The demo's parts department: suppliers, price policies, a Toyota-style catalogue per station with its opening stock,
weekly replenishment while the orders are played, then the quick-service store, the counter's lost sales and an open
count sheet.

Services used: ``parts.services.catalogue`` (``price_policy_set``, ``parts_import_csv``), ``parts.services.stock``
(``warehouse_main``, ``stock_move_post`` for the opening balances, ``stock_transfer``), ``parts.services.purchasing``
(``suggested_order``, ``purchase_order_create``, ``purchase_order_place``, ``purchase_order_receive``,
``supplier_return_create``, ``supplier_return_close``), ``parts.services.scrap`` (``scrap_request_create``,
``scrap_request_decide``), ``parts.services.counter.lost_sale_record`` and ``parts.services.stocktake.stocktake_create``.
Suppliers are reference data with no service (they are set up in the admin), so they are created directly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from demo import data as D
from demo.base import DemoContext, at, rng_for
from org.models import Position, Station
from parts.models import (
    LostSale,
    Part,
    PricePolicy,
    PurchaseOrder,
    Receipt,
    ScrapRequest,
    StockBalance,
    StockMove,
    Stocktake,
    Supplier,
    SupplierReturn,
    Warehouse,
)
from parts.selectors import available_quantity
from parts.services.catalogue import parts_import_csv, price_policy_set
from parts.services.counter import lost_sale_record
from parts.services.purchasing import (
    purchase_order_create,
    purchase_order_place,
    purchase_order_receive,
    suggested_order,
    supplier_return_close,
    supplier_return_create,
)
from parts.services.scrap import scrap_request_create, scrap_request_decide
from parts.services.stock import stock_move_post, stock_transfer, warehouse_main
from parts.services.stocktake import stocktake_create


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def clerk(ctx: DemoContext, station: Station):
    return ctx.first(station, Position.PARTS_CLERK, Position.PARTS_LEAD)


def seed_catalogue(ctx: DemoContext, start: date) -> None:
    """Suppliers, price policies, the catalogue and its opening stock, ``start`` being the first day of the demo."""
    for station in ctx.stations:
        lead = ctx.first(station, Position.PARTS_LEAD, Position.PARTS_CLERK)
        for code, name, days in D.SUPPLIERS:
            Supplier.objects.get_or_create(station=station, code=code, defaults={"name": name, "lead_days": days})
        have = set(PricePolicy.objects.filter(station=station).values_list("payer", flat=True))
        for payer, basis, pct in D.PRICE_POLICIES:
            if payer not in have:
                price_policy_set(station=station, payer=payer, basis=basis, markup_pct=Decimal(pct), by=lead)
        if Part.objects.filter(station=station).exists():
            continue  # idempotent: this station's catalogue and stock are already there
        with transaction.atomic():
            _catalogue(ctx, station, lead, start)


def _catalogue(ctx: DemoContext, station: Station, lead, start: date) -> None:
    rng = rng_for("parts", station.code)
    index = ctx.stations.index(station)
    specs, seen = [], set()
    while len(specs) < D.PARTS_PER_STATION:
        prefix, zh, en, unit, (lo, hi), weekly, genuine = D.PART_TYPES[len(specs) % len(D.PART_TYPES)]
        suffix = rng.choice(D.MODEL_CODES) if len(specs) < len(D.PART_TYPES) else "".join(
            rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(5))
        number = f"{prefix}-{suffix}"
        if number in seen:
            continue
        seen.add(number)
        n = len(specs)
        model = D.PART_MODELS[(n // len(D.PART_TYPES) + index) % len(D.PART_MODELS)]
        price = _money(rng.uniform(lo, hi))
        weekly = weekly * rng.uniform(0.3, 1.6)
        # Hold about six weeks of demand, reorder at about two.
        specs.append({
            "part_number": number, "brand": "TOYOTA" if genuine else "OTHER", "name_zh": f"{zh}({model})",
            "name_en": f"{en} ({model})", "genuine": "1" if genuine else "0", "unit": unit, "list_price": str(price),
            "bin": f"{chr(65 + n % 8)}-{n % 12 + 1:02d}-{n % 5 + 1}", "min": str(max(1, round(weekly * 2))),
            "max": str(max(2, round(weekly * 6))), "superseded_by": "",
            "cost": _money(float(price) * rng.uniform(0.58, 0.72)),
        })
    # A few supersessions: the first variant of three types is replaced by a newer number of the same type.
    for old in (0, 3, 5):
        specs[old]["superseded_by"] = specs[old + len(D.PART_TYPES)]["part_number"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[c for c in specs[0] if c != "cost"], extrasaction="ignore")
    writer.writeheader()
    writer.writerows(specs)
    result = parts_import_csv(station=station, text=out.getvalue(), by=lead)
    if not result.ok:
        raise RuntimeError(f"demo catalogue refused: {result.errors[:3]}")
    warehouse = warehouse_main(station=station)
    parts = {p.part_number: p for p in Part.objects.filter(station=station)}
    opening = timezone.make_aware(timezone.datetime.combine(start, timezone.datetime.min.time()))
    for spec in specs:
        part = parts[spec["part_number"]]
        if part.superseded_by_id:
            continue  # the old number is sold out; its successor carries the stock
        # The everyday parts a little above their reorder point (the weekly orders top them up as the workshop uses
        # them), a full shelf of the rest.
        low, high = int(spec["min"]), int(spec["max"])
        quantity = Decimal(low + 1 + rng.randint(0, max(0, (high - low) // 3)) if specs.index(spec) < D.ORDER_PARTS
                           else high)
        with at(opening):
            stock_move_post(warehouse=warehouse, part=part, kind=StockMove.Kind.OPENING, quantity=quantity, by=lead,
                            unit_cost=spec["cost"], reference="期初", at=opening)


def network_supplier(station: Station) -> Supplier:
    """The parts centre of the carmaker's network the station belongs to."""
    return Supplier.objects.get(station=station, code=D.STATION_SUPPLIER[station.code])


def replenish(ctx: DemoContext, station: Station, day: date) -> None:
    """Deliveries that are due are received against their purchase orders (now and then a part arrives damaged and
    comes with the next delivery); on Monday morning the week's order goes out: genuine parts to the carmaker's parts
    centre, the others to the local supplier. Called with the time machine set to the morning of ``day``."""
    lead = ctx.first(station, Position.PARTS_LEAD, Position.PARTS_CLERK)
    receiver = clerk(ctx, station)
    open_orders = PurchaseOrder.objects.filter(
        station=station, status__in=[PurchaseOrder.Status.ORDERED, PurchaseOrder.Status.PARTLY_RECEIVED],
    ).select_related("supplier").order_by("pk")
    for po in open_orders:
        if not po.ordered_at or timezone.localdate(po.ordered_at) + timedelta(days=po.supplier.lead_days) > day:
            continue
        lines = [line for line in po.lines.select_related("part").order_by("pk") if line.outstanding > 0]
        quantities = {line.pk: line.outstanding for line in lines}
        exceptions = []
        rng = rng_for("receipt", station.code, po.number, day)
        if po.status == PurchaseOrder.Status.ORDERED and len(lines) > 1 and rng.random() < 0.2:
            damaged = rng.choice(lines)
            quantities[damaged.pk] -= 1
            exceptions.append({"po_line": damaged.pk, "kind": "damaged", "quantity": 1,
                               "note": rng.choice(D.DAMAGED_NOTES)})
        purchase_order_receive(order=po, by=receiver, quantities=quantities, exceptions=exceptions,
                               delivery_note=f"DN{day:%y%m%d}{po.pk % 100:02d}")
    if day.weekday() != 0:
        return
    wanted = [s for s in suggested_order(station=station, today=day) if s.quantity > 0]
    for supplier, lines in ((network_supplier(station), [s for s in wanted if s.part.is_genuine]),
                            (Supplier.objects.get(station=station, code="LOCAL"),
                             [s for s in wanted if not s.part.is_genuine])):
        if lines:
            po = purchase_order_create(station=station, supplier=supplier, by=lead, note="每周补货",
                                       lines=[{"part": s.part, "quantity": s.quantity} for s in lines])
            purchase_order_place(order=po, by=lead)


def housekeeping(ctx: DemoContext, station: Station, week: int) -> Iterator[datetime]:
    """Wednesday in the store room, from the time machine's morning: now and then a part goes back to the supplier
    (exchanged, returned for credit or repaired, closed when it comes back) or is scrapped with the station manager's
    approval the next day."""
    rng = rng_for("parts-week", station.code, week)
    lead = ctx.first(station, Position.PARTS_LEAD, Position.PARTS_CLERK)
    manager = ctx.first(station, Position.STATION_MANAGER)
    warehouse = warehouse_main(station=station)
    returned = None
    if week % 3 == 1:
        kind, reason, prefixes, quantity = D.SUPPLIER_RETURNS[(week // 3) % len(D.SUPPLIER_RETURNS)]
        part = _part_in_stock(station, warehouse, prefixes, quantity)
        if part is not None:
            supplier = network_supplier(station) if part.is_genuine else Supplier.objects.get(station=station,
                                                                                               code="LOCAL")
            receipt = Receipt.objects.filter(order__station=station, lines__po_line__part=part).order_by("-pk").first()
            returned = supplier_return_create(supplier=supplier, part=part, quantity=Decimal(quantity), kind=kind,
                                              reason=reason, by=lead, warehouse=warehouse, receipt=receipt)
    scrap = None
    if week % 4 == 2:
        reason, prefixes, quantity = D.SCRAPS[(week // 4) % len(D.SCRAPS)]
        part = _part_in_stock(station, warehouse, prefixes, quantity)
        if part is not None:
            scrap = scrap_request_create(part=part, quantity=Decimal(quantity), reason=reason, by=lead,
                                         warehouse=warehouse)
    yield timezone.now() + timedelta(days=1, hours=2)
    if scrap is not None:
        scrap_request_decide(request=scrap, by=manager, approve=rng.random() < 0.85)
    if returned is not None:
        yield timezone.now() + timedelta(days=int(D.RETURN_DAYS[returned.kind]))
        back = returned.quantity if returned.kind != SupplierReturn.Kind.RETURN else Decimal("0")
        supplier_return_close(ret=returned, by=lead, quantity_back=back)


def _part_in_stock(station: Station, warehouse: Warehouse, prefixes: list[str], quantity: int) -> Part | None:
    for prefix in prefixes:
        for part in Part.objects.filter(station=station, part_number__startswith=f"{prefix}-", is_active=True,
                                        superseded_by__isnull=True).order_by("pk"):
            if available_quantity(part=part, warehouse=warehouse) >= quantity + 1:
                return part
    return None


def seed_stores(ctx: DemoContext) -> None:
    """After the orders took their parts: the quick store, lost sales, an open count sheet (each once)."""
    for station in ctx.stations:
        staff = ctx.station_staff(station, Position.PARTS_CLERK) + ctx.station_staff(station, Position.PARTS_LEAD)
        lead = ctx.first(station, Position.PARTS_LEAD, Position.PARTS_CLERK)
        with transaction.atomic():
            _quick_store(station=station, by=lead)
        with transaction.atomic():
            _lost_sales(station=station, staff=staff, rng=rng_for("parts-stores", station.code))
        with transaction.atomic():
            _scrap_waiting(station=station, by=lead)
        with transaction.atomic():
            if not Stocktake.objects.filter(station=station, status=Stocktake.Status.COUNTING).exists():
                stocktake_create(warehouse=warehouse_main(station=station), by=staff[0], bin_prefix="A", blind=True)


def _scrap_waiting(*, station: Station, by) -> None:
    """A scrap request waiting for the station manager (once)."""
    if ScrapRequest.objects.filter(station=station, status=ScrapRequest.Status.REQUESTED).exists():
        return
    warehouse = warehouse_main(station=station)
    part = _part_in_stock(station, warehouse, ["85222", "85212", "90080"], 1)
    if part is not None:
        scrap_request_create(part=part, quantity=Decimal("1"), reason="盘点发现包装破损，配件已变形", by=by,
                             warehouse=warehouse)


def _quick_store(*, station: Station, by) -> None:
    main = warehouse_main(station=station)
    # A second store room is set up in the admin (no service): reference data.
    quick, _created = Warehouse.objects.get_or_create(station=station, code=D.QUICK_CODE,
                                                      defaults={"name": D.QUICK_NAME})
    if StockMove.objects.filter(warehouse=quick, kind=StockMove.Kind.TRANSFER_IN).exists():
        return  # stocked on an earlier run
    for prefix, quantity in D.QUICK_PARTS:
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


def _lost_sales(*, station: Station, staff, rng) -> None:
    if LostSale.objects.filter(station=station).exists():
        return
    parts = [p for p in (Part.objects.filter(station=station, part_number__startswith=f"{prefix}-")
                         .order_by("part_number").first() for prefix in D.LOST_PREFIXES) if p is not None]
    if not parts:
        return
    weights = [len(parts) - i for i in range(len(parts))]  # the first types are asked for most
    now = timezone.localtime().replace(second=0, microsecond=0)
    for _ in range(D.LOST_SALES):
        day = now - timedelta(days=rng.randint(0, D.LOST_SALE_DAYS - 1))
        when = day.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59))
        if when > now:
            when -= timedelta(days=1)
        emergency = rng.random() < 0.35
        with at(when):
            lost_sale_record(
                part=rng.choices(parts, weights=weights)[0], quantity=Decimal(rng.choice([1, 1, 1, 2, 2, 4])),
                by=rng.choice(staff), outcome=LostSale.Outcome.EMERGENCY if emergency else LostSale.Outcome.LOST,
                note=rng.choice(D.EMERGENCY_NOTES if emergency else D.LOST_NOTES), at=when,
            )
