"""Reads for the dashboards: periods, summed facts per station / advisor / technician, targets, drill-downs."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from kpi.models import MEASURES, AdvisorDay, Overhead, PurchaseTarget, StationDay, StationMonth, Target
from kpi.registry import KPIS, TRAILING_MEASURES, Totals
from org.models import Station
from org.selectors import visible_station_ids

ZERO = Decimal("0")


@dataclass(frozen=True)
class Period:
    kind: str  # day, week, month, year, custom
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def elapsed_days(self) -> int:
        """Days of the period up to today (days of supply divides by the days that have happened)."""
        today = timezone.localdate()
        if self.start > today:
            return self.days
        return (min(self.end, today) - self.start).days + 1

    def previous(self) -> Period:
        """The period before, to compare with — like with like: while this period is still running (it holds
        today), only the same days of the previous one (03-01…03-06 against 02-01…02-06, not all February)."""
        if self.kind == "month":
            end = self.start - timedelta(days=1)
            full = Period("month", end.replace(day=1), end)
        elif self.kind == "year":
            full = Period("year", self.start.replace(year=self.start.year - 1), self.start - timedelta(days=1))
        else:
            full = Period(self.kind, self.start - timedelta(days=self.days), self.start - timedelta(days=1))
        elapsed = self.elapsed_days
        if elapsed >= self.days:
            return full
        if self.kind == "year":  # the same calendar date a year before (29 February → 28 February)
            today = self.start + timedelta(days=elapsed - 1)
            try:
                end = today.replace(year=today.year - 1)
            except ValueError:
                end = today.replace(year=today.year - 1, day=28)
        else:
            end = full.start + timedelta(days=elapsed - 1)
        return Period(full.kind, full.start, min(end, full.end))

    @property
    def shown_end(self) -> date:
        """The last day there is to show: the period's end, or today while it is running (charts stop there)."""
        return self.start + timedelta(days=self.elapsed_days - 1)

    def label(self) -> str:
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def query(self) -> str:
        if self.kind == "custom":
            return f"period=custom&from={self.start}&to={self.end}"
        return f"period={self.kind}&date={self.start}"


def period_of(kind: str, anchor: date) -> Period:
    if kind == "day":
        return Period("day", anchor, anchor)
    if kind == "week":
        start = anchor - timedelta(days=anchor.weekday())
        return Period("week", start, start + timedelta(days=6))
    if kind == "year":
        return Period("year", anchor.replace(month=1, day=1), anchor.replace(month=12, day=31))
    last = calendar.monthrange(anchor.year, anchor.month)[1]
    return Period("month", anchor.replace(day=1), anchor.replace(day=last))


def period_from_query(params) -> Period:
    """?period=day|week|month|year&date=YYYY-MM-DD or ?period=custom&from=..&to=.. (default: this month)."""
    kind = params.get("period") or "month"

    def parse(name: str) -> date | None:
        try:
            return date.fromisoformat(params.get(name) or "")
        except ValueError:
            return None

    if kind == "custom":
        start, end = parse("from"), parse("to")
        if start and end and start <= end and (end - start).days <= 3 * 366:
            return Period("custom", start, end)
        kind = "month"
    if kind not in ("day", "week", "month", "year"):
        kind = "month"
    return period_of(kind, parse("date") or timezone.localdate())


def _sums(measures: list[str] | None = None) -> dict:
    return {name: Sum(name) for name in (measures or MEASURES)}


def summed(model, measures, station_ids, start: date, stop: date, *, sql: bool | None = None):
    """(station id, {measure: sum}) for each station with rows of the rollup ``model`` on days [start, stop).

    On PostgreSQL the statement is written once per rollup and list of measures and reused: the ORM took about 3 ms
    of CPU to compile a sum of the 75 measures, each time, twice or more a board — most of a dashboard's time — for a
    statement PostgreSQL answers in a tenth of that. Elsewhere (SQLite in development) the ORM; ``sql`` forces one
    way (the tests compare the two on the same rows)."""
    measures = tuple(measures)
    if sql if sql is not None else connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_sums_statement(model, measures), [list(station_ids), start, stop])
            for station_id, *sums in cursor.fetchall():
                yield station_id, dict(zip(measures, sums, strict=True))
        return
    rows = (model.objects.filter(station_id__in=station_ids, day__gte=start, day__lt=stop)
            .values("station_id").annotate(**_sums(list(measures))))
    for row in rows:
        yield row.pop("station_id"), row


@lru_cache(maxsize=32)
def _sums_statement(model, measures: tuple[str, ...]) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(f"SUM({quote(model._meta.get_field(m).column)})" for m in measures)
    return (f"SELECT {quote('station_id')}, {columns} FROM {quote(model._meta.db_table)} "  # noqa: S608 - names from the models
            f"WHERE {quote('station_id')} = ANY(%s) AND {quote('day')} >= %s AND {quote('day')} < %s "
            f"GROUP BY {quote('station_id')}")


def monthly_amounts(model, station_ids, period: Period) -> dict[int, Decimal]:
    """A monthly amount per station (``Overhead``, ``PurchaseTarget``) for the period: each month's amount prorated
    by the days of it inside the period."""
    result: dict[int, Decimal] = defaultdict(lambda: ZERO)
    rows = model.objects.filter(
        station_id__in=station_ids, month__gte=period.start.replace(day=1), month__lte=period.end
    ).values_list("station_id", "month", "amount")
    for station_id, month, amount in rows:
        month_days = calendar.monthrange(month.year, month.month)[1]
        month_end = month.replace(day=month_days)
        inside = (min(month_end, period.end) - max(month, period.start)).days + 1
        if inside > 0:
            result[station_id] += amount * inside / month_days
    return result


