"""The demo's front desk: the labour catalogue, customers and their vehicles, appointments, and the opening of each
order (reception, lines, walk-around check, signature).

Services used: ``reception.services.catalogue.catalogue_import_csv``; ``reception.services.customers``
(``customer_create``, ``vehicle_create``, ``vehicle_change_owner``); ``reception.services.appointments``
(``appointment_book``, ``appointment_cancel``, ``appointments_mark_no_shows``); ``reception.services.orders``
(``order_receive``, ``line_add_labour``, ``line_add_part``, ``line_add_sublet``); ``reception.services.inspections``
(``checklist_for``, ``pre_inspection_save``, ``order_photo_add`` with pictures checked by
``core.uploads.photo_clean``); ``reception.services.estimates.estimate_sign``;
``reception.services.discounts.discount_request``; ``reception.services.workflow.work_order_transition`` (cancel).
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from demo import data as D
from demo.base import DemoContext, at, moment, rng_for
from demo.photos import photo
from org.models import Position, Staff, Station
from parts.models import Part
from reception.models import Appointment, Customer, LabourOperation, Payer, Vehicle, WorkOrder, WorkOrderLine
from reception.services.appointments import appointment_book, appointment_cancel, appointments_mark_no_shows
from reception.services.catalogue import CSV_COLUMNS, catalogue_import_csv
from reception.services.customers import customer_create, vehicle_change_owner, vehicle_create
from reception.services.discounts import discount_request
from reception.services.estimates import estimate_sign
from reception.services.inspections import checklist_for, order_photo_add, pre_inspection_save
from reception.services.order_review import order_review_record, review_needed
from reception.services.orders import line_add_labour, line_add_part, line_add_sublet, order_receive
from reception.services.validation import vin_check_digit
from reception.services.workflow import work_order_transition

S = WorkOrder.Status
INSPECTED_DAYS = 45  # walk-around checks are kept for the recent orders
# A 48×16 transparent PNG with a stroke: the customer's signature on the tablet (a real picture: signatures are
# decoded and re-encoded like any upload, core.uploads).
SIGNATURE = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000030000000100804000000faa7343a0000007b4944415478daed52410ac0200c"
    "6bfaff3f7787cd2935a19b7819ac20a869931834fb6ba1e25a5bca257dec31e064d80cc3febd81912909747a25511b3891db"
    "02c4303b337a48efe01141ec674afe8ac8c29e33535912c7b344ebc1ec523db8dd577817028b44e7393aac70dae1057dce5c"
    "e3bae3f99f5ec63f5d0750052e01f8dbd6420000000049454e44ae426082"
)


# --- catalogue ---------------------------------------------------------------------------------------------------
def seed_catalogue(ctx: DemoContext) -> None:
    rows = list(D.OPERATIONS)
    for code, zh, en, cat, hours in D.SIDED:
        for suffix, side, side_en in D.SIDES:
            rows.append((f"{code}{suffix}", zh.format(side=side), en.format(side_en=side_en), cat, hours))
    for station in ctx.stations:
        have = set(LabourOperation.objects.filter(station=station).values_list("code", flat=True))
        missing = [row for row in rows if row[0] not in have]
        if not missing:
            continue
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for code, zh, en, cat, hours in missing:
            values = {"code": code, "name_zh": zh, "name_en": en, "category": cat, "standard_hours": hours,
                      **{f"rate_{payer}": str(rate) for payer, rate in D.RATES.items()}}
            writer.writerow([values.get(column, "") for column in CSV_COLUMNS])
        result = catalogue_import_csv(station=station, by=ctx.first(station, Position.FRONT_DESK_LEAD),
                                      data=out.getvalue())
        if not result.ok:
            raise RuntimeError(f"demo labour catalogue refused: {result.errors[:3]}")
    # the maintenance customers may book themselves on /book/<station code>/
    LabourOperation.objects.filter(station__in=ctx.stations, code__in=D.BOOKABLE).update(bookable=True)


# --- customers and vehicles --------------------------------------------------------------------------------------
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


def _make_for(station: Station, rng: random.Random) -> tuple[str, str, list[str]]:
    """A car of the station's brand: mostly of its own joint venture's network, some of the other one's."""
    own, share = D.STATION_MAKE[station.code]
    pick_own = rng.random() < share
    return next(row for row in D.MAKES if (row[1] == own) == pick_own)


