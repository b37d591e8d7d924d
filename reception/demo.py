"""Front-desk demo data for ``seed_demo``: per station a labour catalogue of ~150 real operations, 300 customers,
400 vehicles with valid VINs, and six months of appointments and work orders in every state with consistent
timestamps and transition history.

Idempotent: the catalogue is completed code by code, and a station that already has customers is left alone.
Deterministic: the shared ``ctx.rng`` gives one seed, mixed with the station code, so each station's data does not
depend on whether other seeders drew from the generator before us.
"""

from __future__ import annotations

import random
import zlib
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.models import DocumentCounter
from org.models import Position, Station
from reception import demo_data as D
from reception.models import (
    Appointment,
    Concern,
    ContactPerson,
    Customer,
    DamageMark,
    DiscountApproval,
    EstimateVersion,
    LabourOperation,
    MileageReading,
    Payer,
    PreInspection,
    PreInspectionItem,
    Vehicle,
    VehicleOwnership,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderLine,
)
from reception.services import pricing
from reception.services.estimates import _fingerprint, _line_row
from reception.services.inspections import checklist_for
from reception.services.validation import vin_check_digit

S = WorkOrder.Status
DAYS = 183
CUSTOMERS = 300
VEHICLES = 400
RATES = {"customer": Decimal("300"), "warranty": Decimal("180"), "insurance": Decimal("280"),
         "internal": Decimal("120")}
FLOW = [S.OPEN, S.IN_PROGRESS, S.QUALITY_CHECK, S.READY, S.SETTLED, S.DELIVERED]
STAMPS = {S.QUALITY_CHECK: "work_completed_at", S.SETTLED: "settled_at", S.DELIVERED: "delivered_at"}


def seed(ctx) -> None:
    ctx.rng.random()  # drawn every run, so later seeders see the same generator state each time
    for index, station in enumerate(ctx.stations):
        # the station's own seed keeps a run identical whatever other seeders drew before us
        rng = random.Random(zlib.crc32(f"reception-{station.code}".encode()))
        _catalogue(station)
        if Customer.objects.filter(station=station).exists():
            continue
        _seed_station(ctx, station, index, rng)


@contextmanager
def _own_timestamps(*fields):
    """Let bulk_create keep the moments we set on auto_now_add fields (history in the past), instead of a slow
    bulk_update afterwards."""
    saved = [(f, f.auto_now_add) for f in fields]
    for f, _ in saved:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, value in saved:
            f.auto_now_add = value


def _catalogue(station: Station) -> None:
    rows = list(D.OPERATIONS)
    for code, zh, en, cat, hours in D.SIDED:
        for suffix, side, side_en in D.SIDES:
            rows.append((f"{code}{suffix}", zh.format(side=side), en.format(side_en=side_en), cat, hours))
    have = set(LabourOperation.objects.filter(station=station).values_list("code", flat=True))
    LabourOperation.objects.bulk_create([
        LabourOperation(
            station=station, code=code, name_zh=zh, name_en=en, category=cat, standard_hours=Decimal(hours),
            rate_customer=RATES["customer"], rate_warranty=RATES["warranty"], rate_insurance=RATES["insurance"],
            rate_internal=RATES["internal"],
        )
        for code, zh, en, cat, hours in rows if code not in have
    ])


def _vin(rng: random.Random, wmi: str, year: int) -> str:
    vds = "".join(rng.choice(D.VIN_ALPHABET) for _ in range(5))
    serial = "".join(rng.choice("0123456789") for _ in range(6))
    raw = f"{wmi}{vds}0{D.YEAR_CODES[year]}{rng.choice('ABCDEFGHJKLMN')}{serial}"
    return raw[:8] + vin_check_digit(raw) + raw[9:]


def _plate(rng: random.Random, index: int, ev: bool) -> str:
    prefix = ["沪A", "沪B", "沪D", "沪E"][rng.randrange(4)] if index == 0 else ["浙A", "浙A", "浙B"][rng.randrange(3)]
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    if ev:
        return f"{prefix}{rng.choice('DF')}{rng.choice(letters + '0123456789')}{rng.randrange(10000):04d}"
    body = "".join(rng.choice(letters + "0123456789" * 3) for _ in range(4))
    return f"{prefix}{body}{rng.randrange(10)}"


