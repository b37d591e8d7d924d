"""The demo's parts department: suppliers, price policies, a Toyota-style catalogue per station with its opening stock,
weekly replenishment while the orders are played, then the quick-service store, the counter's lost sales and an open
count sheet.

Services used: ``parts.services.catalogue`` (``price_policy_set``, ``parts_import_csv``), ``parts.services.stock``
(``warehouse_main``, ``stock_move_post`` for the opening balances, ``stock_transfer``), ``parts.services.purchasing``
(``suggested_order``, ``purchase_order_create``, ``purchase_order_place``, ``purchase_order_receive``),
``parts.services.counter.lost_sale_record`` and ``parts.services.stocktake.stocktake_create``.
Suppliers are reference data with no service (they are set up in the admin), so they are created directly.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
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
    StockBalance,
    StockMove,
    Stocktake,
    Supplier,
    Warehouse,
)
from parts.services.catalogue import parts_import_csv, price_policy_set
from parts.services.counter import lost_sale_record
from parts.services.purchasing import (
    purchase_order_create,
    purchase_order_place,
    purchase_order_receive,
    suggested_order,
)
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
        # Enough for the demo's half year of the everyday parts, a normal shelf for the rest.
        quantity = Decimal(spec["max"]) * (3 if specs.index(spec) < D.ORDER_PARTS else 1)
        with at(opening):
            stock_move_post(warehouse=warehouse, part=part, kind=StockMove.Kind.OPENING, quantity=quantity, by=lead,
                            unit_cost=spec["cost"], reference="期初", at=opening)


def replenish(ctx: DemoContext, station: Station, day: date) -> None:
    """The weekly order to the manufacturer's parts centre (placed on Monday morning), received when it arrives;
    called with the time machine set to the morning of ``day``."""
    lead = ctx.first(station, Position.PARTS_LEAD, Position.PARTS_CLERK)
    supplier = Supplier.objects.get(station=station, code=D.SUPPLIERS[0][0])
    for po in PurchaseOrder.objects.filter(station=station, status=PurchaseOrder.Status.ORDERED).order_by("pk"):
        if po.ordered_at and timezone.localdate(po.ordered_at) + timedelta(days=supplier.lead_days) <= day:
            purchase_order_receive(order=po, by=clerk(ctx, station),
                                   quantities={line.pk: line.quantity for line in po.lines.all()},
                                   delivery_note=f"DN{day:%y%m%d}")
    if day.weekday() != 0:
        return
    wanted = [{"part": s.part, "quantity": s.quantity} for s in suggested_order(station=station, today=day)
              if s.quantity > 0]
    if wanted:
        po = purchase_order_create(station=station, supplier=supplier, lines=wanted, by=lead, note="每周补货")
        purchase_order_place(order=po, by=lead)


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
            if not Stocktake.objects.filter(station=station, status=Stocktake.Status.COUNTING).exists():
                stocktake_create(warehouse=warehouse_main(station=station), by=staff[0], bin_prefix="A", blind=True)


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
