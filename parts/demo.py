"""Demo parts data for ``seed_demo``: a Toyota-style catalogue per station, stock, suppliers, price policies and a
year of movements. Deterministic (ctx.rng), idempotent (a station that already has parts is left alone) and fast
(balances are computed in Python and written with bulk_create)."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from parts.models import Part, PricePolicy, StockBalance, StockMove, Supplier

# (part number prefix, 中文名, English name, unit, list price range in yuan, weekly demand, genuine)
PART_TYPES = [
    ("04152", "机油滤清器", "Oil filter", "个", (45, 95), 6.0, True),
    ("04465", "前刹车片", "Front brake pads", "套", (380, 780), 1.5, True),
    ("04466", "后刹车片", "Rear brake pads", "套", (320, 650), 1.0, True),
    ("17801", "空气滤芯", "Air filter", "个", (85, 180), 3.0, True),
    ("87139", "空调滤芯", "Cabin air filter", "个", (90, 210), 3.0, True),
    ("90919", "火花塞", "Spark plug", "个", (65, 160), 4.0, True),
    ("85212", "雨刮片(主驾)", "Wiper blade, driver", "个", (75, 150), 1.5, True),
    ("85222", "雨刮片(副驾)", "Wiper blade, passenger", "个", (70, 140), 1.5, True),
    ("43512", "前刹车盘", "Front brake disc", "个", (450, 980), 0.5, True),
    ("42431", "后刹车盘", "Rear brake disc", "个", (420, 880), 0.4, True),
    ("23300", "燃油滤清器", "Fuel filter", "个", (160, 420), 0.6, True),
    ("90430", "放油螺塞垫片", "Drain plug gasket", "个", (4, 12), 6.0, True),
    ("08880", "机油 0W-20 4L", "Engine oil 0W-20 4 L", "桶", (320, 420), 4.0, True),
    ("08886", "变速箱油 ATF WS", "ATF WS", "升", (90, 130), 1.0, True),
    ("08823", "刹车油 DOT4", "Brake fluid DOT4", "瓶", (65, 110), 1.2, True),
    ("08889", "长效冷却液", "Long-life coolant", "桶", (120, 220), 0.8, True),
    ("90916", "火花塞套件", "Spark plug set", "套", (260, 560), 0.3, True),
    ("16100", "水泵总成", "Water pump", "个", (680, 1500), 0.1, True),
    ("90916A", "正时皮带", "Timing belt", "条", (380, 820), 0.1, True),
    ("90916B", "发电机皮带", "Drive belt", "条", (180, 380), 0.4, True),
    ("28800", "蓄电池", "Battery", "个", (680, 1280), 0.5, True),
    ("81110", "前大灯总成", "Headlamp assembly", "个", (1800, 4800), 0.05, True),
    ("81130", "前雾灯", "Fog lamp", "个", (380, 860), 0.1, True),
    ("52119", "前保险杠", "Front bumper cover", "个", (1200, 2600), 0.1, True),
    ("87910", "外后视镜总成", "Outer mirror assembly", "个", (900, 2200), 0.05, True),
    ("48510", "前减震器", "Front shock absorber", "个", (620, 1300), 0.2, True),
    ("48530", "后减震器", "Rear shock absorber", "个", (520, 1100), 0.2, True),
    ("48068", "下摆臂", "Lower control arm", "个", (480, 980), 0.1, True),
    ("04495", "后刹车蹄片", "Rear brake shoes", "套", (280, 520), 0.3, True),
    ("88568", "空调压缩机皮带", "A/C belt", "条", (160, 320), 0.2, True),
    ("89465", "氧传感器", "Oxygen sensor", "个", (680, 1400), 0.1, True),
    ("22204", "空气流量计", "Mass air flow sensor", "个", (980, 1900), 0.05, True),
    ("90080", "轮胎气门嘴", "Tyre valve", "个", (12, 30), 2.0, True),
    ("SP-BP", "刹车片(副厂)", "Brake pads (aftermarket)", "套", (220, 420), 0.5, False),
    ("SP-WB", "雨刮片(副厂)", "Wiper blade (aftermarket)", "个", (35, 70), 0.8, False),
]
MODEL_CODES = ["YZZA1", "YZZA6", "0E010", "0E050", "33471", "33480", "21050", "01253", "0T010", "42060", "06120",
               "F4010", "0R010", "47060", "12280"]
PARTS_PER_STATION = 300
DAYS = 365


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def seed(ctx) -> None:
    from parts.services.stock import warehouse_main

    rng = ctx.rng
    now = timezone.now().replace(microsecond=0)
    for index, station in enumerate(ctx.stations):
        warehouse = warehouse_main(station=station)
        suppliers = [
            Supplier.objects.get_or_create(station=station, code=code, defaults={"name": name, "lead_days": days})[0]
            for code, name, days in (("FTMS", "一汽丰田配件中心", 2), ("GTMC", "广汽丰田配件中心", 3),
                                     ("LOCAL", "本地配件供应商", 1))
        ]
        for payer, basis, pct in (("customer", "list", 0), ("warranty", "cost", 15), ("insurance", "list", 5),
                                  ("internal", "cost", 0)):
            PricePolicy.objects.get_or_create(station=station, payer=payer,
                                              defaults={"basis": basis, "markup_pct": Decimal(pct)})
        if Part.objects.filter(station=station).exists():
            continue  # idempotent: this station's catalogue and history are already there
        staff = ctx.station_staff(station, "parts_clerk") or ctx.station_staff(station, "parts_lead")
        clerk = staff[0] if staff else None
        _seed_station(station=station, warehouse=warehouse, clerk=clerk, rng=rng, now=now, index=index,
                      supplier=suppliers[0])


def _seed_station(*, station, warehouse, clerk, rng, now, index, supplier) -> None:
    specs = []
    seen = set()
    while len(specs) < PARTS_PER_STATION:
        prefix, zh, en, unit, (lo, hi), weekly, genuine = PART_TYPES[len(specs) % len(PART_TYPES)]
        suffix = rng.choice(MODEL_CODES) if len(specs) < len(PART_TYPES) else "".join(
            rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(5)
        )
        number = f"{prefix}-{suffix}"
        if number in seen:
            continue
        seen.add(number)
        variant = len(specs) // len(PART_TYPES)
        models = ["卡罗拉", "凯美瑞", "RAV4荣放", "汉兰达", "雷凌", "威驰", "亚洲龙", "普拉多", "致炫"]
        model = models[(variant + index) % len(models)]
        price = _money(rng.uniform(lo, hi))
        specs.append({
            "number": number, "zh": f"{zh}({model})", "en": f"{en} ({model})", "unit": unit, "price": price,
            "cost": _money(float(price) * rng.uniform(0.58, 0.72)), "weekly": weekly * rng.uniform(0.3, 1.6),
            "genuine": genuine, "bin": f"{chr(65 + len(specs) % 8)}-{len(specs) % 12 + 1:02d}-{len(specs) % 5 + 1}",
        })
    parts = Part.objects.bulk_create([
        Part(station=station, part_number=s["number"], brand="TOYOTA" if s["genuine"] else "OTHER", name_zh=s["zh"],
             name_en=s["en"], unit=s["unit"], is_genuine=s["genuine"], list_price=s["price"], cost=s["cost"])
        for s in specs
    ])
    # A few supersessions: the first variant of three types replaced by a newer number.
    for old_i, new_i in ((0, len(PART_TYPES)), (3, len(PART_TYPES) + 3), (5, len(PART_TYPES) + 5)):
        Part.objects.filter(pk=parts[old_i].pk).update(superseded_by=parts[new_i])

    moves, balances = [], []
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0) - timedelta(days=DAYS)
    for part, spec in zip(parts, specs, strict=True):
        weekly = spec["weekly"]
        # Demand per week is about weekly × 0.6 (issues skip weeks): hold ~6 weeks, reorder at ~2.
        max_qty = Decimal(max(2, round(weekly * 6)))
        min_qty = Decimal(max(1, round(weekly * 2)))
        on_hand = max_qty
        cost = spec["cost"]
        seq = [(start, StockMove.Kind.OPENING, on_hand, cost, "期初")]
        day = 1
        while day < DAYS:
            day += rng.randint(1, 6)
            at = start + timedelta(days=day, hours=rng.randint(8, 17), minutes=rng.randint(0, 59))
            if at >= now:
                break
            want = Decimal(max(1, round(rng.expovariate(1 / max(weekly, 0.2)))))
            if on_hand >= want and rng.random() < min(0.95, weekly / 2 + 0.15):
                on_hand -= want
                seq.append((at, StockMove.Kind.ISSUE, -want, cost, f"WO{at:%y%m%d}{rng.randint(1, 99):02d}"))
            if on_hand <= min_qty:
                qty = max_qty - on_hand
                receipt_cost = _money(float(spec["cost"]) * rng.uniform(0.97, 1.05))
                cost = ((on_hand * cost + qty * receipt_cost) / (on_hand + qty)).quantize(Decimal("0.0001"))
                on_hand += qty
                seq.append((at + timedelta(hours=2), StockMove.Kind.RECEIPT, qty, receipt_cost,
                            f"PO{at:%y%m%d}{index}"))
        if rng.random() < 0.02 and on_hand > 0:
            on_hand -= 1
            seq.append((now - timedelta(hours=rng.randint(1, 12)), StockMove.Kind.SCRAP, Decimal(-1), cost, "报废"))
        running = Decimal(0)
        last_issue = None
        for at, kind, qty, unit_cost, ref in seq:
            running += qty
            moves.append(StockMove(station=station, warehouse=warehouse, part=part, kind=kind, quantity=qty,
                                   unit_cost=unit_cost, balance_after=running, reference=ref, by=clerk, at=at))
            if kind == StockMove.Kind.ISSUE:
                last_issue = at
        part.cost = cost
        balances.append(StockBalance(warehouse=warehouse, part=part, station=station, on_hand=running,
                                     bin_location=spec["bin"], min_qty=min_qty, max_qty=max_qty,
                                     last_issue_at=last_issue))
    Part.objects.bulk_update(parts, ["cost"], batch_size=1000)
    StockBalance.objects.bulk_create(balances)
    StockMove.objects.bulk_create(moves, batch_size=5000)
