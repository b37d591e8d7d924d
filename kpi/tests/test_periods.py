"""Weeks, months, stations and the group are sums of days: summed numerators over summed denominators."""

from datetime import date
from decimal import Decimal

import pytest

from kpi.dashboards import group_board, station_board
from kpi.factories import make_order
from kpi.models import Overhead
from kpi.registry import KPIS, Totals
from kpi.selectors import Period, combine, period_from_query, period_of, station_totals
from kpi.services.collect import STATION, collect
from kpi.services.rollup import rollup_days


@pytest.fixture
def week_of_orders(station, other_station, alice, mallory):
    # Day 1: one big order on time; day 2: three small orders, all late (so an average of daily ratios would differ)
    make_order(station=station, advisor=alice, opened="2026-03-02 09:00", delivered="2026-03-02 16:00",
               promised="2026-03-02 17:00", lines=[{"kind": "labour", "hours": "10", "unit_price": "300"}])
    for i in range(3):
        make_order(station=station, advisor=alice, opened=f"2026-03-03 0{i + 7}:00", delivered="2026-03-03 18:00",
                   promised="2026-03-03 12:00",
                   lines=[{"kind": "labour", "hours": "1", "unit_price": "200"},
                          {"kind": "part", "quantity": "1", "unit_price": "100", "unit_cost": "60"}])
    make_order(station=other_station, advisor=mallory, opened="2026-03-04 09:00", delivered="2026-03-04 11:00",
               promised="2026-03-04 12:00", lines=[{"kind": "labour", "hours": "2", "unit_price": "250"}])


def test_the_sum_of_days_equals_a_direct_computation_over_the_period(week_of_orders, station, other_station):
    period = Period("week", date(2026, 3, 2), date(2026, 3, 8))
    rollup_days(start=period.start, end=period.end)
    summed = combine(list(station_totals([station.pk, other_station.pk], period).values()))
    direct = Totals()
    for (grain, _sid, _subject, _day), measures in collect(
        station_ids=[station.pk, other_station.pk], start=period.start, end=period.end
    ).items():
        if grain == STATION:
            for k, v in measures.items():
                direct[k] = direct.get(k, Decimal(0)) + v
    direct["days"] = summed["days"]
    direct["overhead"] = summed["overhead"]
    for code, kpi in KPIS.items():
        assert kpi.value(summed) == kpi.value(direct), code
    assert KPIS["on_time"].value(summed) == Decimal(2) / Decimal(5)  # not the mean of 1, 0, 1
    assert KPIS["aro"].value(summed) == (Decimal("3900") + Decimal("500")) / Decimal(5)


def test_the_group_board_ranks_stations_and_totals_the_group(week_of_orders, station, other_station):
    period = Period("week", date(2026, 3, 2), date(2026, 3, 8))
    rollup_days(start=period.start, end=period.end)
    board = group_board([station, other_station], period, rank="revenue")
    assert [s for s, _f in board.ranking] == [station, other_station]
    revenue = next(f for f in board.figures if f.code == "revenue")
    assert revenue.value == Decimal("3900") + Decimal("500")
    on_time = next(f for f in board.figures if f.code == "on_time")
    assert on_time.value == Decimal(2) / Decimal(5)
    board = group_board([station, other_station], period, rank="on_time")
    assert [s for s, _f in board.ranking] == [other_station, station]


def test_the_previous_period_is_compared(week_of_orders, station):
    rollup_days(start=date(2026, 3, 1), end=date(2026, 3, 10))
    board = station_board("station", [station], Period("day", date(2026, 3, 3), date(2026, 3, 3)))
    cars = next(f for f in board.figures if f.code == "cars_out")
    assert (cars.value, cars.previous, cars.trend) == (3, 1, "better")


def test_overhead_is_prorated_by_the_days_of_the_month_in_the_period(station):
    Overhead.objects.create(station=station, month=date(2026, 3, 1), amount=Decimal("31000"))
    totals = station_totals([station.pk], Period("week", date(2026, 3, 2), date(2026, 3, 8)))[station.pk]
    assert totals.overhead == Decimal("7000")


def test_period_picker_parses_day_week_month_and_custom():
    assert period_from_query({"period": "week", "date": "2026-03-04"}) == Period("week", date(2026, 3, 2), date(2026, 3, 8))
    assert period_of("month", date(2026, 2, 10)) == Period("month", date(2026, 2, 1), date(2026, 2, 28))
    custom = period_from_query({"period": "custom", "from": "2026-01-05", "to": "2026-01-09"})
    assert custom.days == 5 and custom.previous() == Period("custom", date(2025, 12, 31), date(2026, 1, 4))
    assert period_of("month", date(2026, 3, 9)).previous() == Period("month", date(2026, 2, 1), date(2026, 2, 28))
    assert period_from_query({"period": "custom", "from": "2026-02-01", "to": "2026-01-01"}).kind == "month"


def test_the_group_turnover_is_not_the_sum_of_the_stations_turnovers():
    one = Totals({"parts_issued_cost": Decimal(100), "stock_value": Decimal(3000), "stock_days": Decimal(30),
                  "days": Decimal(30), "ttm_parts_issued_cost": Decimal(1200), "ttm_stock_value": Decimal(36500),
                  "ttm_stock_days": Decimal(365)})
    group = combine([one, Totals(one)])
    assert KPIS["turnover"].value(group) == KPIS["turnover"].value(one)
    assert KPIS["days_supply"].value(group) == KPIS["days_supply"].value(one)
