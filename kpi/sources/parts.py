"""Parts' measures: first-fill of part lines, parts issued at cost, the daily stock value and its obsolete part,
and genuine-parts purchases. All read from parts' records (the stock ledger ``StockMove`` and ``DemandLine``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from kpi.sources.base import ONE, Sink, local_day, station_settings
from parts.models import DemandLine, Part, StockMove

OBSOLETE_MONTHS = 12  # the documented default; per station in KpiSettings.obsolete_months


def first_fill(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """First-fill: part lines requested on the day, and those filled from stock at that moment (by line)."""
    rows = DemandLine.objects.filter(station_id__in=station_ids, requested_at__gte=lo, requested_at__lt=hi).values(
        "station_id", "requested_at", "filled_from_stock", "line__order__advisor_id"
    )
    for row in rows:
        day = local_day(row["requested_at"])
        advisor = row["line__order__advisor_id"]
        sink.add(row["station_id"], day, "part_lines_requested", ONE, advisor=advisor)
        if row["filled_from_stock"]:
            sink.add(row["station_id"], day, "part_lines_filled", ONE, advisor=advisor)


def stock(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """Cost of parts issued (issues less returns), and an end-of-day stock snapshot: value at that day's cost
    (``day_cost``), and the obsolete part of it (no issue — or, never issued, no move at all — in 12 months).
    Snapshots are taken only for days that have ended or are today."""
    station_ids = list(station_ids)
    for row in StockMove.objects.filter(
        station_id__in=station_ids, at__gte=lo, at__lt=hi, kind__in=["issue", "return"]
    ).values("station_id", "at", "quantity", "unit_cost"):
        sink.add(row["station_id"], local_day(row["at"]), "parts_issued_cost",
                 (-row["quantity"] * row["unit_cost"]).quantize(Decimal("0.01")))
    moves = StockMove._meta.db_table
    parts = Part._meta.db_table
    sql = f"""
        WITH last AS (
            SELECT DISTINCT ON (m.warehouse_id, m.part_id) m.station_id, m.part_id, m.balance_after
            FROM {moves} m WHERE m.station_id = ANY(%(ids)s) AND m.at < %(end)s
            ORDER BY m.warehouse_id, m.part_id, m.at DESC, m.id DESC
        ), cost AS (
            SELECT DISTINCT ON (m.part_id) m.part_id, m.cost_after
            FROM {moves} m WHERE m.station_id = ANY(%(ids)s) AND m.at < %(end)s AND m.cost_after IS NOT NULL
            ORDER BY m.part_id, m.at DESC, m.id DESC
        ), activity AS (
            SELECT part_id, COALESCE(MAX(at) FILTER (WHERE kind = 'issue'), MIN(at)) AS since
            FROM {moves} WHERE station_id = ANY(%(ids)s) AND at < %(end)s GROUP BY part_id
        )
        SELECT last.station_id, COALESCE(SUM(last.balance_after * COALESCE(c.cost_after, p.cost)), 0),
               COALESCE(SUM(CASE WHEN a.since < %(stale)s THEN last.balance_after * COALESCE(c.cost_after, p.cost)
                                 ELSE 0 END), 0)
        FROM last JOIN {parts} p ON p.id = last.part_id JOIN activity a ON a.part_id = last.part_id
        LEFT JOIN cost c ON c.part_id = last.part_id
        WHERE last.balance_after > 0 GROUP BY last.station_id
    """
    by_months: dict[int, list[int]] = defaultdict(list)
    for station_id, config in station_settings(station_ids).items():
        by_months[config.obsolete_months].append(station_id)
    tz = timezone.get_current_timezone()
    day, last_day = local_day(lo), min(local_day(hi - timedelta(microseconds=1)), timezone.localdate())
    if connection.vendor != "postgresql":
        months = {sid: m for m, ids in by_months.items() for sid in ids}
        stock_snapshots(sink=sink, station_ids=station_ids, first_day=day, last_day=last_day,
                        months_by_station=months)
        return
    with connection.cursor() as cursor:
        while day <= last_day:
            end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tz)
            for months, ids in by_months.items():
                stale = end - timedelta(days=round(months * 30.4375))
                cursor.execute(sql, {"ids": ids, "end": end, "stale": stale})
                for station_id, value, obsolete in cursor.fetchall():
                    sink.add(station_id, day, "stock_value", Decimal(value).quantize(Decimal("0.01")))
                    sink.add(station_id, day, "obsolete_value", Decimal(obsolete).quantize(Decimal("0.01")))
            for station_id in station_ids:
                sink.add(station_id, day, "stock_days", ONE)
            day += timedelta(days=1)


def day_cost(cost_after, current_cost) -> Decimal:
    """The cost a part's stock is valued at on a day: the moving-average cost after its last move up to the end of
    that day (``StockMove.cost_after``), so re-rolling a past day gives the same value; the part's current cost only
    for a part whose moves carry no cost. The SQL of ``stock`` applies the same rule (``COALESCE``)."""
    return current_cost if cost_after is None else cost_after


def part_costs_at(station_ids: Iterable[int], end: datetime) -> dict[int, Decimal]:
    """Each part's cost at ``end`` by ``day_cost`` (for the stock drill-down: the rows add up to the day's figure)."""
    current = dict(Part.objects.filter(station_id__in=list(station_ids)).values_list("id", "cost"))
    after: dict[int, Decimal] = {}
    moves = StockMove.objects.filter(station_id__in=list(station_ids), at__lt=end, cost_after__isnull=False)
    for part_id, cost in moves.order_by("at", "id").values_list("part_id", "cost_after").iterator(chunk_size=5000):
        after[part_id] = cost
    return {part_id: day_cost(after.get(part_id), cost) for part_id, cost in current.items()}


def stock_snapshots(*, sink: Sink, station_ids: list[int], first_day: date, last_day: date,
                    months_by_station: dict[int, int]) -> None:
    """End-of-day stock snapshots without PostgreSQL's DISTINCT ON / FILTER: a replay of the stock moves in Python.

    Used on SQLite (the quick start); the same figures as the SQL in ``stock``: stock value = the last balance of
    each (warehouse, part) at the end of the day × that day's cost (``day_cost``); obsolete = the value of parts whose last
    issue (or, never issued, first move) is older than the station's obsolete window."""
    tz = timezone.get_current_timezone()

    def end_of(day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tz)

    cost = dict(Part.objects.filter(station_id__in=station_ids).values_list("id", "cost"))
    moves = iter(
        StockMove.objects.filter(station_id__in=station_ids, at__lt=end_of(last_day))
        .order_by("at", "id")
        .values_list("station_id", "warehouse_id", "part_id", "kind", "at", "balance_after", "cost_after")
    )
    cost_after: dict[int, Decimal] = {}
    balance: dict[tuple[int, int], tuple[int, Decimal]] = {}
    since: dict[int, datetime] = {}  # part → last issue, else first move
    issued: set[int] = set()
    pending = next(moves, None)
    day = first_day
    while day <= last_day:
        end = end_of(day)
        while pending is not None and pending[4] < end:
            station_id, warehouse_id, part_id, kind, at, after, cost_of_move = pending
            balance[(warehouse_id, part_id)] = (station_id, after)
            if cost_of_move is not None:
                cost_after[part_id] = cost_of_move
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
            amount = after * day_cost(cost_after.get(part_id), cost.get(part_id, Decimal("0")))
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


def genuine_receipts(station_ids: Iterable[int], lo: datetime, hi: datetime):
    """Goods receipts (入库) of genuine parts in [lo, hi): the purchases of 采购目标达成率.

    Read from the stock ledger (``StockMove`` of kind ``receipt``), not from ``ReceiptLine``: every purchase-order
    receipt posts exactly one such move at the receipt's unit cost (``parts.services.purchasing``), and the ledger
    also holds receipts booked without a purchase order — the same source as the stock value, so the two agree."""
    return StockMove.objects.filter(
        station_id__in=list(station_ids), kind="receipt", at__gte=lo, at__lt=hi, part__is_genuine=True
    )


def purchases(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """Genuine-parts purchases at cost (quantity received × unit cost), on the day of the receipt."""
    for row in genuine_receipts(station_ids, lo, hi).values("station_id", "at", "quantity", "unit_cost"):
        sink.add(row["station_id"], local_day(row["at"]), "purchases_genuine",
                 (row["quantity"] * row["unit_cost"]).quantize(Decimal("0.01")))