def seed_customers(ctx: DemoContext, start: date) -> None:
    """300 customers (the first ones fleets) and 400 vehicles per station, on file since the demo's first day.
    A station that already has customers is left alone."""
    for index, station in enumerate(ctx.stations):
        if Customer.objects.filter(station=station).exists():
            continue
        with transaction.atomic(), at(moment(start, -60)):
            _customers(ctx, station, index, rng_for("reception", station.code), start)


def _customers(ctx: DemoContext, station: Station, index: int, rng: random.Random, start: date) -> None:
    clerk = ctx.first(station, Position.RECEPTIONIST, Position.SERVICE_ADVISOR)
    mobiles: set[str] = set()
    customers = []
    for i in range(D.CUSTOMERS):
        mobile = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        while mobile in mobiles:
            mobile = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        mobiles.add(mobile)
        fleet = i < len(D.FLEETS)
        contacts = [{"name": rng.choice(D.SURNAMES) + rng.choice(D.GIVEN), "role": rng.choice(D.CONTACT_ROLES),
                     "mobile": f"139{rng.randrange(10**8):08d}"} for _ in range(2)] if fleet else None
        customers.append(customer_create(
            station=station, by=clerk, contacts=contacts,
            kind=Customer.Kind.FLEET if fleet else Customer.Kind.INDIVIDUAL,
            name=D.FLEETS[i] if fleet else rng.choice(D.SURNAMES) + rng.choice(D.GIVEN), mobile=mobile,
            email=f"c{index}{i:03d}@example.cn" if rng.random() < 0.3 else "",
            preferred_language=Customer.Language.EN if rng.random() < 0.05 else Customer.Language.ZH,
            contact_consent=rng.random() < 0.9, company_tax_id=f"91310{rng.randrange(10**13):013d}" if fleet else "",
        ))
    owners = customers + [rng.choice(customers[: len(D.FLEETS)] if rng.random() < 0.6 else customers)
                          for _ in range(D.VEHICLES - D.CUSTOMERS)]
    vins: set[str] = set()
    plates: set[str] = set()
    for owner in owners:
        wmi, make, models = _make_for(station, rng)
        model = rng.choice(models)
        year = rng.randint(2016, 2026)
        ev = model in D.EV_MODELS
        if ev:
            year = max(year, 2022)  # the bZ models came out in 2022
        vin, plate = _vin(rng, wmi, year), _plate(rng, index, ev)
        while vin in vins or plate in plates:
            vin, plate = _vin(rng, wmi, year), _plate(rng, index, ev)
        vins.add(vin)
        plates.add(plate)
        warranty_start = date(year, rng.randint(1, 12), rng.randint(1, 28))
        if warranty_start > start:
            warranty_start = start - timedelta(days=rng.randint(10, 200))
        previous = rng.choice(customers) if rng.random() < 0.05 else None
        first_owner = previous if previous is not None and previous.pk != owner.pk else owner
        vehicle = vehicle_create(
            station=station, by=clerk, owner=first_owner, vin=vin, plate=plate, make=make, model=model, year=year,
            colour=rng.choice(D.COLOURS), warranty_start=warranty_start,
            mileage=max(300, (start - warranty_start).days * rng.randint(20, 60)),
        )
        if first_owner is not owner:  # second-hand: sold to its present owner
            vehicle_change_owner(vehicle=vehicle, new_owner=owner, by=clerk)


# --- orders ------------------------------------------------------------------------------------------------------
@dataclass
class Kit:
    """What the order play needs of one station, loaded once."""

    station: Station
    advisors: list[Staff]
    lead: Staff
    vehicles: list[Vehicle]
    operations: list[LabourOperation]
    parts: list
    checklist: list
    km: dict[int, int] = field(default_factory=dict)
    returning: list[Vehicle] = field(default_factory=list)  # vehicles delivered lately: some come back


