"""kpi.selectors.summed: the statement written once (PostgreSQL) sums exactly what the ORM's aggregate sums."""

from datetime import date
from decimal import Decimal

import pytest

from kpi.models import MEASURES, StationDay, StationMonth
from kpi.selectors import Period, station_totals, summed

pytestmark = pytest.mark.postgres


@pytest.fixture
def rows(station, other_station):
    """Days on both sides of the windows below, values that differ per station, day and measure."""
    for n, day in enumerate((date(2026, 2, 27), date(2026, 2, 28), date(2026, 3, 1), date(2026, 3, 2))):
        for s, st in enumerate((station, other_station)):
            StationDay.objects.create(station=st, day=day, **{m: Decimal(n + 1 + s * 10 + i) / 4
                                                              for i, m in enumerate(MEASURES[:20])})
    StationMonth.objects.create(station=station, day=date(2026, 1, 1), orders_in=7, sales_labour=Decimal("123.45"))
    return station, other_station


@pytest.mark.parametrize(("model", "start", "stop"), [
    (StationDay, date(2026, 2, 28), date(2026, 3, 2)),  # the two middle days: both bounds applied
    (StationDay, date(2026, 1, 1), date(2027, 1, 1)),
    (StationMonth, date(2026, 1, 1), date(2026, 2, 1)),
    (StationDay, date(2025, 1, 1), date(2025, 2, 1)),  # nothing
])
def test_the_written_statement_sums_what_the_orm_sums(rows, model, start, stop):
    ids = [s.pk for s in rows]
    by_sql = dict(summed(model, MEASURES, ids, start, stop, sql=True))
    by_orm = dict(summed(model, MEASURES, ids, start, stop, sql=False))
    assert by_sql == by_orm
    if model is StationDay and stop.year == 2026:
        # days 2 and 3 (n = 1, 2) of the first station: (2 + 0) / 4 + (3 + 0) / 4 for the first measure
        assert by_sql[rows[0].pk][MEASURES[0]] == Decimal("1.25")


def test_only_the_stations_asked_for(rows):
    station, other = rows
    found = dict(summed(StationDay, MEASURES[:3], [other.pk], date(2026, 1, 1), date(2027, 1, 1)))
    assert list(found) == [other.pk]


def test_a_boards_totals_take_the_month_sums_and_the_edge_days(rows):
    station, _other = rows
    totals = station_totals([station.pk], Period("custom", date(2026, 1, 1), date(2026, 2, 27)), trailing=False)
    assert totals[station.pk]["orders_in"] == 7 + StationDay.objects.get(station=station, day=date(2026, 2, 27)).orders_in
    assert totals[station.pk]["sales_labour"] == Decimal("123.45") + StationDay.objects.get(
        station=station, day=date(2026, 2, 27)).sales_labour
