"""KPI corrections from the week computed by hand (issue 16, items 12–20). Every expected value is worked out in the
comment beside it from the records the test builds, never read back from the code under test."""

from __future__ import annotations

import importlib
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse

from core.money import percent_text
from kpi.factories import at, make_order
from kpi.models import DirtyDay, StationDay, TechnicianDay
from kpi.registry import KPIS, Totals, format_value
from kpi.services.rollup import months_refresh, rollup_days
from kpi.sources.parts import stock_snapshots
from parts.factories import PartFactory, WarehouseFactory
from parts.services.stock import stock_move_post
from reception.factories import WorkOrderLineFactory
from settlement.factories import StatementFactory
from workshop.factories import AttendanceFactory, ClockEntryFactory

D1 = date(2026, 3, 2)


def _totals(station, start=D1, end=D1) -> Totals:
    from kpi.selectors import Period, station_totals

    return station_totals([station.pk], Period("custom", start, end))[station.pk]


# --- 12: a shift never ended -------------------------------------------------------------------------------------


def test_a_shift_never_ended_counts_to_the_end_of_its_day_and_is_flagged_to_the_workshop_lead(
    station, bob, make_staff, time_machine, client_as
):
    from core.models import Notification
    from kpi.services.rollup import rollup_recent_days

    lead = make_staff("workshop_lead", username="wl")
    shift = AttendanceFactory(station=station, technician=bob, day=D1, started_at=at("2026-03-02 08:00"),
                              ended_at=None)
    # The night after: the nightly rollup runs on 03-03 at 00:30 (and again a day later).
    time_machine.move_to(at("2026-03-03 00:30"), tick=False)
    rollup_recent_days()
    # 08:00 → midnight = 16 h, not the 16.5 h up to the rollup (nor 5,428 h a year later)
    assert TechnicianDay.objects.get(technician=bob, day=D1).hours_attended == Decimal("16.00")
    time_machine.move_to(at("2026-03-04 00:30"), tick=False)
    rollup_days(start=D1, end=D1)
    assert TechnicianDay.objects.get(technician=bob, day=D1).hours_attended == Decimal("16.00")
    rollup_recent_days()
    flags = Notification.objects.filter(recipient_staff=lead, related_id=shift.pk)
    assert flags.count() == 1  # once, however often the day is rolled
    assert bob.display_name in flags.get().body
    # and the lead's own board (the KPI workshop board) lists it until the shift end is entered
    from kpi.dashboards import station_board
    from kpi.selectors import period_of

    board = station_board("workshop", [station], period_of("month", D1))
    assert board.unclosed_shifts == [shift]
    page = client_as(lead).get(reverse("kpi:board", args=["workshop"]) + "?period=month&date=2026-03-02")
    assert 'id="unclosed-shifts"' in page.content.decode() and bob.display_name in page.content.decode()
    shift.ended_at = at("2026-03-02 17:00")
    shift.save()
    assert station_board("workshop", [station], period_of("month", D1)).unclosed_shifts == []


# --- 13: stock valued at the day's cost ----------------------------------------------------------------------------


def test_re_rolling_a_past_day_keeps_its_stock_value_at_that_days_cost(station, carol):
    wh = WarehouseFactory(station=station, code="MAIN", name="主仓", is_main=True)
    part = PartFactory(station=station, part_number="A", name_zh="机滤", cost=Decimal("0"))
    stock_move_post(warehouse=wh, part=part, kind="receipt", quantity=Decimal("10"), by=carol,
                    unit_cost=Decimal("10"), at=at("2026-02-01 10:00"))
    stock_move_post(warehouse=wh, part=part, kind="issue", quantity=Decimal("-3"), by=carol,
                    at=at("2026-03-02 10:00"))
    rollup_days(start=D1, end=D1)
    assert StationDay.objects.get(station=station, day=D1).stock_value == Decimal("70.00")  # 7 on hand × 10
    # A week later 10 more arrive at 16: the moving average becomes (7 × 10 + 10 × 16) ÷ 17 = 13.5294
    stock_move_post(warehouse=wh, part=part, kind="receipt", quantity=Decimal("10"), by=carol,
                    unit_cost=Decimal("16"), at=at("2026-03-09 10:00"))
    part.refresh_from_db()
    assert part.cost == Decimal("13.5294")
    rollup_days(start=D1, end=date(2026, 3, 9))
    # 03-02 is still 7 × 10 = 70 (not 7 × 13.5294 = 94.71); 03-09 is 17 × 13.5294 = 230.00
    assert StationDay.objects.get(station=station, day=D1).stock_value == Decimal("70.00")
    assert StationDay.objects.get(station=station, day=date(2026, 3, 9)).stock_value == Decimal("230.00")
    # the SQLite replay values the day the same way
    sink = _Recorder()
    stock_snapshots(sink=sink, station_ids=[station.pk], first_day=D1, last_day=D1, months_by_station={station.pk: 12})
    assert sink.values[(station.pk, D1, "stock_value")] == Decimal("70.00")
    # moves from before the cost was kept get it from the migration's replay: 10, 10, then 13.5294
    from django.apps import apps

    from parts.models import StockMove

    backfill = importlib.import_module("parts.migrations.0006_stockmove_cost_after").backfill
    StockMove.objects.update(cost_after=None)
    backfill(apps, None)
    assert list(StockMove.objects.order_by("at").values_list("cost_after", flat=True)) == [
        Decimal("10"), Decimal("10"), Decimal("13.5294")]