def station_kit(ctx: DemoContext, station: Station) -> Kit:
    vehicles = list(Vehicle.objects.filter(station=station).select_related("owner").order_by("pk"))
    return Kit(
        station=station, advisors=ctx.station_staff(station, Position.SERVICE_ADVISOR),
        lead=ctx.first(station, Position.FRONT_DESK_LEAD), vehicles=vehicles,
        operations=list(LabourOperation.objects.filter(station=station).order_by("code")),
        parts=list(Part.objects.filter(station=station, is_active=True, superseded_by__isnull=True)
                   .order_by("pk")[: D.ORDER_PARTS]),
        checklist=checklist_for(station), km={v.pk: v.mileage or 1000 for v in vehicles},
    )


def appointments_for_day(kit: Kit, rng: random.Random, day: date, count: int) -> None:
    """Appointments that did not become orders: some cancelled, the others expected (no-shows once past)."""
    for _ in range(count):
        vehicle = rng.choice(kit.vehicles)
        advisor = rng.choice(kit.advisors)
        start = moment(day, rng.randrange(30, 480, 30))
        booked = start - timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 5))
        with at(booked):
            booking = appointment_book(
                station=kit.station, by=advisor, customer=vehicle.owner, vehicle=vehicle, advisor=advisor, start=start,
                duration=timedelta(minutes=rng.choice([30, 60, 60, 90, 120])), concern=rng.choice(D.CONCERNS),
                operations=rng.sample(kit.operations[:60], rng.randint(0, 2)),
                channel=rng.choice([Appointment.Channel.PHONE, Appointment.Channel.PHONE, Appointment.Channel.DESK]),
            )
        if rng.random() < 0.4:
            with at(booked + timedelta(hours=rng.randint(2, 20))):
                appointment_cancel(appointment=booking.appointment, by=advisor, note="客户改期")
    appointments_mark_no_shows(now=min(moment(day, 600), timezone.now()))


def order_open(kit: Kit, rng: random.Random, opened_at: datetime) -> WorkOrder:
    """A vehicle comes in (from an appointment about two visits in three), the advisor writes up the concern, adds the
    jobs and parts, walks round the car and the customer signs: the order is open."""
    station = kit.station
    vehicle = rng.choice(kit.returning[-20:] if kit.returning and rng.random() < 0.03 else kit.vehicles)
    advisor = rng.choice(kit.advisors)
    kit.km[vehicle.pk] += rng.randint(1500, 8000)
    concern = rng.choice(D.CONCERNS)
    appointment = None
    if rng.random() < 0.65:
        with at(opened_at - timedelta(days=rng.randint(1, 4))):
            appointment = appointment_book(
                station=station, by=advisor, customer=vehicle.owner, vehicle=vehicle, advisor=advisor,
                start=opened_at - timedelta(minutes=rng.choice([0, 5, 10, 20])), concern=concern,
                duration=timedelta(minutes=rng.choice([30, 60, 60, 90, 120])),
            ).appointment
    operations = rng.sample(kit.operations, rng.randint(1, 3))
    hours = sum((op.standard_hours for op in operations), Decimal("0"))
    # The advisor promises the work plus a margin; most margins cover the waits (about 3 h 10 min), some do not.
    promised = opened_at + timedelta(hours=float(hours) + rng.choice([3, 3.5, 3.5, 4, 4, 4, 4.5, 5, 5, 6]))
    with at(opened_at):
        order = order_receive(
            station=station, by=advisor, customer=vehicle.owner, vehicle=vehicle, concerns=[concern],
            mileage_in=kit.km[vehicle.pk], fuel_level=rng.choice(WorkOrder.Fuel.values), promised_at=promised,
            appointment=appointment,
        )
        young = vehicle.warranty_start and (opened_at.date() - vehicle.warranty_start).days < 3 * 365
        first_payer = None
        for op in operations:
            roll = rng.random()
            payer = (Payer.WARRANTY if young and roll < 0.12 else Payer.INSURANCE if op.category == "钣喷" and roll < 0.5
                     else Payer.INTERNAL if roll > 0.98 else Payer.CUSTOMER)
            first_payer = first_payer or payer
            line = line_add_labour(order=order, by=advisor, operation=op, payer=payer)
            if rng.random() < 0.2:  # within the advisor's own limit: applies at once
                discount_request(line=line, by=advisor, pct=Decimal("5"), reason="会员折扣")
        for part in rng.sample(kit.parts, min(len(kit.parts), rng.randint(0, 2))):
            line_add_part(order=order, by=advisor, part=part, quantity=Decimal(rng.choice([1, 1, 2, 4])),
                          payer=first_payer)
        if rng.random() < 0.05:
            line_add_sublet(order=order, by=advisor, description="外加工：轮毂修复", unit_price=Decimal("450"),
                            unit_cost=Decimal("300"))
    if opened_at > timezone.now() - timedelta(days=INSPECTED_DAYS):
        with at(opened_at + timedelta(minutes=5)):
            results = []
            for point in kit.checklist:
                bad = rng.random() < 0.08
                results.append({"area": point.area, "label": point.label, "ok": not bad,
                                "note": rng.choice(["轻微划痕", "有污渍", "胎纹偏浅", "后座有手提包"]) if bad else ""})
            marks = [{"x": rng.randint(8, 92), "y": rng.randint(5, 95), "note": rng.choice(["划痕", "凹陷", "掉漆", "裂纹"])}
                     for _ in range(rng.choice([0, 0, 1, 2]))]
            pre_inspection_save(order=order, by=advisor, results=results, marks=marks)
            # Photos taken on the walk-around (the car from its corners, the odometer, each damage up close).
            views = rng.sample(D.WALK_PHOTOS, rng.choice([0, 1, 2, 2, 3])) + [f"{m['note']}特写" for m in marks]
            for number, caption in enumerate(views):
                order_photo_add(order=order, by=advisor, caption=caption,
                                image=photo("close" if caption.endswith("特写") else "walk", number, vehicle.colour))
    return order


