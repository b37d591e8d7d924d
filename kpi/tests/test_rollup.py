import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction

from kpi.factories import make_order
from kpi.models import AdvisorDay, DirtyDay, StationDay
from kpi.services.rollup import dirty_day_mark, rollup_days, rollup_recent_days
from reception.factories import WorkOrderLineFactory

D1 = date(2026, 3, 2)


@pytest.fixture
def day_of_orders(station, alice):
    # Order 1: customer pay, delivered on time. Labour 2 h × 300 − 10% = 540; parts 2 × 150.50 = 301.00
    make_order(
        station=station, advisor=alice, opened="2026-03-02 09:00", delivered="2026-03-02 17:00",
        promised="2026-03-02 18:00",
        lines=[
            {"kind": "labour", "hours": "2", "unit_price": "300", "discount_pct": "10", "unit_cost": "80"},
            {"kind": "part", "quantity": "2", "unit_price": "150.50", "unit_cost": "100"},
            {"kind": "part", "quantity": "1", "unit_price": "999", "approval": "declined"},
        ],
    )
    # Order 2: warranty, delivered late. Labour 1.5 h × 200 = 300; sublet 120
    make_order(
        station=station, advisor=alice, opened="2026-03-01 09:00", delivered="2026-03-02 19:00",
        promised="2026-03-02 18:00", walk_in=False,
        lines=[
            {"kind": "labour", "payer": "warranty", "hours": "1.5", "unit_price": "200", "unit_cost": "80"},
            {"kind": "sublet", "payer": "warranty", "unit_price": "120"},
        ],
    )
    # Order 3: opened on the day, still open
    make_order(station=station, advisor=alice, opened="2026-03-02 11:00", walk_in=False)


def test_a_day_of_orders_rolls_up_into_numerators_and_denominators(day_of_orders, station, alice):
    rollup_days(start=D1, end=D1)
    fact = StationDay.objects.get(station=station, day=D1)
    assert fact.orders_in == 2  # order 1 and order 3; order 2 was opened the day before
    assert fact.orders_out == 2
    assert fact.on_time == 1
    assert fact.sales_labour == Decimal("840.00")
    assert fact.sales_parts == Decimal("301.00")  # the declined line does not count
    assert fact.sales_sublet == Decimal("120.00")
    assert fact.sales_customer == Decimal("841.00")
    assert fact.sales_warranty == Decimal("420.00")
    assert fact.hours_sold == Decimal("3.50")
    assert fact.labour_warranty == Decimal("300.00")
    assert fact.cost_parts == Decimal("200.00")
    assert fact.cost_labour == Decimal("280.00")
    assert fact.arrivals_with_appointment == 1
    advisor = AdvisorDay.objects.get(station=station, day=D1, advisor=alice)
    assert advisor.orders_out == 2 and advisor.sales_labour == Decimal("840.00")


def test_rolling_a_day_twice_leaves_one_set_of_facts(day_of_orders, station):
    rollup_days(start=D1, end=D1)
    rollup_days(start=D1, end=D1)
    assert StationDay.objects.filter(station=station, day=D1).count() == 1
    assert AdvisorDay.objects.filter(station=station, day=D1).count() == 1
    assert StationDay.objects.get(station=station, day=D1).orders_out == 2


def test_a_quiet_day_still_gets_a_row_of_zeros(station):
    rollup_days(start=D1, end=D1)
    assert StationDay.objects.get(station=station, day=D1).orders_out == 0


def test_a_late_line_marks_the_day_dirty_and_the_recent_rollup_rerolls_it(
    day_of_orders, station, alice, django_capture_on_commit_callbacks
):
    rollup_days(start=D1, end=D1)
    assert not DirtyDay.objects.filter(day=D1).exists()
    with django_capture_on_commit_callbacks(execute=True):
        order = make_order(station=station, advisor=alice, opened="2026-03-02 08:00", delivered="2026-03-02 12:00")
        WorkOrderLineFactory(order=order, kind="labour", hours="1", unit_price="100")
    assert DirtyDay.objects.filter(station=station, day=D1).exists()
    rollup_recent_days()
    fact = StationDay.objects.get(station=station, day=D1)
    assert fact.orders_out == 3
    assert fact.sales_labour == Decimal("940.00")
    assert not DirtyDay.objects.filter(day=D1).exists()


def test_the_other_station_is_rolled_separately(day_of_orders, station, other_station):
    rollup_days(start=D1, end=D1)
    assert StationDay.objects.get(station=other_station, day=D1).orders_out == 0


