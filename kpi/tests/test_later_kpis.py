"""Two-week closure, customer loss, SERVQUAL gap, purchase target achievement and the stock-value drill-down:
each against a hand-computed fixture, through the rollup, the boards and the drill-downs."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.factories import ComplaintFactory
from kpi.dashboards import station_board
from kpi.factories import at, make_order, stock_history
from kpi.models import PurchaseTarget, StationDay
from kpi.registry import KPIS, Totals
from kpi.selectors import Period, period_of, station_totals
from kpi.services.rollup import rollup_days, rollup_recent_days
from parts.factories import PartFactory, StockMoveFactory, WarehouseFactory
from reception.factories import CustomerFactory

D1 = date(2026, 3, 2)


def _day(station, day=D1) -> Totals:
    row = StationDay.objects.filter(station=station, day=day).values()[0]
    return Totals({k: v for k, v in row.items() if isinstance(v, Decimal)})


def _month(station, month: date) -> Totals:
    return station_totals([station.pk], period_of("month", month))[station.pk]


def _records(client, code: str, query: str):
    response = client.get(reverse("kpi:drill", args=[code]) + query)
    assert response.status_code == 200
    return response.context["records"]


# --- two-week closure (两周结案率) ---------------------------------------------------------------------------------


def complaint_make(*, station, owner, received, closed=None, staff=None, n=[0]):  # noqa: B006 (a counter)

    n[0] += 1
    received_at = received if isinstance(received, datetime) else at(received)
    return ComplaintFactory(
        station=station, number=f"KPI-TS-{n[0]}", source="phone", category="time",
        customer=CustomerFactory(station=station), staff_involved=staff, subject=f"投诉{n[0]}", description="太慢",
        owner=owner, received_by=owner, received_at=received_at, response_due=received_at + timedelta(hours=4),
        resolution_due=received_at + timedelta(days=3),
        closed_at=(closed if isinstance(closed, datetime) else at(closed)) if closed else None,
    )


def test_two_week_closure_counts_complaints_14_days_old_on_their_day_received(station, alice, carol, client_as):
    # received 2 March: closed after 3 days, after exactly 14 days, after 20 days, never → 2 of 4 = 50%
    for closed in ("2026-03-05 10:00", "2026-03-16 10:00", "2026-03-22 10:00", None):
        complaint_make(station=station, owner=carol, received="2026-03-02 10:00", closed=closed, staff=alice)
    rollup_days(start=D1, end=D1)
    t = _day(station)
    assert (t.complaints_matured, t.complaints_closed_14d) == (4, 2)
    assert KPIS["two_week_closure"].value(t) == Decimal("0.5")
    rows = _records(client_as(carol), "two_week_closure", "?period=month&date=2026-03-01").rows
    assert len(rows) == 4
    assert sorted(r[-1] for r in rows) == ["no", "no", "yes", "yes"]


def test_a_complaint_younger_than_14_days_is_in_neither_numerator_nor_denominator(station, carol):
    received = timezone.now() - timedelta(days=3)
    complaint_make(station=station, owner=carol, received=received, closed=received + timedelta(days=1))
    day = timezone.localdate(received)
    rollup_days(start=day, end=day)
    t = _day(station, day)
    assert (t.complaints_matured, t.complaints_closed_14d) == (0, 0)
    assert KPIS["two_week_closure"].value(t) is None  # shown as "—"


def test_the_nightly_rollup_re_rolls_the_day_whose_complaints_just_turned_14_days_old(station, carol):
    day = timezone.localdate() - timedelta(days=15)
    received = timezone.make_aware(datetime.combine(day, time(10, 0)))
    complaint_make(station=station, owner=carol, received=received, closed=received + timedelta(days=2))
    rollup_recent_days()
    t = _day(station, day)
    assert (t.complaints_matured, t.complaints_closed_14d) == (1, 1)


# --- customer loss (客户流失率) -----------------------------------------------------------------------------------


def test_customer_loss_month_n_is_the_cohort_of_n_minus_7_not_seen_in_the_six_months_after(
    station, alice, carol, client_as
):
    september = date(2026, 9, 1)  # cohort: February 2026; watched March … August 2026
    kept, twice, cancelled_only, too_late, draft_only, january = (
        CustomerFactory(station=station, name=name) for name in ("回头客", "两次二月", "只有取消", "九月才回", "草稿", "一月")
    )
    for customer in (kept, twice, cancelled_only, too_late):
        make_order(station=station, advisor=alice, opened="2026-02-10 09:00", customer=customer)
    make_order(station=station, advisor=alice, opened="2026-02-20 09:00", customer=twice)  # counted once
    make_order(station=station, advisor=alice, opened="2026-05-03 09:00", customer=kept)  # came back
    make_order(station=station, advisor=alice, opened="2026-04-03 09:00", customer=cancelled_only, status="cancelled")
    make_order(station=station, advisor=alice, opened="2026-09-01 09:00", customer=too_late)  # after the window
    make_order(station=station, advisor=alice, opened="2026-02-11 09:00", customer=draft_only, status="draft")
    make_order(station=station, advisor=alice, opened="2026-01-31 09:00", customer=january)
    rollup_days(start=date(2026, 8, 25), end=date(2026, 9, 7))
    t = _day(station, september)
    assert (t.customers_cohort, t.customers_lost) == (4, 3)
    assert KPIS["customer_loss"].value(_month(station, september)) == Decimal("0.75")
    # the other days hold no cohort: a week inside the month has no figure
    week = station_totals([station.pk], Period("week", date(2026, 9, 2), date(2026, 9, 7)))[station.pk]
    assert KPIS["customer_loss"].value(week) is None
    assert KPIS["customer_loss"].value(_day(station, date(2026, 8, 31))) is None
    rows = _records(client_as(carol), "customer_loss", "?period=month&date=2026-09-01").rows
    assert sorted(r[2] for r in rows) == sorted(["两次二月", "只有取消", "九月才回"])
    assert {(r[0], r[1]) for r in rows} == {("2026-09", "2026-02")}


def test_customer_loss_over_several_months_is_the_pooled_rate_of_their_cohorts(station, alice):
    # cohort Feb (figure Sep): 1 of 1 lost; cohort Mar (figure Oct): 0 of 3 lost → 1 of 4 = 25%, not (100% + 0%) / 2
    make_order(station=station, advisor=alice, opened="2026-02-10 09:00")
    for _ in range(3):
        customer = CustomerFactory(station=station)
        make_order(station=station, advisor=alice, opened="2026-03-10 09:00", customer=customer)
        make_order(station=station, advisor=alice, opened="2026-06-10 09:00", customer=customer)
    rollup_days(start=date(2026, 9, 1), end=date(2026, 10, 31))
    t = station_totals([station.pk], Period("custom", date(2026, 9, 1), date(2026, 10, 31)))[station.pk]
    assert KPIS["customer_loss"].value(t) == Decimal("0.25")


# --- SERVQUAL gap (服务质量差距) ----------------------------------------------------------------------------------


def _survey(station, carol, when: str, answers: dict):
    from complaints.models import SurveyAnswer, SurveyResponse

    order = make_order(station=station, advisor=carol, opened="2026-03-01 08:00", delivered="2026-03-01 17:00")
    response = SurveyResponse.objects.create(station=station, customer=order.customer, order=order, overall=4,
                                             by=carol, at=at(when))
    for dimension, (perception, expectation) in answers.items():
        SurveyAnswer.objects.create(response=response, dimension=dimension, perception=perception,
                                    expectation=expectation)


def test_servqual_gap_is_the_mean_of_perception_minus_expectation_per_dimension(station, carol, client_as):
    _survey(station, carol, "2026-03-02 10:00", {"tangibles": (4, 5), "reliability": (2, 4)})
    _survey(station, carol, "2026-03-02 11:00", {"tangibles": (5, 3), "empathy": (3, None)})
    _survey(station, carol, "2026-03-03 11:00", {"tangibles": (3, 3)})
    rollup_days(start=D1, end=date(2026, 3, 3))
    t = _day(station)
    assert (t.servqual_tangibles_gap, t.servqual_tangibles_answers) == (1, 2)  # −1 + 2 over 2 answers
    assert KPIS["servqual_tangibles"].value(t) == Decimal("0.5")
    assert KPIS["servqual_reliability"].value(t) == Decimal("-2")
    assert KPIS["servqual_empathy"].value(t) is None  # no expectation asked
    month = _month(station, D1)
    assert KPIS["servqual_tangibles"].value(month) == Decimal(1) / Decimal(3)  # (−1 + 2 + 0) / 3, summed over days
    board = station_board("station", [station], period_of("month", D1))
    shown = {f.code: f.shown for f in board.figures}
    assert (shown["servqual_tangibles"], shown["servqual_reliability"], shown["servqual_empathy"]) == (
        "+0.33", "-2.00", "—"
    )
    rows = _records(client_as(carol), "servqual_tangibles", "?period=month&date=2026-03-01").rows
    assert [r[-1] for r in rows] == [-1, 2, 0]


# --- purchase target achievement (采购目标达成率) ------------------------------------------------------------------


@pytest.fixture
def receipts(station, carol):
    """Goods received as the purchasing service books them: one ``receipt`` stock move per received line."""
    from parts.models import StockMove
    from parts.services.stock import stock_move_post

    wh = WarehouseFactory(station=station, code="MAIN", name="主仓", is_main=True)
    genuine = PartFactory(station=station, part_number="04152-YZZA1", name_zh="机油滤清器", is_genuine=True)
    pattern = PartFactory(station=station, part_number="X-100", name_zh="副厂刹车片", is_genuine=False)
    for reference, when, part, qty, cost in (
        ("PO1", "2026-03-02 10:00", genuine, 10, "120"),  # 1,200
        ("PO2", "2026-03-02 11:00", pattern, 5, "50"),  # not genuine: not counted
        ("PO3", "2026-03-20 10:00", genuine, 4, "200"),  # 800
    ):
        stock_move_post(warehouse=wh, part=part, kind=StockMove.Kind.RECEIPT, quantity=Decimal(qty),
                        unit_cost=Decimal(cost), by=carol, reference=reference, at=at(when))
    StockMoveFactory(station=station, warehouse=wh, part=genuine, kind="issue", quantity=-2,  # not a purchase
                             unit_cost=Decimal("120"), balance_after=12, at=at("2026-03-03 10:00"))
    PurchaseTarget.objects.create(station=station, month=date(2026, 3, 1), amount=Decimal("4000"), set_by=carol)
    rollup_days(start=date(2026, 3, 1), end=date(2026, 3, 31))


def test_purchase_target_achievement_is_genuine_parts_received_at_cost_over_the_target(receipts, station):
    assert _day(station).purchases_genuine == Decimal("1200.00")
    month = _month(station, D1)
    assert month.purchases_genuine == Decimal("2000.00")
    assert KPIS["purchase_achievement"].value(month) == Decimal("0.5")
    # half a month: 1,200 received against 4,000 × 15/31 of the target = 62%
    half = station_totals([station.pk], Period("custom", date(2026, 3, 1), date(2026, 3, 15)))[station.pk]
    assert round(KPIS["purchase_achievement"].value(half), 6) == Decimal("0.62")
    # no target for April: "—"
    assert KPIS["purchase_achievement"].value(_month(station, date(2026, 4, 1))) is None


def test_purchase_figures_drill_down_to_the_genuine_parts_received(receipts, client_as, carol):
    rows = _records(client_as(carol), "purchase_achievement", "?period=month&date=2026-03-01").rows
    assert [(r[1], r[3], r[-1]) for r in rows] == [("PO1", "04152-YZZA1", Decimal("1200.00")),
                                                   ("PO3", "04152-YZZA1", Decimal("800.00"))]
    assert sum(r[-1] for r in rows) == Decimal("2000.00")


def test_the_parts_board_shows_purchases_and_achievement(receipts, client_as, station):
    from org.factories import StaffFactory

    lead = StaffFactory(username="kpi-parts-lead", station=station, position="parts_lead")
    response = client_as(lead).get(reverse("kpi:board", args=["parts"]) + "?period=month&date=2026-03-01")
    shown = {f.code: f.shown for f in response.context["board"].figures}
    assert (shown["purchases_genuine"], shown["purchase_achievement"]) == ("¥2,000.00", "50.0%")
    assert "/kpi/drill/purchase_achievement/" in response.content.decode()


def test_the_manager_sets_a_monthly_purchase_target_on_the_overhead_page(station, carol, client_as):
    client = client_as(carol)
    response = client.post(reverse("kpi:overhead"), {"station": station.pk, "what": "purchase_target",
                                                      "month": "2026-03", "amount": "5000"})
    assert response.status_code == 302
    target = PurchaseTarget.objects.get(station=station)
    assert (target.month, target.amount, target.set_by) == (date(2026, 3, 1), Decimal("5000"), carol)
    response = client.post(reverse("kpi:overhead"), {"station": station.pk, "what": "purchase_target",
                                                      "month": "2026-03", "amount": "-1"})
    assert response.status_code == 400 and response.context["purchase_form"].errors
    assert PurchaseTarget.objects.get(station=station).amount == Decimal("5000")
    from kpi.models import Overhead

    assert not Overhead.objects.exists()  # the other form was not touched


def test_a_purchase_target_cannot_be_negative(station, carol):
    from core.errors import DomainError
    from kpi.services.manage import purchase_target_set

    with pytest.raises(DomainError):
        purchase_target_set(station=station, month=D1, amount=Decimal("-1"), by=carol)


# --- stock value drill-down ------------------------------------------------------------------------------------


@pytest.mark.parametrize("vendor", [pytest.param("postgresql", marks=pytest.mark.postgres), "sqlite"])
def test_stock_value_drills_down_to_the_parts_on_hand_adding_up_to_the_days_snapshot(
    station, carol, client_as, monkeypatch, vendor
):
    stock_history(station)
    rollup_days(start=D1, end=D1)
    from django.db import connection

    monkeypatch.setattr(connection, "vendor", vendor)  # "sqlite": the portable replay instead of DISTINCT ON
    records = _records(client_as(carol), "stock_value", "?period=day&date=2026-03-02")
    assert [(r[0], r[3], r[5]) for r in records.rows] == [("B", 2, Decimal("100.00")), ("A", 7, Decimal("70.00"))]
    assert sum(r[5] for r in records.rows) == _day(station).stock_value == Decimal("170.00")