def _at(day: date, minutes: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(8, 0))) + timedelta(minutes=minutes)


@transaction.atomic
def _seed_station(ctx, station: Station, index: int, rng: random.Random) -> None:  # noqa: C901, PLR0915
    now = timezone.now()
    today = timezone.localdate()
    advisors = sorted(ctx.station_staff(station, Position.SERVICE_ADVISOR), key=lambda s: s.username)
    lead = next(iter(ctx.station_staff(station, Position.FRONT_DESK_LEAD)), None)
    if not advisors:
        return
    operations = list(LabourOperation.objects.filter(station=station).order_by("code"))
    try:
        from parts.models import Part  # noqa: PLC0415

        parts = list(Part.objects.filter(station=station, is_active=True).order_by("part_number")[:300])
    except ImportError:  # pragma: no cover - the parts app is part of the project
        parts = []

    # --- customers ---
    mobiles: set[str] = set()
    customers = []
    for i in range(CUSTOMERS):
        while True:
            mobile = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
            if mobile not in mobiles:
                mobiles.add(mobile)
                break
        fleet = i < len(D.FLEETS)
        name = D.FLEETS[i] if fleet else rng.choice(D.SURNAMES) + rng.choice(D.GIVEN)
        customers.append(Customer(
            station=station, kind=Customer.Kind.FLEET if fleet else Customer.Kind.INDIVIDUAL, name=name,
            mobile=mobile, email=f"c{index}{i:03d}@example.cn" if rng.random() < 0.3 else "",
            preferred_language=Customer.Language.EN if rng.random() < 0.05 else Customer.Language.ZH,
            contact_consent=rng.random() < 0.9, company_tax_id=f"91310{rng.randrange(10**13):013d}" if fleet else "",
        ))
    customers = Customer.objects.bulk_create(customers)
    ContactPerson.objects.bulk_create([
        ContactPerson(customer=c, name=rng.choice(D.SURNAMES) + rng.choice(D.GIVEN), role=rng.choice(D.CONTACT_ROLES),
                      mobile=f"139{rng.randrange(10**8):08d}")
        for c in customers if c.kind == Customer.Kind.FLEET for _ in range(2)
    ])

    # --- vehicles ---
    vins: set[str] = set()
    plates: set[str] = set()
    vehicles = []
    owners = list(customers) + [rng.choice(customers[: len(D.FLEETS)] if rng.random() < 0.6 else customers)
                                for _ in range(VEHICLES - CUSTOMERS)]
    for owner in owners:
        wmi, make, models = rng.choice(D.MAKES)
        model = rng.choice(models)
        year = rng.randint(2016, 2026)
        ev = model.startswith("ID.") or rng.random() < 0.08
        while True:
            vin = _vin(rng, wmi, year)
            plate = _plate(rng, index, ev)
            if vin not in vins and plate not in plates:
                vins.add(vin)
                plates.add(plate)
                break
        warranty_start = date(year, rng.randint(1, 12), rng.randint(1, 28))
        if warranty_start > today:
            warranty_start = today - timedelta(days=rng.randint(10, 200))
        vehicles.append(Vehicle(
            station=station, owner=owner, vin=vin, plate=plate, make=make, model=model, year=year,
            colour=rng.choice(D.COLOURS), warranty_start=warranty_start,
            mileage=max(300, (today - warranty_start).days * rng.randint(20, 60)),
        ))
    vehicles = Vehicle.objects.bulk_create(vehicles)
    ownerships = []
    for v in vehicles:
        if rng.random() < 0.05:  # second-hand: an earlier owner
            previous = rng.choice(customers)
            if previous.pk != v.owner_id:
                sold = v.warranty_start + (today - v.warranty_start) / 2
                ownerships.append(VehicleOwnership(vehicle=v, customer=previous, since=v.warranty_start, until=sold))
                ownerships.append(VehicleOwnership(vehicle=v, customer=v.owner, since=sold))
                continue
        ownerships.append(VehicleOwnership(vehicle=v, customer=v.owner, since=v.warranty_start))
    VehicleOwnership.objects.bulk_create(ownerships)

    # --- orders and appointments, day by day ---
    checklist = checklist_for(station)
    start_day = today - timedelta(days=DAYS)
    km = {v.pk: max(100, v.mileage - rng.randint(3000, 12000)) for v in vehicles}
    by_pk = {v.pk: v for v in vehicles}
    numbers: dict = {}  # year → last order number, and "today" → orders planned today
    plans = []  # (order, lines, events, status-times, appointment or None)
    appointments = []
    day = start_day
    while day <= today + timedelta(days=14):
        weekday_load = 3 if day.weekday() >= 5 else 6
        if day <= today:
            count = rng.randint(weekday_load - 2, weekday_load + 2)
            for _ in range(len(TODAY_STATES) if day == today else count):
                plans.append(_plan_order(rng, station, day, now, vehicles, km, advisors, operations, parts, numbers))
            for _ in range(rng.randint(0, 2)):  # appointments that did not become orders
                v = rng.choice(vehicles)
                minutes = rng.randrange(30, 480, 30)
                start = _at(day, minutes)
                status = Appointment.Status.CANCELLED if rng.random() < 0.4 else (
                    Appointment.Status.NO_SHOW if start < now - timedelta(minutes=30) else Appointment.Status.EXPECTED)
                appointments.append(_appointment(rng, station, v, rng.choice(advisors), start, status))
        else:
            for _ in range(rng.randint(weekday_load - 2, weekday_load + 1)):
                v = rng.choice(vehicles)
                appointments.append(_appointment(rng, station, v, rng.choice(advisors),
                                                 _at(day, rng.randrange(30, 480, 30)), Appointment.Status.EXPECTED))
        day += timedelta(days=1)
    # today: a few still expected later today, one late
    for minutes_from_now in (-15, 40, 90, 150, 240):
        start = (now + timedelta(minutes=minutes_from_now)).replace(second=0, microsecond=0)
        if timezone.localtime(start).date() == today:
            appointments.append(_appointment(rng, station, rng.choice(vehicles), rng.choice(advisors), start,
                                             Appointment.Status.EXPECTED))

    with _own_timestamps(WorkOrder._meta.get_field("opened_at")):
        orders = WorkOrder.objects.bulk_create([p["order"] for p in plans])
    for plan, order in zip(plans, orders, strict=True):
        for line in plan["lines"]:
            line.order = order
        for event in plan["events"]:
            event.order = order
    lines = WorkOrderLine.objects.bulk_create([line for p in plans for line in p["lines"]], batch_size=1000)
    with _own_timestamps(WorkOrderEvent._meta.get_field("at"), MileageReading._meta.get_field("at")):
        WorkOrderEvent.objects.bulk_create([e for p in plans for e in p["events"]], batch_size=1000)
        MileageReading.objects.bulk_create(
            [MileageReading(vehicle_id=o.vehicle_id, km=o.mileage_in, by=o.advisor, at=o.opened_at) for o in orders],
            batch_size=1000)
    for pk, value in km.items():
        by_pk[pk].mileage = value
    Vehicle.objects.bulk_update(vehicles, ["mileage"], batch_size=1000)

    # arrived appointments for about two thirds of the orders, estimate versions for signed orders
    lines_by_order: dict[int, list] = {}
    for line in lines:
        lines_by_order.setdefault(line.order_id, []).append(line)
    versions, inspections = [], []
    for plan, order in zip(plans, orders, strict=True):
        if not order.is_walk_in:
            a = _appointment(rng, station, by_pk[order.vehicle_id], order.advisor,
                             order.opened_at - timedelta(minutes=rng.choice([0, 5, 10, 20])), Appointment.Status.ARRIVED)
            a.arrived_at = order.opened_at - timedelta(minutes=2)
            a.work_order = order
            a.concern = plan["concern"]
            appointments.append(a)
        if order.signed_at:
            rows = [_line_row(line) for line in lines_by_order.get(order.pk, [])]
            totals = pricing.order_totals(lines_by_order.get(order.pk, []), vat_rate=station.vat_rate)
            versions.append(EstimateVersion(
                order=order, number=1, created_at=order.signed_at, lines=rows, fingerprint=_fingerprint(rows), created_by=order.advisor,
                approval_channel=EstimateVersion.Channel.SIGNATURE, approved_by=order.advisor,
                approved_at=order.signed_at,
                totals={"net": str(totals.net), "vat": str(totals.vat), "gross": str(totals.gross),
                        "hours": str(totals.hours), "vat_rate": str(station.vat_rate), "by_payer": {}},
            ))
        if order.opened_at > now - timedelta(days=45):
            inspections.append(PreInspection(order=order, done_by=order.advisor, mileage=order.mileage_in,
                                             fuel_level=order.fuel_level,
                                             done_at=order.opened_at + timedelta(minutes=5)))
    Concern.objects.bulk_create([Concern(order=order, text=plan["concern"]) for plan, order in zip(plans, orders,
                                                                                                  strict=True)])
    with _own_timestamps(EstimateVersion._meta.get_field("created_at"), PreInspection._meta.get_field("done_at")):
        EstimateVersion.objects.bulk_create(versions, batch_size=500)
        inspections = PreInspection.objects.bulk_create(inspections, batch_size=500)
    items, marks = [], []
    for i in inspections:
        for pos, point in enumerate(checklist):
            bad = rng.random() < 0.08
            items.append(PreInspectionItem(inspection=i, area=point.area, label=point.label, ok=not bad,
                                           note=rng.choice(["轻微划痕", "有污渍", "胎纹偏浅", "后座有手提包"]) if bad else "",
                                           position=pos))
        for _ in range(rng.choice([0, 0, 1, 2])):
            marks.append(DamageMark(inspection=i, x_pct=Decimal(rng.randint(8, 92)), y_pct=Decimal(rng.randint(5, 95)),
                                    note=rng.choice(["划痕", "凹陷", "掉漆", "裂纹"])))
    PreInspectionItem.objects.bulk_create(items, batch_size=2000)
    DamageMark.objects.bulk_create(marks, batch_size=1000)

    appointment_objs = Appointment.objects.bulk_create(appointments, batch_size=1000)
    through = Appointment.operations.through
    through.objects.bulk_create([
        through(appointment_id=a.pk, labouroperation_id=op.pk)
        for a in appointment_objs if a.status != Appointment.Status.ARRIVED
        for op in rng.sample(operations[:60], rng.randint(0, 2))
    ], batch_size=2000)
    numbers.pop("today", None)
    for year, last in numbers.items():
        DocumentCounter.objects.update_or_create(station=station, kind="work_order", year=year,
                                                 defaults={"last": last})

    # two discounts waiting for the front-desk lead
    if lead is not None:
        open_orders = [o for o in orders if o.status in (S.OPEN, S.IN_PROGRESS)][:2]
        for order in open_orders:
            line = next(iter(lines_by_order.get(order.pk, [])), None)
            if line is not None:
                DiscountApproval.objects.create(order=order, line=line, discount_pct=Decimal("12"),
                                                requested_by=order.advisor, approver=lead, reason="老客户，多次来店")


