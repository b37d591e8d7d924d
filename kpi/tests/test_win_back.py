"""Won back (流失客户召回率) and the customer-loss drill-down's win-back calls, against a hand-computed fixture.

September 2026 (cohort February 2026, watched March … August). Six customers visited in February:
  a  lost; called 09-03 unreachable, 09-05 will come; visit opened 09-12       → called on 09-03, won back
  b  lost; called 09-03 moved away                                              → called on 09-03, shown apart
  c  lost; called 09-08 sold the car                                            → called on 09-08, shown apart
  d  lost; visit 09-08 08:00, then called 09-08 10:00 refused                   → called on 09-08, not won (before)
  e  lost; never called
  g  came back in June (not lost); called 09-08 anyway (an old-style row)       → not counted
Figures: won back 09-03 1 of 2, 09-08 0 of 2, September 1 of 4 = 25 %; customer loss 5 of 6.
"""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from complaints.factories import RetentionCallFactory
from kpi.factories import at, make_order
from kpi.listeners import order_event_changed
from kpi.models import DirtyDay, StationDay
from kpi.registry import BOARD_HEADLINES, BOARDS, KPIS, Totals
from kpi.selectors import period_of, station_totals
from kpi.services.rollup import rollup_days
from reception.factories import CustomerFactory

pytestmark = pytest.mark.django_db
SEPTEMBER = date(2026, 9, 1)


@pytest.fixture
def fixture(station, alice):
    people = {key: CustomerFactory(station=station, name=f"客户{key}") for key in "abcdeg"}
    for customer in people.values():
        make_order(station=station, advisor=alice, opened="2026-02-10 09:00", customer=customer)
    make_order(station=station, advisor=alice, opened="2026-06-10 09:00", customer=people["g"])
    for key, moment, outcome in (("a", "2026-09-03 10:00", "unreachable"), ("a", "2026-09-05 10:00", "will_come"),
                                 ("b", "2026-09-03 11:00", "moved"), ("c", "2026-09-08 10:00", "sold_car"),
                                 ("d", "2026-09-08 10:00", "refused"), ("g", "2026-09-08 10:00", "will_come")):
        RetentionCallFactory(customer=people[key], outcome=outcome, at=at(moment))
    make_order(station=station, advisor=alice, opened="2026-09-12 09:00", customer=people["a"])
    make_order(station=station, advisor=alice, opened="2026-09-08 08:00", customer=people["d"])
    rollup_days(start=date(2026, 9, 1), end=date(2026, 9, 30))
    return people


def _day(station, day) -> tuple[Decimal, Decimal]:
    row = StationDay.objects.filter(station=station, day=day).values("winback_called", "winback_won").first()
    return (row["winback_called"], row["winback_won"]) if row else (Decimal(0), Decimal(0))


def test_won_back_counts_lost_customers_called_by_the_months_first_call(fixture, station):
    assert _day(station, date(2026, 9, 3)) == (2, 1)
    assert _day(station, date(2026, 9, 5)) == (0, 0)  # a's second call: counted once, on the first
    assert _day(station, date(2026, 9, 8)) == (2, 0)
    t: Totals = station_totals([station.pk], period_of("month", SEPTEMBER))[station.pk]
    assert (t.winback_called, t.winback_won) == (2 + 2, 1)
    assert KPIS["won_back"].value(t) == Decimal("0.25")
    assert (t.customers_cohort, t.customers_lost) == (6, 5)  # the figure keeps those who sold or moved


def test_won_back_with_nobody_called_is_a_dash(station):
    rollup_days(start=SEPTEMBER, end=SEPTEMBER)
    assert KPIS["won_back"].value(station_totals([station.pk], period_of("month", SEPTEMBER))[station.pk]) is None


def test_won_back_sits_beside_customer_loss_on_the_boards():
    for board in (BOARDS["station"], BOARDS["group"], BOARD_HEADLINES["desk"]):
        assert board[board.index("customer_loss") + 1] == "won_back"


def test_won_back_drill_down_lists_each_called_customer_once(fixture, client_as, carol):
    response = client_as(carol).get(reverse("kpi:drill", args=["won_back"]) + "?period=month&date=2026-09-01")
    rows = response.context["records"].rows
    assert [(r[1], r[-1]) for r in rows] == [("客户a", "yes"), ("客户b", "no"), ("客户c", "no"), ("客户d", "no")]
    assert rows[0][4] == "will come"  # the month's latest outcome


def test_customer_loss_drill_down_shows_sold_and_moved_apart(fixture, client_as, carol):
    response = client_as(carol).get(reverse("kpi:drill", args=["customer_loss"]) + "?period=month&date=2026-09-01")
    records = response.context["records"]
    assert sorted(r[2] for r in records.rows) == ["客户a", "客户b", "客户c", "客户d", "客户e"]
    assert sorted((r[2], r[-1]) for r in records.aside.rows) == [("客户b", "moved away"), ("客户c", "sold the car")]
    assert 'id="records-aside"' in response.content.decode()


def test_a_lost_customer_coming_back_later_re_rolls_the_day_of_the_call(fixture, station, alice,
                                                                          django_capture_on_commit_callbacks):
    order = make_order(station=station, advisor=alice, opened="2026-10-20 09:00", customer=fixture["d"])
    DirtyDay.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        order_event_changed(SimpleNamespace(order=order), deleted=False)
    assert (station.pk, date(2026, 9, 8)) in set(DirtyDay.objects.values_list("station_id", "day"))
    rollup_days(start=date(2026, 9, 8), end=date(2026, 9, 8))
    assert _day(station, date(2026, 9, 8)) == (2, 1)
