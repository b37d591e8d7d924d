"""The measures that come from workshop, parts and complaints, rolled up and drilled into."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from complaints.factories import ComplaintFactory, FollowUpCallFactory
from kpi.factories import at, make_order
from kpi.models import StationDay, TechnicianDay
from kpi.registry import KPIS, Totals
from kpi.services.rollup import rollup_days
from parts.factories import PartFactory, StockMoveFactory, WarehouseFactory
from reception.factories import AppointmentFactory, WorkOrderLineFactory
from settlement.factories import StatementFactory
from workshop.factories import AttendanceFactory, ClockEntryFactory

D1 = date(2026, 3, 2)


def _totals(station):
    row = StationDay.objects.filter(station=station, day=D1).values()[0]
    return Totals({k: v for k, v in row.items() if isinstance(v, Decimal)})


def test_technician_fixture_through_the_rollup_8_attended_6_clocked_7_5_sold(station, alice, bob):

    order = make_order(station=station, advisor=alice, opened="2026-03-02 08:00")
    line = WorkOrderLineFactory(order=order, kind="labour", hours="7.5", unit_price="300")
    AttendanceFactory(station=station, technician=bob, day=D1, started_at=at("2026-03-02 08:00"),
                              ended_at=at("2026-03-02 16:00"))
    ClockEntryFactory(station=station, order=order, line=line, technician=bob, started_at=at("2026-03-02 09:00"),
                              ended_at=at("2026-03-02 12:00"), end="break")
    ClockEntryFactory(station=station, order=order, line=line, technician=bob, started_at=at("2026-03-02 12:30"),
                              ended_at=at("2026-03-02 15:30"), end="off")
    rollup_days(start=D1, end=D1)
    tech = TechnicianDay.objects.get(technician=bob, day=D1)
    assert (tech.hours_attended, tech.hours_clocked, tech.hours_sold_clocked) == (8, 6, Decimal("7.5"))
    t = _totals(station)
    assert KPIS["productivity"].value(t) == Decimal("0.75")
    assert KPIS["efficiency"].value(t) == Decimal("1.25")
    assert KPIS["proficiency"].value(t) == Decimal("0.9375")


def test_a_clock_running_over_midnight_is_split_between_the_days(station, alice, bob):

    order = make_order(station=station, advisor=alice, opened="2026-03-02 08:00")
    line = WorkOrderLineFactory(order=order, kind="labour", hours="1", unit_price="300")
    ClockEntryFactory(station=station, order=order, line=line, technician=bob, started_at=at("2026-03-02 23:00"),
                              ended_at=at("2026-03-03 01:30"), end="off")
    rollup_days(start=D1, end=date(2026, 3, 3))
    assert StationDay.objects.get(station=station, day=D1).hours_clocked == 1
    assert StationDay.objects.get(station=station, day=date(2026, 3, 3)).hours_clocked == Decimal("1.5")


def test_a_comeback_counts_against_the_earlier_orders_delivery_day_and_drills_down(station, alice, carol, client_as):
    from workshop.models import Comeback

    earlier = [make_order(station=station, advisor=alice, opened="2026-03-02 08:00", delivered="2026-03-02 17:00")
               for _ in range(4)]
    rollup_days(start=D1, end=D1)
    later = make_order(station=station, advisor=alice, opened="2026-03-20 08:00")
    Comeback.objects.create(station=station, order=later, earlier_order=earlier[0], cause="workmanship",
                            linked_by=carol)
    rollup_days(start=D1, end=D1)
    assert KPIS["ffv"].value(_totals(station)) == Decimal("0.75")
    response = client_as(carol).get(reverse("kpi:drill", args=["ffv"]) + "?period=month&date=2026-03-01")
    assert [r[0] for r in response.context["records"].rows] == [later.number]


def test_first_fill_counts_lines_and_lists_those_not_filled(station, alice, carol, client_as):
    from parts.models import DemandLine

    part = PartFactory(station=station, part_number="04152-YZZA1", name_zh="机油滤清器")
    order = make_order(station=station, advisor=alice, opened="2026-03-02 08:00")
    for filled in (True, True, True, False):
        line = WorkOrderLineFactory(order=order, kind="part", quantity="2", unit_price="80")
        DemandLine.objects.create(line=line, station=station, part=part, requested_qty=2,
                                  available_qty=2 if filled else 1, filled_from_stock=filled,
                                  requested_at=at("2026-03-02 10:00"))
    rollup_days(start=D1, end=D1)
    assert KPIS["first_fill"].value(_totals(station)) == Decimal("0.75")
    response = client_as(carol).get(reverse("kpi:drill", args=["first_fill"]) + "?period=month&date=2026-03-01")
    assert len(response.context["records"].rows) == 1


def test_stock_snapshot_values_stock_at_cost_and_finds_obsolete_parts(station, carol):

    wh = WarehouseFactory(station=station, code="MAIN", name="主仓", is_main=True)
    moving = PartFactory(station=station, part_number="A", name_zh="常用件", cost=Decimal("10"))
    dead = PartFactory(station=station, part_number="B", name_zh="呆滞件", cost=Decimal("50"))
    StockMoveFactory(station=station, warehouse=wh, part=dead, kind="receipt", quantity=2, unit_cost=50,
                             balance_after=2, at=at("2024-01-05 10:00"))
    StockMoveFactory(station=station, warehouse=wh, part=moving, kind="receipt", quantity=10, unit_cost=10,
                             balance_after=10, at=at("2026-02-01 10:00"))
    StockMoveFactory(station=station, warehouse=wh, part=moving, kind="issue", quantity=-3, unit_cost=10,
                             balance_after=7, at=at("2026-03-02 10:00"))
    rollup_days(start=D1, end=D1)
    fact = StationDay.objects.get(station=station, day=D1)
    assert fact.parts_issued_cost == Decimal("30.00")
    assert fact.stock_value == Decimal("170.00")  # 7 × 10 + 2 × 50
    assert fact.obsolete_value == Decimal("100.00")
    assert fact.stock_days == 1
    from kpi.models import KpiSettings

    KpiSettings.objects.create(station=station, obsolete_months=30)  # configurable: nothing is 30 months old
    rollup_days(start=D1, end=D1)
    assert StationDay.objects.get(station=station, day=D1).obsolete_value == 0


def test_obsolete_stock_drills_down_to_the_parts_not_issued_for_a_year(station, carol, client_as):
    from parts.models import StockBalance

    wh = WarehouseFactory(station=station, code="MAIN", name="主仓", is_main=True)
    moving = PartFactory(station=station, part_number="A", name_zh="常用件", cost=Decimal("10"))
    dead = PartFactory(station=station, part_number="B", name_zh="呆滞件", cost=Decimal("50"))
    for part, qty, when in ((dead, 2, "2024-01-05 10:00"), (moving, 7, "2026-02-01 10:00")):
        StockMoveFactory(station=station, warehouse=wh, part=part, kind="receipt", quantity=qty,
                                 unit_cost=part.cost, balance_after=qty, at=at(when))
        StockBalance.objects.create(station=station, warehouse=wh, part=part, on_hand=qty)
    response = client_as(carol).get(reverse("kpi:drill", args=["obsolete_rate"]) + "?period=month&date=2026-03-01")
    rows = response.context["records"].rows
    assert [r[0] for r in rows] == ["B"] and rows[0][4] == Decimal("100.00")


def test_complaints_surveys_and_follow_up_calls_feed_csi_sfu_and_complaint_figures(station, alice, carol):
    from complaints.models import CallAttempt, SurveyAnswer, SurveyResponse

    delivered = [make_order(station=station, advisor=alice, opened="2026-03-01 08:00", delivered="2026-03-02 17:00")
                 for _ in range(2)]
    call = FollowUpCallFactory(
        station=station, order=delivered[0], customer=delivered[0].customer, advisor=alice,
        delivered_at=delivered[0].delivered_at, due_at=at("2026-03-04 10:00"), next_attempt_at=at("2026-03-04 10:00"),
        expires_at=at("2026-03-17 10:00"),
    )
    CallAttempt.objects.create(call=call, outcome="reached", by=carol, at=at("2026-03-04 10:00"))
    survey = SurveyResponse.objects.create(station=station, call=call, customer=delivered[0].customer,
                                           order=delivered[0], overall=5, by=carol, at=at("2026-03-02 18:00"))
    SurveyAnswer.objects.create(response=survey, dimension="reliability", perception=3)
    ComplaintFactory(
        station=station, number="TS-1", source="phone", category="time", customer=delivered[1].customer,
        staff_involved=alice, subject="慢", description="太慢", owner=carol, received_by=carol,
        received_at=at("2026-03-02 18:30"), response_due=at("2026-03-02 20:00"), resolution_due=at("2026-03-02 22:00"),
        closed_at=at("2026-03-02 21:00"),
    )
    rollup_days(start=D1, end=D1)
    t = _totals(station)
    assert KPIS["sfu"].value(t) == Decimal("0.5")
    assert KPIS["sfu_success"].value(t) == Decimal("0.5")
    assert KPIS["csi_top_box"].value(t) == 1
    assert KPIS["csi"].value(t) == Decimal("75")  # (100 + 50) / 2
    assert KPIS["complaint_rate"].value(t) == Decimal("0.5")
    assert KPIS["complaints_in_time"].value(t) == 1


def test_appointments_give_the_show_rate_and_corrected_statements_the_settlement_accuracy(station, alice, carol):

    orders = [make_order(station=station, advisor=alice, opened="2026-03-02 08:00", delivered="2026-03-02 17:00")
              for _ in range(2)]
    for status in ("arrived", "arrived", "no_show", "cancelled", "expected"):
        AppointmentFactory(station=station, customer=orders[0].customer, vehicle=orders[0].vehicle,
                                   advisor=alice, start=at("2026-03-02 09:00"), status=status)
    statements = [
        StatementFactory(station=station, order=o, payer="customer", number=f"ST{i}", vat_rate=Decimal("0.13"),
                                 issued_by=carol, issued_at=at("2026-03-02 16:00"))
        for i, o in enumerate(orders)
    ]
    StatementFactory(station=station, order=orders[0], payer="customer", number="CN1", kind="credit_note",
                             original=statements[0], vat_rate=Decimal("0.13"), issued_by=carol,
                             issued_at=at("2026-03-05 16:00"))
    rollup_days(start=D1, end=D1)
    t = _totals(station)
    assert KPIS["show_rate"].value(t) == Decimal("0.5")  # 2 of 4 booked (the cancelled one does not count)
    assert KPIS["settlement_accuracy"].value(t) == Decimal("0.5")


def test_the_workshop_board_shows_each_technicians_hours_side_by_side(station, alice, bob):
    from kpi.dashboards import station_board
    from kpi.selectors import Period

    order = make_order(station=station, advisor=alice, opened="2026-03-02 08:00")
    line = WorkOrderLineFactory(order=order, kind="labour", hours="3", unit_price="300")
    AttendanceFactory(station=station, technician=bob, day=D1, started_at=at("2026-03-02 08:00"),
                              ended_at=at("2026-03-02 12:00"))
    ClockEntryFactory(station=station, order=order, line=line, technician=bob, started_at=at("2026-03-02 09:00"),
                              ended_at=at("2026-03-02 11:00"), end="off")
    rollup_days(start=D1, end=D1)
    board = station_board("workshop", [station], Period("day", D1, D1))
    person, figures = board.people[0]
    shown = {f.code: f.shown for f in figures}
    assert person == bob
    assert (shown["hours_attended"], shown["hours_clocked"], shown["hours_sold_jobs"]) == ("4.0", "2.0", "3.0")
    assert (shown["productivity"], shown["efficiency"], shown["proficiency"]) == ("50.0%", "150.0%", "75.0%")
