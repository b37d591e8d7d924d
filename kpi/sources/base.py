"""What every source shares: the sink the measures are added to, the day bounds, and the station's settings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from kpi.models import KpiSettings

STATION, ADVISOR, TECHNICIAN = "station", "advisor", "technician"
ZERO = Decimal("0")
ONE = Decimal("1")

Key = tuple[str, int, int, date]
Facts = dict[Key, dict[str, Decimal]]


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in the station's (project) time zone."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


def local_day(value: datetime) -> date:
    return timezone.localtime(value).date()


def add_months(month: date, n: int) -> date:
    """The first day of the month ``n`` months after (before, if negative) ``month``."""
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


class Sink:
    """The facts being collected: ``{(grain, station_id, subject_id, day): {measure: Decimal}}``. A value added for
    an advisor or a technician also counts for the station."""

    def __init__(self) -> None:
        self.facts: Facts = defaultdict(lambda: defaultdict(lambda: ZERO))

    def add(self, station_id: int, day: date, measure: str, value, *, advisor: int | None = None,
            technician: int | None = None) -> None:
        value = Decimal(value)
        self.facts[(STATION, station_id, 0, day)][measure] += value
        if advisor:
            self.facts[(ADVISOR, station_id, advisor, day)][measure] += value
        if technician:
            self.facts[(TECHNICIAN, station_id, technician, day)][measure] += value


Source = Callable[[Sink, Iterable[int], datetime, datetime], None]


def station_settings(station_ids: Iterable[int]) -> dict[int, KpiSettings]:
    """Each station's ``KpiSettings`` (defaults when none saved)."""
    saved = {k.station_id: k for k in KpiSettings.objects.filter(station_id__in=list(station_ids))}
    return {sid: saved.get(sid) or KpiSettings(station_id=sid) for sid in station_ids}
