"""Workshop demo data on top of the front desk's demo orders: bays, dispatch, clock entries, attendance, findings,
final inspections and a few comebacks. Idempotent (an order that already has workshop records is left alone) and
deterministic (each order's choices come from a generator seeded with its number, not from the shared one)."""

from __future__ import annotations

import random
import zlib
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from org.demo import DemoContext
from org.models import Position
from reception.models import WorkOrder, WorkOrderLine
from workshop.models import CHECKLIST, Attendance, Bay, ClockEntry, Comeback, Finding, JobAssignment, QualityCheck

S = WorkOrder.Status
End = ClockEntry.End
BAYS = [
    ("A1", "一号举升机", Bay.Kind.LIFT), ("A2", "二号举升机", Bay.Kind.LIFT), ("A3", "三号举升机", Bay.Kind.LIFT),
    ("A4", "四号举升机", Bay.Kind.LIFT), ("Q1", "快修工位", Bay.Kind.QUICK), ("D1", "四轮定位", Bay.Kind.ALIGNMENT),
    ("W1", "洗车工位", Bay.Kind.WASH),
]
FINDINGS = ["前刹车片剩余2毫米，建议更换", "雨刮片老化，刮不干净", "空调滤芯很脏", "右后轮胎侧面鼓包", "蓄电池电压偏低"]
QC_FAIL = ["左前轮仍有异响", "机油液位偏高", "仪表故障灯未熄灭"]


def _rng(order: WorkOrder) -> random.Random:
    return random.Random(zlib.crc32(order.number.encode()))


def _at(day, hh: int, mm: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hh, mm)))


def seed(ctx: DemoContext) -> None:
    for station in ctx.stations:
        _seed_station(ctx, station)
        _seed_roster(ctx, station)


def _seed_roster(ctx: DemoContext, station) -> None:
    """Next week's plan as a dispatcher would set it, through the roster service (so it is in the change record):
    one technician on leave on Wednesday, one on a short Friday, a Saturday half-shift. Idempotent: the service
    records nothing when the day already holds that plan."""
    from workshop.services.roster import roster_set  # noqa: PLC0415 - the demo loads after the apps

    techs = sorted(ctx.station_staff(station, Position.TECHNICIAN), key=lambda s: s.username)
    dispatcher = next(iter(ctx.station_staff(station, Position.WORKSHOP_LEAD)), None)
    if len(techs) < 2 or dispatcher is None:
        return
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    plan = [(techs[0], 2, None, True), (techs[1], 4, Decimal("5"), False), (techs[-1], 5, Decimal("4"), False)]
    for tech, weekday, hours, absent in plan:
        roster_set(technician=tech, day=monday + timedelta(days=weekday), planned_hours=hours, absent=absent,
                   by=dispatcher)