def test_month_sums_equal_the_days_and_follow_a_late_change(
    day_of_orders, station, alice, django_capture_on_commit_callbacks
):
    from django.db.models import Sum

    from kpi.models import StationMonth
    from kpi.selectors import Period, station_totals

    rollup_days(start=date(2026, 3, 1), end=date(2026, 3, 31))
    month = StationMonth.objects.get(station=station, day=date(2026, 3, 1))
    assert month.sales_labour == StationDay.objects.filter(station=station).aggregate(s=Sum("sales_labour"))["s"]
    with django_capture_on_commit_callbacks(execute=True):
        order = make_order(station=station, advisor=alice, opened="2026-03-02 08:00", delivered="2026-03-02 12:00")
        WorkOrderLineFactory(order=order, kind="labour", hours="1", unit_price="100")
    rollup_recent_days()
    month = StationMonth.objects.get(station=station, day=date(2026, 3, 1))  # replaced, not updated
    assert month.sales_labour == Decimal("940.00") and month.orders_out == 3
    # a period of whole months plus edge days reads the same as the days alone
    whole = station_totals([station.pk], Period("custom", date(2026, 2, 27), date(2026, 4, 2)))[station.pk]
    days_only = StationDay.objects.filter(station=station).aggregate(s=Sum("sales_labour"), o=Sum("orders_out"))
    assert (whole.sales_labour, whole.orders_out) == (days_only["s"], days_only["o"])


def test_the_beat_task_rolls_yesterday_and_today_and_the_dirty_days(station, alice, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from kpi.tasks import rollup_recent_days as task

    with django_capture_on_commit_callbacks(execute=True):
        for opened in ("2026-03-01 09:00", "2026-03-02 09:00"):
            make_order(station=station, advisor=alice, opened=opened, delivered="2026-03-02 17:00",
                       lines=[{"kind": "labour", "hours": "1", "unit_price": "100"}])
    assert DirtyDay.objects.filter(station=station, day=D1).exists()
    task.delay()
    today = timezone.localdate()
    assert StationDay.objects.filter(station=station, day=today).exists()
    assert StationDay.objects.get(station=station, day=D1).orders_out == 2  # dirty since the orders were made
    assert not DirtyDay.objects.exists()


def test_a_change_that_rolls_back_marks_nothing(station, alice, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                make_order(station=station, advisor=alice, opened="2026-03-02 09:00", delivered="2026-03-02 17:00",
                           lines=[{"kind": "labour", "hours": "1", "unit_price": "100"}])
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert not DirtyDay.objects.exists()


def test_the_backfill_command_rolls_a_range(day_of_orders, station, other_station):
    from django.core.management import call_command

    call_command("rollup_kpis", "--from", "2026-02-25", "--to", "2026-04-05", stdout=io.StringIO())
    assert StationDay.objects.filter(station=station).count() == 40
    assert StationDay.objects.get(station=station, day=D1).sales_labour == Decimal("840.00")
    call_command("rollup_kpis", "--from", "2026-03-02", "--to", "2026-03-02", "--station", station.code,
                 stdout=io.StringIO())
    assert StationDay.objects.filter(station=station).count() == 40


def test_labour_lines_without_a_cost_are_costed_at_the_stations_technician_rate(station, alice, carol, client_as):
    from django.urls import reverse

    from kpi.models import KpiSettings

    response = client_as(carol).post(reverse("kpi:settings"), {"technician_hourly_cost": "60",
                                                              "followup_window_days": "3", "obsolete_months": "12"})
    assert response.status_code == 302
    assert KpiSettings.objects.get(station=station).technician_hourly_cost == 60
    make_order(station=station, advisor=alice, opened="2026-03-02 09:00", delivered="2026-03-02 17:00",
               lines=[{"kind": "labour", "hours": "2", "unit_price": "300"},
                      {"kind": "labour", "hours": "1", "unit_price": "300", "unit_cost": "90"}])
    rollup_days(start=D1, end=D1)
    assert StationDay.objects.get(station=station, day=D1).cost_labour == Decimal("210.00")  # 2 × 60 + 1 × 90


def test_one_transaction_marks_its_days_in_one_statement(db, station, django_capture_on_commit_callbacks,
                                                          django_assert_num_queries):
    """Forty marks of the same two days: the commit hooks write both days in one upsert, not forty."""
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            for n in range(40):
                dirty_day_mark(station_id=station.pk, day=D1 if n % 2 else D1 - timedelta(days=1))
    with django_assert_num_queries(1):
        for callback in callbacks:
            callback()
    assert set(DirtyDay.objects.values_list("day", flat=True)) == {D1, D1 - timedelta(days=1)}


def test_a_rolled_back_savepoint_takes_its_marks_with_it(db, station, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    dirty_day_mark(station_id=station.pk, day=D1 - timedelta(days=3))
                    raise RuntimeError("refused")
            except RuntimeError:
                pass
            dirty_day_mark(station_id=station.pk, day=D1)
    assert list(DirtyDay.objects.values_list("day", flat=True)) == [D1]
