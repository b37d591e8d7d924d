"""End-of-day stock snapshots without PostgreSQL's DISTINCT ON / FILTER: a replay of the stock moves in Python.

Used on SQLite (the quick start); the same figures as the SQL in ``collect._stock``: stock value = the last balance of
each (warehouse, part) at the end of the day × the part's current cost; obsolete = the value of parts whose last
issue (or, never issued, first move) is older than the station's obsolete window.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.apps import apps
from django.utils import timezone


def stock_snapshots(*, sink, station_ids: list[int], first_day: date, last_day: date, months_by_station: dict[int, int],
                    local_day) -> None:
    StockMove = apps.get_model("parts", "StockMove")
    Part = apps.get_model("parts", "Part")
    tz = timezone.get_current_timezone()

    def end_of(day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tz)

    cost = dict(Part.objects.filter(station_id__in=station_ids).values_list("id", "cost"))
    moves = iter(
        StockMove.objects.filter(station_id__in=station_ids, at__lt=end_of(last_day))
        .order_by("at", "id")
        .values_list("station_id", "warehouse_id", "part_id", "kind", "at", "balance_after")
    )
    balance: dict[tuple[int, int], tuple[int, Decimal]] = {}
    since: dict[int, datetime] = {}  # part → last issue, else first move
    issued: set[int] = set()
    pending = next(moves, None)
    day = first_day
    while day <= last_day:
        end = end_of(day)
        while pending is not None and pending[4] < end:
            station_id, warehouse_id, part_id, kind, at, after = pending
            balance[(warehouse_id, part_id)] = (station_id, after)
            if kind == "issue":
                since[part_id] = at
                issued.add(part_id)
            elif part_id not in issued:
                since.setdefault(part_id, at)
            pending = next(moves, None)
        value: dict[int, Decimal] = defaultdict(Decimal)
        obsolete: dict[int, Decimal] = defaultdict(Decimal)
        for (_warehouse, part_id), (station_id, after) in balance.items():
            if after <= 0:
                continue
            amount = after * cost.get(part_id, Decimal("0"))
            value[station_id] += amount
            stale = end - timedelta(days=round(months_by_station[station_id] * 30.4375))
            if since.get(part_id, end) < stale:
                obsolete[station_id] += amount
        for station_id in value:
            sink.add(station_id, day, "stock_value", value[station_id].quantize(Decimal("0.01")))
            sink.add(station_id, day, "obsolete_value", obsolete[station_id].quantize(Decimal("0.01")))
        for station_id in station_ids:
            sink.add(station_id, day, "stock_days", Decimal("1"))
        day += timedelta(days=1)
