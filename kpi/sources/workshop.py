"""The workshop's measures: technicians' hours attended, clocked and sold on finished jobs, and comebacks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Max, Q
from django.utils import timezone

from kpi.sources.base import ONE, Sink, local_day
from reception.models import WorkOrderLine
from workshop.models import Attendance, ClockEntry, Comeback


def _seconds(a: datetime, b: datetime) -> int:
    return max(0, int((b - a).total_seconds()))


def _hours(seconds: int) -> Decimal:
    return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"))


def technician_hours(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """Technicians: hours attended (shifts), clocked (job clock, split at midnight), and for the jobs they finished
    on the day (their last clock-off on the line) the line's sold hours shared between the technicians who worked
    on it, and their own clocked hours on it. The same rules as ``workshop.selectors.technician_hours``."""
    station_ids = list(station_ids)
    now = timezone.now()
    tz = timezone.get_current_timezone()
    for a in Attendance.objects.filter(station_id__in=station_ids, day__gte=local_day(lo),
                                       day__lt=local_day(hi), started_at__isnull=False):
        # a shift never ended counts to the end of its day at most (workshop.models.Attendance.counted_until)
        sink.add(a.station_id, a.day, "hours_attended", _hours(a.attended_seconds), technician=a.technician_id)
    # hours clocked, cut at local midnight
    clocked: dict[tuple[int, int, date], int] = defaultdict(int)
    entries = ClockEntry.objects.filter(station_id__in=station_ids, started_at__lt=hi).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=lo)
    ).values_list("station_id", "technician_id", "started_at", "ended_at")
    for station_id, tech, started, ended in entries:
        start, stop = max(started, lo), min(ended or now, hi)
        while start < stop:
            day = local_day(start)
            midnight = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tz)
            clocked[(station_id, tech, day)] += _seconds(start, min(stop, midnight))
            start = midnight
    for (station_id, tech, day), seconds in clocked.items():
        sink.add(station_id, day, "hours_clocked", _hours(seconds), technician=tech)
    # jobs finished: the technician's last clock-off on the line falls on the day
    off_today = ClockEntry.objects.filter(
        station_id__in=station_ids, end="off", ended_at__gte=lo, ended_at__lt=hi
    ).values("line_id")
    finished = (
        ClockEntry.objects.filter(end="off", line_id__in=off_today)
        .values("line_id", "technician_id")
        .annotate(last_off=Max("ended_at"))
        .filter(last_off__gte=lo, last_off__lt=hi)
    )
    finished = list(finished)
    if not finished:
        return
    line_ids = {f["line_id"] for f in finished}
    sharing: dict[int, set[int]] = defaultdict(set)
    own_seconds: dict[tuple[int, int], int] = defaultdict(int)
    for line_id, tech, started, ended in ClockEntry.objects.filter(line_id__in=line_ids).values_list(
        "line_id", "technician_id", "started_at", "ended_at"
    ):
        sharing[line_id].add(tech)
        own_seconds[(line_id, tech)] += _seconds(started, ended or now)
    lines = {
        row["id"]: row
        for row in WorkOrderLine.objects.filter(pk__in=line_ids).values("id", "hours", "order__station_id")
    }
    for f in finished:
        line = lines[f["line_id"]]
        day = local_day(f["last_off"])
        share = (Decimal(line["hours"]) / len(sharing[f["line_id"]])).quantize(Decimal("0.01"))
        sink.add(line["order__station_id"], day, "hours_sold_clocked", share, technician=f["technician_id"])
        sink.add(line["order__station_id"], day, "hours_clocked_completed",
                 _hours(own_seconds[(f["line_id"], f["technician_id"])]), technician=f["technician_id"])


def comeback_orders(station_ids: Iterable[int], lo: datetime, hi: datetime):
    """Comebacks counted against the earlier order, on the day it was delivered (FFV = 1 − these ÷ delivered)."""
    return Comeback.objects.filter(
        earlier_order__station_id__in=list(station_ids), earlier_order__delivered_at__gte=lo,
        earlier_order__delivered_at__lt=hi,
    )


def comebacks(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    for row in comeback_orders(station_ids, lo, hi).values(
        "earlier_order__station_id", "earlier_order__delivered_at", "earlier_order__advisor_id", "advisor_id",
        "technician_id",
    ):
        sink.add(row["earlier_order__station_id"], local_day(row["earlier_order__delivered_at"]), "comebacks", ONE,
                 advisor=row["advisor_id"] or row["earlier_order__advisor_id"], technician=row["technician_id"])