def _appointment(rng, station, vehicle, advisor, start, status) -> Appointment:
    return Appointment(
        station=station, customer_id=vehicle.owner_id, vehicle=vehicle, advisor=advisor, start=start,
        duration=timedelta(minutes=rng.choice([30, 60, 60, 90, 120])), status=status,
        channel=rng.choice([Appointment.Channel.PHONE, Appointment.Channel.PHONE, Appointment.Channel.DESK]),
        concern=rng.choice(D.CONCERNS), booked_hours=Decimal(rng.choice(["0.5", "1.0", "1.5", "2.0"])),
        created_by=advisor,
    )


TODAY_STATES = [S.DRAFT, S.OPEN, S.IN_PROGRESS, S.QUALITY_CHECK, S.READY, S.SETTLED, S.DELIVERED, S.CANCELLED,
                S.OPEN, S.IN_PROGRESS, S.DRAFT, S.IN_PROGRESS]


def _target_status(rng: random.Random, age_days: int, today_count: int) -> str:
    if age_days > 3:
        return S.CANCELLED if rng.random() < 0.04 else S.DELIVERED
    if age_days >= 1:
        return rng.choice([S.DELIVERED] * 4 + [S.SETTLED, S.READY, S.IN_PROGRESS])
    return TODAY_STATES[today_count % len(TODAY_STATES)]  # today: every state is on the board