def overhead_for(station_ids, period: Period) -> dict[int, Decimal]:
    """Overhead per station for the period: each month's amount prorated by the days of it inside the period."""
    return monthly_amounts(Overhead, station_ids, period)


def trailing_year(end: date) -> Period:
    """The 12 months ending with ``end``: (end − 1 year, end] (2026-03-31 → 2025-04-01 … 2026-03-31)."""
    try:
        start = end.replace(year=end.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        start = date(end.year - 1, 3, 1)
    return Period("custom", start, end)


def station_totals(station_ids, period: Period, measures: list[str] | None = None, *,
                   trailing: bool = True, amounts: bool = True) -> dict[int, Totals]:
    """Summed measures per station over the period (all, or only ``measures``), with ``overhead``,
    ``purchase_target`` (both prorated by days; not read when ``amounts`` is off) and ``days``; and (``trailing``)
    the ``TRAILING_MEASURES`` summed over the 12 months ending with the period or today (``trailing_year``), as
    ``ttm_<measure>``."""
    station_ids = list(station_ids)
    first_full = period.start if period.start.day == 1 else _next_month(period.start)
    after_full = _next_month(period.end) if _next_month(period.end) - timedelta(days=1) == period.end else (
        period.end.replace(day=1)
    )
    result = {sid: Totals() for sid in station_ids}
    after_end = period.end + timedelta(days=1)
    sources = []  # (rollup, first day, day after the last)
    if first_full < after_full:  # whole months from the month sums, the edges from the days
        sources.append((StationMonth, first_full, after_full))
        if period.start < first_full:
            sources.append((StationDay, period.start, first_full))
        if after_full <= period.end:
            sources.append((StationDay, after_full, after_end))
    else:
        sources.append((StationDay, period.start, after_end))
    for model, start, stop in sources:
        for station_id, row in summed(model, measures or MEASURES, station_ids, start, stop):
            totals = result[station_id]
            for k, v in row.items():
                totals[k] = totals.get(k, ZERO) + (v or ZERO)
    overhead = overhead_for(station_ids, period) if amounts else {}
    purchase_target = monthly_amounts(PurchaseTarget, station_ids, period) if amounts else {}
    for sid, totals in result.items():
        totals["overhead"] = overhead.get(sid, ZERO)
        totals["purchase_target"] = purchase_target.get(sid, ZERO)
        totals["days"] = Decimal(period.elapsed_days)
    if trailing:  # the trailing year's measures only: its overhead and purchase target are never shown
        year = station_totals(station_ids, trailing_year(period.shown_end), list(TRAILING_MEASURES), trailing=False,
                              amounts=False)
        for sid, totals in result.items():
            for m in TRAILING_MEASURES:
                totals[f"ttm_{m}"] = year[sid].get(m, ZERO)
    return result


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def combine(totals: list[Totals]) -> Totals:
    """Stations → region or group: sum the numerators and denominators.

    Two inputs are not summed: the period length (``days``) and the number of stock snapshots (``stock_days``, and
    ``ttm_stock_days`` of the trailing year, and ``staff_days`` of the headcount) — the group's average stock (and
    headcount) is the sum of the stations' values per snapshot day, not their average.
    """
    out = Totals()
    for t in totals:
        for key, value in t.items():
            if key in ("days", "stock_days", "ttm_stock_days", "staff_days"):
                out[key] = max(out.get(key, ZERO), value)
            else:
                out[key] = out.get(key, ZERO) + value
    return out


def people_totals(model, station_ids, period: Period) -> dict[int, Totals]:
    field = "advisor_id" if model is AdvisorDay else "technician_id"
    rows = (
        model.objects.filter(station_id__in=list(station_ids), day__gte=period.start, day__lte=period.end)
        .values(field)
        .annotate(**_sums())
    )
    result = {}
    for row in rows:
        subject = row.pop(field)
        result[subject] = Totals({k: v or ZERO for k, v in row.items()})
        result[subject]["days"] = Decimal(period.elapsed_days)
    return result


def daily_series(station_ids, period: Period, measures: list[str]) -> dict[date, Totals]:
    """Per day up to today at most: days still to come are not plotted (their rows, e.g. rolled for appointments
    already booked, would draw as zeros)."""
    rows = (
        StationDay.objects.filter(station_id__in=list(station_ids), day__gte=period.start, day__lte=period.shown_end)
        .values("day")
        .annotate(**{m: Sum(m) for m in measures})
        .order_by("day")
    )
    return {row.pop("day"): Totals(row) for row in rows}


def targets_for(station_ids) -> dict[str, Decimal]:
    """Targets of one station (or the mean of the stations' targets when several are shown); defaults otherwise."""
    values: dict[str, list[Decimal]] = defaultdict(list)
    for kpi, value in Target.objects.filter(station_id__in=list(station_ids)).values_list("kpi", "value"):
        values[kpi].append(value)
    result = {code: k.target for code, k in KPIS.items() if k.target is not None}
    for kpi, vals in values.items():
        result[kpi] = sum(vals) / len(vals)
    return result


def dashboard_stations(user, station_id: int | None, current: Station | None = None) -> list[Station]:
    """The stations a board covers: the picked one if visible, else the station switcher's, else the user's own."""
    ids = visible_station_ids(user)
    if station_id and station_id in ids:
        return list(Station.objects.filter(pk=station_id))
    if current is not None and current.pk in ids:
        return [current]
    if user.station_id and user.station_id in ids:
        return [user.station]
    return list(Station.objects.filter(pk=min(ids))) if ids else []