class _Recorder:
    def __init__(self):
        self.values = defaultdict(Decimal)

    def add(self, station_id, day, measure, value, **kwargs):
        self.values[(station_id, day, measure)] += Decimal(value)


# --- 14: sold hours changed after clock-off --------------------------------------------------------------------------


def test_changing_sold_hours_after_clock_off_re_rolls_the_clock_off_day(
    station, alice, bob, django_capture_on_commit_callbacks
):
    from kpi.services.rollup import rollup_recent_days

    with django_capture_on_commit_callbacks(execute=True):  # the marks of the set-up are written (then cleared)
        order = make_order(station=station, advisor=alice, opened="2026-02-27 08:00")  # opened on another day
        line = WorkOrderLineFactory(order=order, kind="labour", hours="2", unit_price="300")
        ClockEntryFactory(station=station, order=order, line=line, technician=bob,
                          started_at=at("2026-03-02 09:00"), ended_at=at("2026-03-02 11:00"), end="off")
    rollup_days(start=D1, end=D1)
    assert KPIS["efficiency"].value(_totals(station)) == 1  # 2 sold ÷ 2 clocked
    DirtyDay.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        line.hours = Decimal("3")
        line.save()
    assert DirtyDay.objects.filter(station=station, day=D1).exists()
    rollup_recent_days()
    assert KPIS["efficiency"].value(_totals(station)) == Decimal("1.5")  # 3 sold ÷ 2 clocked


# --- 15: follow-up drill-down and figure share one definition ---------------------------------------------------------


def test_the_follow_up_drill_down_lists_the_orders_the_figure_does_not_count(station, alice, carol, client_as):
    from complaints.factories import FollowUpCallFactory
    from complaints.models import CallAttempt

    orders = [make_order(station=station, advisor=alice, opened="2026-03-01 08:00", delivered="2026-03-02 17:00")
              for _ in range(3)]
    for order, when in ((orders[0], "2026-03-04 10:00"), (orders[1], "2026-03-09 10:00")):
        call = FollowUpCallFactory(station=station, order=order, customer=order.customer, advisor=alice,
                                   delivered_at=order.delivered_at, due_at=at(when), next_attempt_at=at(when),
                                   expires_at=at("2026-03-20 10:00"))
        CallAttempt.objects.create(call=call, outcome="reached", by=carol, at=at(when))
    rollup_days(start=D1, end=D1)
    # within 3 days of 03-02 17:00 only orders[0] was called (03-04); orders[1] a week later, orders[2] never
    assert KPIS["sfu"].value(_totals(station)) == Decimal(1) / 3
    response = client_as(carol).get(reverse("kpi:drill", args=["sfu"]) + "?period=month&date=2026-03-01")
    assert sorted(r[0] for r in response.context["records"].rows) == sorted([orders[1].number, orders[2].number])
    response = client_as(carol).get(reverse("kpi:drill", args=["sfu_success"]) + "?period=month&date=2026-03-01")
    assert sorted(r[0] for r in response.context["records"].rows) == sorted([orders[1].number, orders[2].number])


# --- 16: 四舍五入 -------------------------------------------------------------------------------------------------


def test_figures_round_half_up():
    # 0.8125 = 81.25 % → 81.3 % (half-to-even gave 81.2); ¥10.125 → ¥10.13; 2.25 h → 2.3; +0.125 → +0.13
    assert format_value(KPIS["ffv"], Decimal("0.8125")) == "81.3%"
    assert format_value(KPIS["aro"], Decimal("10.125")) == "¥10.13"
    assert format_value(KPIS["hours_sold"], Decimal("2.25")) == "2.3"
    assert format_value(KPIS["servqual_empathy"], Decimal("0.125")) == "+0.13"
    assert format_value(KPIS["cars_in"], Decimal("2.5")) == "3"
    assert percent_text(Decimal("0.8125")) == "81.3%"  # the other pages' percentages: the same helper