def lead_review_if_needed(order: WorkOrder, note: str = "大额工单，已与客户确认") -> None:
    """Before the customer signs (or approves more work): a large total the front-desk lead has not reviewed yet is
    reviewed (again, when it grew past what was reviewed)."""
    if review_needed(order) is not None:
        lead = Staff.objects.filter(station=order.station, position=Position.FRONT_DESK_LEAD, is_active=True).first()
        if lead is not None:
            order_review_record(order=order, by=lead, note=note)


def order_sign(order: WorkOrder) -> WorkOrder:
    if order.status == S.DRAFT:
        lead_review_if_needed(order)
    estimate_sign(order=order, by=order.advisor, method="signature", signature_png=SIGNATURE)
    order.refresh_from_db()
    return order


def order_cancel(order: WorkOrder) -> None:
    work_order_transition(order=order, to=S.CANCELLED, by=order.advisor, note="客户取消")


def appointments_ahead(kit: Kit, rng: random.Random) -> None:
    """The book from later today to a fortnight ahead (one of today's customers is already late)."""
    now = timezone.now()
    today = timezone.localdate()
    starts = [(now + timedelta(minutes=m)).replace(second=0, microsecond=0) for m in (-15, 40, 90, 150, 240)]
    starts = [s for s in starts if timezone.localtime(s).date() == today]
    for offset in range(1, 15):
        day = today + timedelta(days=offset)
        load = 3 if day.weekday() >= 5 else 6
        starts += [moment(day, rng.randrange(30, 480, 30)) for _ in range(rng.randint(load - 2, load + 1))]
    for start in starts:
        vehicle = rng.choice(kit.vehicles)
        advisor = rng.choice(kit.advisors)
        with at(min(start, now) - timedelta(days=1)):
            appointment_book(
                station=kit.station, by=advisor, customer=vehicle.owner, vehicle=vehicle, advisor=advisor, start=start,
                duration=timedelta(minutes=rng.choice([30, 60, 60, 90, 120])), concern=rng.choice(D.CONCERNS),
                operations=rng.sample(kit.operations[:60], rng.randint(0, 2)),
                channel=rng.choice([Appointment.Channel.PHONE, Appointment.Channel.PHONE, Appointment.Channel.DESK]),
            )


def discounts_waiting(ctx: DemoContext, station) -> None:
    """Two discounts waiting for the front-desk lead (once: an order that already asked is skipped)."""
    if WorkOrder.objects.filter(station=station, discount_approvals__status="pending").exists():
        return
    orders = WorkOrder.objects.filter(station=station, status__in=[S.OPEN, S.IN_PROGRESS]).order_by("pk")
    for order in orders[:2]:
        line = order.lines.filter(kind=WorkOrderLine.Kind.LABOUR).order_by("position").first()
        if line is not None:
            discount_request(line=line, by=order.advisor, pct=Decimal("12"), reason="老客户，多次来店")
