"""Each formula against hand-computed fixtures (the KPI definitions' examples and our own)."""

from decimal import Decimal

from kpi.registry import KPIS, Totals, format_value

D = Decimal


def value(code, **measures):
    return KPIS[code].value(Totals({k: D(str(v)) for k, v in measures.items()}))


def test_technician_fixture_8_attended_6_clocked_7_5_sold():
    t = {"hours_attended": 8, "hours_clocked": 6, "hours_clocked_completed": 6, "hours_sold_clocked": "7.5"}
    assert value("productivity", **t) == D("0.75")
    assert value("efficiency", **t) == D("1.25")
    assert value("proficiency", **t) == D("0.9375")
    assert value("efficiency", **t) * value("productivity", **t) == value("proficiency", **t)


def test_first_fill_fixture_1000_lines_80_not_filled_is_92_percent():
    assert value("first_fill", part_lines_requested=1000, part_lines_filled=920) == D("0.92")


def test_fix_first_visit_is_one_minus_comebacks_over_delivered():
    assert value("ffv", comebacks=3, orders_out=60) == D("0.95")
    assert value("comeback_rate", comebacks=3, orders_out=60) == D("0.05")


def test_average_repair_order_counts_labour_and_parts_but_not_sublet():
    assert value("aro", sales_labour=600, sales_parts=400, sales_sublet=500, orders_out=4) == D("250")


def test_effective_labour_rate_overall_and_per_payer():
    assert value("elr", sales_labour=1500, hours_sold=5) == D("300")
    assert value("elr_warranty", labour_warranty=400, hours_warranty=2) == D("200")


def test_gross_profit_and_margins():
    t = {"sales_labour": 1000, "cost_labour": 300, "sales_parts": 800, "cost_parts": 520}
    assert value("gp_labour", **t) == D("700")
    assert value("labour_margin", **t) == D("0.7")
    assert value("gp_parts", **t) == D("280")
    assert value("parts_margin", **t) == D("0.35")


def test_absorption_is_service_and_parts_gross_profit_over_overhead():
    t = {"sales_labour": 1000, "cost_labour": 300, "sales_parts": 800, "cost_parts": 500, "overhead": 1250}
    assert value("absorption", **t) == D("0.8")


def test_on_time_delivery_and_follow_up():
    assert value("on_time", on_time=19, orders_out=20) == D("0.95")
    assert value("sfu", followups_attempted=10, orders_out=10) == D("1")
    assert value("sfu_success", followups_reached=6, orders_out=10) == D("0.6")


def test_csi_top_box_and_rescaled_mean():
    # answers 5, 4, 3 → top box 1/3; points 100 + 75 + 50 = 225 over 3 items = 75
    assert value("csi_top_box", csi_top_box=1, csi_overall_answers=3) == D(1) / D(3)
    assert value("csi", csi_item_points=225, csi_item_answers=3) == D("75")


def test_turnover_is_the_trailing_years_cost_issued_over_its_average_stock():
    # 12 months: 900,000 issued, average stock 150,000 (365 snapshots) → 6 a year; the period's own figures
    # (30,000 in 30 days) do not enter it
    t = {"parts_issued_cost": 30000, "stock_value": 150000 * 30, "stock_days": 30, "days": 30,
         "ttm_parts_issued_cost": 900000, "ttm_stock_value": 150000 * 365, "ttm_stock_days": 365}
    assert value("turnover", **t) == D("6")
    assert value("days_supply", **t) == D("150")  # 150,000 ÷ (30,000 / 30 a day)
    assert value("obsolete_rate", obsolete_value=7500 * 30, stock_value=150000 * 30) == D("0.05")


def test_settlement_accuracy_and_show_rate():
    assert value("settlement_accuracy", settlements=50, settlements_corrected=2) == D("0.96")
    assert value("show_rate", appointments_booked=10, appointments_arrived=8) == D("0.8")


def test_a_zero_denominator_gives_none_shown_as_a_dash():
    for code, kpi in KPIS.items():
        if kpi.den is not None:
            assert kpi.value(Totals()) is None, code
            assert format_value(kpi, None) == "—"


def test_counts_and_money_are_plain_sums():
    assert value("cars_in", orders_in=7) == D(7)
    assert value("revenue", sales_labour=1, sales_parts=2, sales_sublet=3) == D(6)


def test_two_week_closure_customer_loss_servqual_and_purchase_achievement():
    assert value("two_week_closure", complaints_closed_14d=9, complaints_matured=12) == D("0.75")
    assert value("customer_loss", customers_lost=30, customers_cohort=200) == D("0.15")
    assert value("servqual_assurance", servqual_assurance_gap=-3, servqual_assurance_answers=4) == D("-0.75")
    assert format_value(KPIS["servqual_assurance"], D("-0.75")) == "-0.75"
    assert format_value(KPIS["servqual_assurance"], D("0.5")) == "+0.50"
    assert value("purchase_achievement", purchases_genuine=110000, purchase_target=100000) == D("1.1")