# --- 17: credit notes and supplements ------------------------------------------------------------------------------


def test_revenue_aro_and_labour_rate_include_credit_notes_and_supplements(station, alice, carol, client_as):
    order = make_order(station=station, advisor=alice, opened="2026-03-02 08:00", delivered="2026-03-02 17:00",
                       lines=[{"kind": "labour", "hours": "2", "unit_price": "300"},
                              {"kind": "part", "quantity": "1", "unit_price": "400"}])
    original = StatementFactory(station=station, order=order, payer="customer", number="ST1", labour="600",
                                parts="400", net="1000", vat_rate=Decimal("0.13"), vat="130", gross="1130",
                                due="1130", issued_by=carol, issued_at=at("2026-03-02 16:00"))
    # 红冲 of ¥113 incl. VAT on 03-03: net −100, no split of its own → the original's 600 : 400 → labour −60, parts −40
    StatementFactory(station=station, order=order, payer="customer", number="CN1", kind="credit_note",
                     original=original, net="-100", vat_rate=Decimal("0.13"), vat="-13", gross="-113", due="-113",
                     issued_by=carol, issued_at=at("2026-03-03 10:00"))
    # a supplement of ¥226 incl. VAT on 03-04: net 200 → the order's 600 : 400 → labour +120, parts +80
    StatementFactory(station=station, order=order, payer="customer", number="ST2", kind="supplement",
                     net="200", vat_rate=Decimal("0.13"), vat="26", gross="226", due="226", issued_by=carol,
                     issued_at=at("2026-03-04 10:00"))
    rollup_days(start=D1, end=date(2026, 3, 4))
    t = _totals(station, D1, date(2026, 3, 4))
    assert KPIS["revenue"].value(t) == Decimal("1100.00")  # 1000 − 100 + 200
    assert KPIS["revenue_customer"].value(t) == Decimal("1100.00")
    assert KPIS["aro"].value(t) == Decimal("1100.00")  # (660 labour + 440 parts) ÷ 1 order
    assert KPIS["elr"].value(t) == Decimal("330")  # 600 − 60 + 120 = 660 labour ÷ 2 h
    assert KPIS["elr_customer"].value(t) == Decimal("330")
    # each on its own day: the credit note on 03-03, the supplement on 03-04
    assert StationDay.objects.get(station=station, day=date(2026, 3, 3)).sales_labour == Decimal("-60.00")
    assert StationDay.objects.get(station=station, day=date(2026, 3, 4)).sales_parts == Decimal("80.00")
    # the drill-down lists the order and both corrections: labour 600 − 60 + 120 = 660, parts 400 − 40 + 80 = 440
    response = client_as(carol).get(reverse("kpi:drill", args=["revenue"]) + "?period=month&date=2026-03-01")
    rows = response.context["records"].rows
    assert [r[0] for r in rows] == [order.number, "CN1", "ST2"]
    assert (sum(r[6] for r in rows), sum(r[7] for r in rows)) == (Decimal("660.00"), Decimal("440.00"))


def test_a_full_credit_note_keeps_its_own_split_and_an_unsplit_amount_is_shared_half_up():
    from kpi.sources.settlement import correction_split

    d = Decimal
    # a full 红冲 carries the original's amounts
    assert correction_split(net=d("-1000"), own=(d("-600"), d("-400"), d("0")),
                            reference=(d("600"), d("400"), d("0"))) == (d("-600"), d("-400"), d("0"))
    # ¥100 over 1 : 2 : 0 → 33.333… → 33.33 labour, 66.666… → 66.67 parts, the cent left (0.00) to sublet
    assert correction_split(net=d("100"), own=(d("0"),) * 3, reference=(d("1"), d("2"), d("0"))) == (
        d("33.33"), d("66.67"), d("0.00"))
    # no statement to share it by: sublet, like the supplement's own line
    assert correction_split(net=d("50"), own=(d("0"),) * 3, reference=(d("0"),) * 3) == (d("0"), d("0"), d("50"))


# --- 18: numbers in xlsx ---------------------------------------------------------------------------------------------