@transaction.atomic
def _seed_station(ctx: DemoContext, station) -> None:
    bays = [
        Bay.objects.get_or_create(station=station, code=code, defaults={"name": name, "kind": kind})[0]
        for code, name, kind in BAYS
    ]
    techs = sorted(ctx.station_staff(station, Position.TECHNICIAN), key=lambda s: s.username)
    orders = list(
        WorkOrder.objects.filter(station=station).exclude(status__in=(S.DRAFT, S.CANCELLED)).order_by("opened_at", "pk")
    )
    if not techs or not orders:
        return
    _seed_attendance(station, techs, timezone.localdate(orders[0].opened_at))
    dispatcher = next(iter(ctx.station_staff(station, Position.WORKSHOP_LEAD)), None) or techs[0]
    qc = next(iter(ctx.station_staff(station, Position.QC_INSPECTOR)), None) or dispatcher
    running = set(ClockEntry.objects.filter(technician__in=techs, ended_at__isnull=True).values_list("technician_id", flat=True))
    now = timezone.now()
    busy_until: dict[int, object] = {}
    for index, order in enumerate(orders):
        if JobAssignment.objects.filter(order=order).exists():
            continue
        rng = _rng(order)
        lines = list(order.lines.filter(kind=WorkOrderLine.Kind.LABOUR, approval=WorkOrderLine.Approval.APPROVED))
        if not lines:
            continue
        if order.status == S.OPEN and index % 2:
            continue  # half the open orders wait for the dispatcher
        tech = techs[rng.randrange(len(techs))]
        if order.status not in (S.OPEN, S.IN_PROGRESS):
            # Finished work went to whoever was free first (the dispatcher balances the load).
            tech = min(techs, key=lambda t: (busy_until.get(t.pk) or order.opened_at, t.username))
        bay = bays[rng.randrange(4)]
        start = max(order.signed_at or order.opened_at, order.opened_at) + timedelta(minutes=20)
        for line in lines:
            JobAssignment.objects.create(
                station=station, order=order, line=line, technician=tech, bay=bay, assigned_by=dispatcher,
                assigned_at=start - timedelta(minutes=10),
            )
        if order.status == S.OPEN:
            continue
        if order.status == S.IN_PROGRESS:
            _seed_in_progress(order, lines, tech, start, now, running, rng)
            continue
        # Work finished: clocked, inspected (sometimes after a rework), maybe already settled or delivered.
        # One technician works on one job at a time: start after their previous job unless that runs into the future.
        total = sum((timedelta(hours=float(ln.hours) * 1.2) for ln in lines), timedelta())
        cursor = start
        if busy_until.get(tech.pk) and busy_until[tech.pk] > start and busy_until[tech.pk] + total < now:
            cursor = busy_until[tech.pk]
        for line in lines:
            worked = timedelta(hours=float(line.hours) * rng.uniform(0.75, 1.15))
            ClockEntry.objects.create(
                station=station, order=order, line=line, technician=tech, started_at=cursor, ended_at=cursor + worked,
                end=End.OFF,
            )
            cursor += worked + timedelta(minutes=5)
        busy_until[tech.pk] = cursor
        if order.status == S.QUALITY_CHECK:
            continue
        attempt = 1
        at = order.work_completed_at or cursor
        if rng.random() < 0.07:
            QualityCheck.objects.create(
                station=station, order=order, attempt=1, inspector=qc, at=at, result=QualityCheck.Result.FAILED,
                checklist={code: code != "concern_fixed" for code, _l in CHECKLIST}, reason=rng.choice(QC_FAIL),
            )
            rework_start = at + timedelta(minutes=10)
            ClockEntry.objects.create(
                station=station, order=order, line=lines[0], technician=tech, started_at=rework_start,
                ended_at=rework_start + timedelta(minutes=25), end=End.OFF, is_rework=True,
            )
            at = rework_start + timedelta(minutes=30)
            attempt = 2
        QualityCheck.objects.create(
            station=station, order=order, attempt=attempt, inspector=qc, at=at, result=QualityCheck.Result.PASSED,
            checklist={code: True for code, _l in CHECKLIST}, road_test=rng.random() < 0.5, washed=rng.random() < 0.7,
        )
    _seed_comebacks(station, orders, qc)


def _seed_in_progress(order, lines, tech, start, now, running, rng) -> None:
    from workshop.services.findings import finding_create, finding_decide

    station_id = order.station_id
    first = lines[0]
    begin = now - timedelta(minutes=50)  # the running job started this morning, not when the order opened
    if tech.pk not in running:
        ClockEntry.objects.create(station_id=station_id, order=order, line=first, technician=tech, started_at=begin)
        running.add(tech.pk)
    else:
        ClockEntry.objects.create(
            station_id=station_id, order=order, line=first, technician=tech, started_at=begin,
            ended_at=begin + timedelta(minutes=30), end=End.WAITING_PARTS,
        )
    if Finding.objects.filter(order=order).exists() or rng.random() < 0.4:
        return
    operation = first.labour_operation
    part = next((ln.part for ln in order.lines.all() if ln.part_id), None)
    if operation is None and part is None:
        return
    finding = finding_create(
        order=order, by=tech, description=rng.choice(FINDINGS), labour_operation=operation, part=part,
        part_quantity=Decimal("1"), found_on=first,
    )
    if rng.random() < 0.4:
        finding_decide(finding=finding, approve=False, channel=rng.choice(["phone", "message"]), by=order.advisor,
                       note="下次保养时再做")


def _seed_comebacks(station, orders, qc) -> None:
    from workshop.services.comebacks import comeback_candidates, main_technician

    made = Comeback.objects.filter(station=station).count()
    causes = list(Comeback.Cause.values)
    for order in orders:
        if made >= 3:
            return
        if Comeback.objects.filter(order=order).exists():
            continue
        earlier = comeback_candidates(order=order).first()
        if earlier is None:
            continue
        Comeback.objects.create(
            station=station, order=order, earlier_order=earlier, cause=causes[made % len(causes)],
            technician=main_technician(order=earlier), advisor=earlier.advisor, linked_by=qc,
            linked_at=order.opened_at + timedelta(hours=1), note="同一故障再次出现",
        )
        made += 1


def _seed_attendance(station, techs, since) -> None:
    """A shift for every working day since the first demo order (productivity needs attended hours)."""
    today = timezone.localdate()
    now = timezone.now()
    rows = []
    day = since
    while day <= today:
        if day.weekday() != 6:
            for n, tech in enumerate(techs):
                start = _at(day, 8, 20 + n * 5)
                if start <= now:
                    end = _at(day, 17, 40) if day < today else None
                    rows.append(Attendance(station=station, technician=tech, day=day, started_at=start, ended_at=end))
        day += timedelta(days=1)
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)
