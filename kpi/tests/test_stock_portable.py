"""The Python replay of stock snapshots (used on SQLite) gives the figures of the PostgreSQL query."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from kpi.factories import stock_history
from kpi.sources import parts

D1 = date(2026, 3, 2)


class Recorder:
    def __init__(self):
        self.values = defaultdict(Decimal)

    def add(self, station_id, day, measure, value, **kwargs):
        self.values[(station_id, day, measure)] += Decimal(value)


@pytest.fixture
def stock(station):
    stock_history(station)
    return station


def test_replay_values_the_stock_on_hand_and_its_obsolete_part(stock):
    sink = Recorder()
    parts.stock_snapshots(sink=sink, station_ids=[stock.pk], first_day=D1, last_day=D1 + timedelta(days=3),
                    months_by_station={stock.pk: 12})
    assert sink.values[(stock.pk, D1, "stock_value")] == Decimal("170.00")  # 7 × 10 + 2 × 50
    assert sink.values[(stock.pk, D1, "obsolete_value")] == Decimal("100.00")  # B: no move for over a year
    assert sink.values[(stock.pk, date(2026, 3, 5), "stock_value")] == Decimal("100.00")  # A used up


@pytest.mark.postgres
def test_replay_matches_the_postgresql_query(stock):
    from django.utils import timezone

    lo = timezone.make_aware(datetime(2026, 3, 1))
    hi = timezone.make_aware(datetime(2026, 3, 7))
    sql_sink, replay_sink = Recorder(), Recorder()
    parts.stock(sql_sink, [stock.pk], lo, hi)
    parts.stock_snapshots(sink=replay_sink, station_ids=[stock.pk], first_day=date(2026, 3, 1), last_day=date(2026, 3, 6),
                    months_by_station={stock.pk: 12})
    snapshot = {k: v for k, v in sql_sink.values.items() if k[2] in ("stock_value", "obsolete_value", "stock_days")}
    assert snapshot == dict(replay_sink.values)