def test_the_xlsx_export_writes_figures_as_numbers_with_number_formats(station, alice, carol, client_as):
    import io

    from openpyxl import load_workbook

    for _ in range(4):
        make_order(station=station, advisor=alice, opened="2026-03-02 08:00", delivered="2026-03-02 17:00",
                   promised="2026-03-02 18:00", lines=[{"kind": "labour", "hours": "1", "unit_price": "1490"}])
    # revenue 4 × 1,490 = 5,960; the fifth (no lines) is delivered an hour after its promise
    make_order(station=station, advisor=alice, opened="2026-03-02 08:00", delivered="2026-03-02 19:00",
               promised="2026-03-02 18:00")
    rollup_days(start=D1, end=D1)
    response = client_as(carol).get(
        reverse("kpi:export", args=["station", "xlsx"]) + f"?period=day&date=2026-03-02&station={station.pk}"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    revenue, on_time = rows["revenue"][1], rows["on-time delivery"][1]
    assert revenue.value == 5960 and revenue.number_format == '"¥"#,##0.00'
    assert on_time.value == 0.8 and on_time.number_format == "0.0%"  # 4 of 5 delivered by the promise
    assert rows["CSI score"][1].value == "—"  # no survey: a dash, not 0
    # the records behind revenue: each order's labour as a number to the cent (1,490.00), not text
    response = client_as(carol).get(reverse("kpi:drill", args=["revenue"]) + "?period=day&date=2026-03-02&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    labour = sheet.cell(row=2, column=7)
    assert labour.value == 1490 and labour.number_format == "#,##0.00"


# --- 19: the month so far against the same days of the month before ---------------------------------------------------


def test_early_in_the_month_the_comparison_is_the_same_days_and_the_chart_stops_today(
    station, alice, time_machine
):
    from kpi.dashboards import station_board
    from kpi.selectors import period_of

    time_machine.move_to(at("2026-03-06 12:00"), tick=False)
    for day in ("2026-02-02", "2026-02-05", "2026-02-20", "2026-02-21", "2026-02-27", "2026-03-03"):
        make_order(station=station, advisor=alice, opened=f"{day} 08:00", delivered=f"{day} 17:00")
    rollup_days(start=date(2026, 2, 1), end=date(2026, 3, 6))
    rollup_days(start=date(2026, 3, 7), end=date(2026, 3, 10))  # e.g. future days marked by appointments
    board = station_board("station", [station], period_of("month", date(2026, 3, 6)))
    cars_out = next(f for f in board.figures if f.code == "cars_out")
    # 03-01…03-06: 1 car; the same six days of February (02-01…02-06): 2 cars, not the whole month's 5
    assert (cars_out.value, cars_out.previous) == (1, 2)
    assert (board.previous.start, board.previous.end) == (date(2026, 2, 1), date(2026, 2, 6))
    assert board.chart["labels"][-1] == "2026-03-06"  # no future day plotted as 0
    assert len(board.chart["labels"]) == 6
    # a year and a week in progress likewise: 2025-01-01…2025-03-06; Mon 03-02…Fri 03-06 against 02-23…02-27
    from kpi.selectors import Period

    assert period_of("year", date(2026, 3, 6)).previous() == Period("year", date(2025, 1, 1), date(2025, 3, 6))
    assert period_of("week", date(2026, 3, 6)).previous() == Period("week", date(2026, 2, 23), date(2026, 2, 27))


# --- 20: turnover over the trailing twelve months -------------------------------------------------------------------


def test_turnover_is_parts_issued_in_the_trailing_12_months_over_their_average_stock(station):
    start, end = date(2025, 4, 1), date(2026, 3, 31)
    rows, day = [], start
    while day <= end:
        rows.append(StationDay(station=station, day=day, stock_value=Decimal("1000"), stock_days=1))
        day += timedelta(days=1)
    StationDay.objects.bulk_create(rows)
    StationDay.objects.filter(station=station, day=date(2025, 3, 15)).delete()
    StationDay.objects.create(station=station, day=date(2025, 3, 15), parts_issued_cost=Decimal("9999"))
    StationDay.objects.filter(station=station, day=date(2025, 6, 15)).update(parts_issued_cost=Decimal("4700"))
    StationDay.objects.filter(station=station, day=date(2026, 3, 10)).update(parts_issued_cost=Decimal("300"))
    months_refresh(station_ids=[station.pk], start=date(2025, 3, 1), end=end)
    from kpi.selectors import period_of, station_totals

    t = station_totals([station.pk], period_of("month", date(2026, 3, 1)))[station.pk]
    # 2025-04-01…2026-03-31: 4,700 + 300 = 5,000 issued (03-15 of 2025 is outside) over an average stock of 1,000
    # = 5.0 a year — not March annualised (300 × 365 ÷ 31 ÷ 1,000 = 3.53)
    assert KPIS["turnover"].value(t) == Decimal("5")