def _plan_order(rng, station, day, now, vehicles, km, advisors, operations, parts, numbers) -> dict:  # noqa: PLR0913
    vehicle = rng.choice(vehicles)
    advisor = rng.choice(advisors)
    age = (timezone.localdate() - day).days
    latest = int((now - _at(day, 0)).total_seconds() // 60) - 60 if age == 0 else 540
    opened_at = min(_at(day, rng.randint(20, max(21, min(480, latest)))), now - timedelta(minutes=45))
    status = _target_status(rng, age, numbers.get("today", 0))
    if age == 0:
        numbers["today"] = numbers.get("today", 0) + 1
    km[vehicle.pk] += rng.randint(1500, 8000)
    numbers[day.year] = numbers.get(day.year, 0) + 1
    concern = rng.choice(D.CONCERNS)
    order = WorkOrder(
        station=station, number=f"WO{station.code[:2].upper()}{day.year}{numbers[day.year]:06d}", status=status,
        customer_id=vehicle.owner_id, vehicle=vehicle, advisor=advisor, mileage_in=km[vehicle.pk],
        fuel_level=rng.choice(WorkOrder.Fuel.values), is_walk_in=rng.random() < 0.35, opened_at=opened_at,
    )
    lines = []
    young = vehicle.warranty_start and (day - vehicle.warranty_start).days < 3 * 365
    for pos, op in enumerate(rng.sample(operations, rng.randint(1, 3)), start=1):
        roll = rng.random()
        payer = (Payer.WARRANTY if young and roll < 0.12 else Payer.INSURANCE if op.category == "钣喷" and roll < 0.5
                 else Payer.INTERNAL if roll > 0.98 else Payer.CUSTOMER)
        lines.append(WorkOrderLine(kind=WorkOrderLine.Kind.LABOUR, payer=payer, labour_operation=op,
                                   description=f"{op.code} {op.name_zh}", hours=op.standard_hours,
                                   unit_price=op.rate_for(payer), position=pos,
                                   discount_pct=Decimal(rng.choice([0, 0, 0, 0, 5]))))
    for pos, part in enumerate(rng.sample(parts, min(len(parts), rng.randint(0, 2))), start=len(lines) + 1):
        lines.append(WorkOrderLine(kind=WorkOrderLine.Kind.PART, payer=lines[0].payer, part=part,
                                   description=f"{part.part_number} {part.name_zh}",
                                   quantity=Decimal(rng.choice([1, 1, 2, 4])), unit_price=part.list_price,
                                   unit_cost=part.cost, position=pos))
    if rng.random() < 0.05:
        lines.append(WorkOrderLine(kind=WorkOrderLine.Kind.SUBLET, payer=Payer.CUSTOMER, description="外加工：轮毂修复",
                                   unit_price=Decimal("450"), unit_cost=Decimal("300"), position=len(lines) + 1))
    hours = sum((line.hours for line in lines), Decimal("0"))
    # The advisor promises the work plus a margin; most margins cover the waits (about 3 h 10 min), some do not.
    order.promised_at = opened_at + timedelta(hours=float(hours) + rng.choice([3, 3.5, 3.5, 4, 4, 4, 4.5, 5, 5, 6]))
    events = [WorkOrderEvent(old_status=S.DRAFT, new_status=S.DRAFT, kind="received", by=advisor, note="",
                             at=opened_at)]
    # the steps up to the target status, squeezed into the time until now
    if status == S.CANCELLED:
        steps = [S.CANCELLED]
    elif status == S.DRAFT:
        steps = []
    else:
        steps = FLOW[: FLOW.index(status) + 1]
    gaps = {S.OPEN: 20, S.IN_PROGRESS: 40, S.QUALITY_CHECK: int(hours * 60) + 30, S.READY: 20, S.SETTLED: 60,
            S.DELIVERED: 20, S.CANCELLED: 15}
    total = sum(gaps[s] for s in steps) or 1
    room = (now - opened_at).total_seconds() / 60 - 5
    factor = min(1.0, room / total) if room > 0 else 0.01
    moment, previous = opened_at, S.DRAFT
    for step in steps:
        moment = moment + timedelta(minutes=gaps[step] * factor)
        by = advisor
        events.append(WorkOrderEvent(old_status=previous, new_status=step, kind="transition", by=by, at=moment,
                                     note="客户取消" if step == S.CANCELLED else ""))
        if step == S.OPEN:
            order.signed_at = moment - timedelta(minutes=1)
            order.promised_at_signed = order.promised_at
        if step in STAMPS:
            setattr(order, STAMPS[step], moment)
        previous = step
    return {"order": order, "lines": lines, "events": events, "concern": concern}
