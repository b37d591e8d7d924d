"""Store the daily facts: re-running a day replaces that day (delete + insert in one transaction)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from kpi.models import MEASURES, AdvisorDay, DirtyDay, StationDay, StationMonth, TechnicianDay
from kpi.services.collect import collect
from kpi.services.shifts import unclosed_shifts_flag
from kpi.sources.base import ADVISOR, STATION, TECHNICIAN, local_day
from org.models import Station


def _days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


@transaction.atomic
def rollup_days(*, start: date, end: date, station_ids: list[int] | None = None) -> int:
    """Recompute and replace the facts of [start, end] for the stations (all active ones by default).

    Returns the number of station-day rows written. A station-day row is written even when nothing happened, so a
    rolled day is visibly rolled. Dirty marks of these days made before this run started are cleared.
    """
    started = timezone.now()
    if station_ids is None:
        station_ids = list(Station.objects.filter(is_active=True).values_list("id", flat=True))
    facts = collect(station_ids=station_ids, start=start, end=end)
    where = {"station_id__in": station_ids, "day__gte": start, "day__lte": end}
    for model in (StationDay, AdvisorDay, TechnicianDay):
        model.objects.filter(**where).delete()
    station_rows, advisor_rows, technician_rows = [], [], []
    for station_id in station_ids:
        for day in _days(start, end):
            values = facts.get((STATION, station_id, 0, day), {})
            station_rows.append(StationDay(station_id=station_id, day=day, **values))
    for (grain, station_id, subject_id, day), values in facts.items():
        if grain == ADVISOR:
            advisor_rows.append(AdvisorDay(station_id=station_id, day=day, advisor_id=subject_id, **values))
        elif grain == TECHNICIAN:
            technician_rows.append(TechnicianDay(station_id=station_id, day=day, technician_id=subject_id, **values))
    StationDay.objects.bulk_create(station_rows, batch_size=2000)
    AdvisorDay.objects.bulk_create(advisor_rows, batch_size=2000)
    TechnicianDay.objects.bulk_create(technician_rows, batch_size=2000)
    months_refresh(station_ids=station_ids, start=start, end=end)
    DirtyDay.objects.filter(**where, marked_at__lte=started).delete()
    return len(station_rows)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def months_refresh(*, station_ids: list[int], start: date, end: date) -> None:
    """Rewrite the ``StationMonth`` sums of the months that [start, end] touches, from their days."""
    first = _month_start(start)
    last_month = _month_start(end)
    following = (last_month + timedelta(days=32)).replace(day=1)
    StationMonth.objects.filter(station_id__in=station_ids, day__gte=first, day__lt=following).delete()
    rows = (
        StationDay.objects.filter(station_id__in=station_ids, day__gte=first, day__lt=following)
        .annotate(month=TruncMonth("day"))
        .values("station_id", "month")
        .annotate(**{m: Sum(m) for m in MEASURES})
    )
    StationMonth.objects.bulk_create(
        [StationMonth(day=row.pop("month"), **row) for row in rows], batch_size=2000
    )


def dirty_day_mark(*, station_id: int, day: date) -> None:
    """Mark a station-day stale; the next ``rollup_recent_days`` re-rolls it. Idempotent.

    Written after the caller's transaction commits (nothing to re-roll if it rolls back), as one upsert in its own
    statement: no row lock is held through the caller's transaction, so two advisors saving orders of the same
    station and day never wait on each other. A mark made while that day is being rolled gets a newer
    ``marked_at`` and survives the rollup's clean-up.

    A transaction that saves many rows (an order with forty lines, the demo's play) marks the same few days over and
    over. Each mark still leaves a commit hook (so a rolled-back savepoint takes its own hook with it, as Django
    drops them), but the hooks of one transaction share one set of marks: the first to run writes them all in one
    statement and the others find nothing left to write.
    """
    connection = transaction.get_connection()
    pending = None
    if connection.in_atomic_block:
        for _savepoints, hook, *_rest in reversed(connection.run_on_commit):
            if isinstance(hook, _DirtyDaysFlush):
                pending = hook.pending
                break
    pending = set() if pending is None else pending
    pending.add((station_id, day))
    transaction.on_commit(_DirtyDaysFlush(pending))


class _DirtyDaysFlush:
    """A commit hook that writes the marks of its transaction not written yet."""

    def __init__(self, pending: set[tuple[int, date]]):
        self.pending = pending

    def __call__(self) -> None:
        if not self.pending:
            return
        now = timezone.now()
        rows = [DirtyDay(station_id=station_id, day=day, marked_at=now) for station_id, day in sorted(self.pending)]
        self.pending.clear()
        DirtyDay.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["station", "day"], update_fields=["marked_at"],
        )


def dirty_days_mark_for_order(*, order) -> None:
    """An order changed: the days it counts on (opened, delivered) are stale."""
    for moment in (order.opened_at, order.delivered_at):
        if moment:
            dirty_day_mark(station_id=order.station_id, day=local_day(moment))


def rollup_recent_days() -> int:
    """Yesterday and today for every active station, then the days whose figures mature late, then every dirty
    day; then the workshop leads are told of the last week's shifts left open (``kpi.services.shifts``). Returns
    station-days written.

    Late-maturing days: the day 15 days back, whose complaints have all had their 14 days (两周结案率 counts a
    complaint only then), and the 1st of this month, which holds this month's customer-loss cohort (re-rolled
    nightly so a late edit to an order of the cohort or watch months is taken in).
    """
    today = timezone.localdate()
    written = rollup_days(start=today - timedelta(days=1), end=today)
    for day in sorted({today - timedelta(days=15), today.replace(day=1)}):
        if day < today - timedelta(days=1):
            written += rollup_days(start=day, end=day)
    dirty = sorted(set(DirtyDay.objects.values_list("station_id", "day")))
    for station_id, day in dirty:
        written += rollup_days(start=day, end=day, station_ids=[station_id])
    # the last week's shifts left open (days that have ended): told to the workshop leads, once each
    unclosed_shifts_flag(since=today - timedelta(days=7), until=today - timedelta(days=1))
    return written
