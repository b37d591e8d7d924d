"""The KPIs: each one a numerator and a denominator over the summed daily measures.

This module is the executable form of the business's KPI definitions (the table of names, formulas and targets
kept beside the repository as ``../shared/kpi-definitions.md``; documentation only, nothing loads it).

A KPI is never averaged: its numerator and denominator are summed over the days, stations or people first, then
divided. A zero denominator gives ``None``, shown as "—".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.exports import Formatted
from core.money import half_up

ZERO = Decimal("0")
# The measures summed over the trailing 12 months as ``ttm_<measure>`` (turnover, per the definition).
TRAILING_MEASURES = ("parts_issued_cost", "stock_value", "stock_days")
PAYERS = ("customer", "warranty", "insurance", "internal")


class Totals(dict):
    """Summed measures; a missing measure is 0. Extra inputs (``overhead``, ``purchase_target``, ``days``, and the
    trailing year's ``ttm_`` + ``TRAILING_MEASURES``) are put in by the caller."""

    def __getattr__(self, name: str) -> Decimal:
        value = self.get(name)
        return ZERO if value is None else Decimal(value)


Expr = Callable[[Totals], Decimal]


@dataclass(frozen=True)
class Kpi:
    code: str
    label: Promise
    zh_hint: str  # the word the users say (documentation; the zh label comes from the catalogue)
    unit: str  # count, money, hours, pct, rate, times, days, score, gap (signed points)
    num: Expr
    den: Expr | None = None
    complement: bool = False  # 1 − num/den (FFV)
    scale: Callable[[Totals], Decimal] | None = None  # a factor applied to the ratio
    trailing_year: bool = False  # reads the ``ttm_`` inputs: the 12 months ending with the period
    good: str = "up"  # which way is better: up / down / none
    drill: str = "days"  # what the drill-down lists: days, delivered, opened, late, comebacks, unfilled, ...
    target: Decimal | None = None  # default target line (from the KPI definitions) when the manager set none

    def value(self, t: Totals) -> Decimal | None:
        num = self.num(t)
        if self.den is None:
            return num
        den = self.den(t)
        if not den:
            return None
        ratio = Decimal(num) / Decimal(den)
        if self.complement:
            ratio = 1 - ratio
        if self.scale is not None:
            ratio *= self.scale(t)
        return ratio

    def parts(self, t: Totals) -> tuple[Decimal, Decimal | None]:
        return self.num(t), (self.den(t) if self.den else None)


def _m(name: str) -> Expr:
    return lambda t: getattr(t, name)


def _sum(*names: str) -> Expr:
    return lambda t: sum((getattr(t, n) for n in names), ZERO)


_gp_labour: Expr = lambda t: t.sales_labour - t.cost_labour  # noqa: E731
_gp_parts: Expr = lambda t: t.sales_parts - t.cost_parts  # noqa: E731

KPIS: dict[str, Kpi] = {}


def _k(*args, **kwargs) -> None:
    kpi = Kpi(*args, **kwargs)
    KPIS[kpi.code] = kpi


# Visits and money
_k("cars_in", _("car count in"), "进厂台次", "count", _m("orders_in"), drill="opened")
_k("cars_out", _("car count out"), "出厂台次", "count", _m("orders_out"), drill="delivered")
_k("revenue", _("revenue"), "产值", "money", _sum("sales_labour", "sales_parts", "sales_sublet"), drill="delivered")
_k("revenue_customer", _("revenue, customer pay"), "客户付费产值", "money", _m("sales_customer"), drill="delivered")
_k("revenue_warranty", _("revenue, warranty"), "索赔产值", "money", _m("sales_warranty"), drill="delivered")
_k("revenue_insurance", _("revenue, insurance"), "保险产值", "money", _m("sales_insurance"), drill="delivered")
_k("revenue_internal", _("revenue, internal"), "内部产值", "money", _m("sales_internal"), drill="delivered")
_k("aro", _("average repair order"), "单车产值", "money", _sum("sales_labour", "sales_parts"), _m("orders_out"),
   drill="delivered")
_k("hours_sold", _("hours sold"), "销售工时", "hours", _m("hours_sold"), drill="delivered")
_k("hours_per_order", _("hours per work order"), "单车工时", "hours", _m("hours_sold"), _m("orders_out"),
   drill="delivered")
_k("elr", _("effective labour rate"), "有效工时单价", "money", _m("sales_labour"), _m("hours_sold"), drill="delivered")
for _p, _label in (("customer", _("effective labour rate, customer pay")), ("warranty", _("effective labour rate, warranty")),
                   ("insurance", _("effective labour rate, insurance")), ("internal", _("effective labour rate, internal"))):
    _k(f"elr_{_p}", _label, "有效工时单价", "money", _m(f"labour_{_p}"), _m(f"hours_{_p}"), drill="delivered")
_k("gp_labour", _("gross profit, labour"), "工时毛利", "money", _gp_labour, drill="delivered")
_k("labour_margin", _("labour gross margin"), "工时毛利率", "pct", _gp_labour, _m("sales_labour"), drill="delivered")
_k("gp_parts", _("gross profit, parts"), "配件毛利", "money", _gp_parts, drill="delivered")
_k("parts_margin", _("parts gross margin"), "配件毛利率", "pct", _gp_parts, _m("sales_parts"), drill="delivered",
   target=Decimal("0.35"))
_k("absorption", _("service absorption"), "吸收率", "pct", lambda t: _gp_labour(t) + _gp_parts(t), _m("overhead"),
   drill="delivered", target=Decimal("1"))
_k("on_time", _("on-time delivery"), "准时交车率", "pct", _m("on_time"), _m("orders_out"), drill="late",
   target=Decimal("0.95"))
# Workshop and quality
_k("ffv", _("fix first visit"), "一次修复率", "pct", _m("comebacks"), _m("orders_out"), complement=True,
   drill="comebacks", target=Decimal("0.90"))
_k("comeback_rate", _("comeback rate"), "返修率", "pct", _m("comebacks"), _m("orders_out"), good="down",
   drill="comebacks", target=Decimal("0.10"))
_k("comebacks", _("comebacks"), "返修", "count", _m("comebacks"), good="down", drill="comebacks")
_k("hours_attended", _("hours attended"), "出勤工时", "hours", _m("hours_attended"))
_k("hours_clocked", _("hours clocked"), "实际工时", "hours", _m("hours_clocked"))
_k("hours_sold_jobs", _("hours sold on finished jobs"), "完工工时", "hours", _m("hours_sold_clocked"))
_k("efficiency", _("technician efficiency"), "技师效率", "pct", _m("hours_sold_clocked"), _m("hours_clocked_completed"),
   target=Decimal("1"))
_k("productivity", _("technician productivity"), "生产利用率", "pct", _m("hours_clocked"), _m("hours_attended"),
   target=Decimal("0.80"))
_k("proficiency", _("technician proficiency"), "综合效率", "pct", _m("hours_sold_clocked"), _m("hours_attended"))
# Parts
_k("first_fill", _("first-fill rate"), "首次满足率", "pct", _m("part_lines_filled"), _m("part_lines_requested"),
   drill="unfilled", target=Decimal("0.90"))
# Turnover is over the trailing 12 months ending with the period (or today), whatever the period: the ``ttm_``
# inputs are summed over that year by ``kpi.selectors.station_totals`` (``trailing_year``).
_k("turnover", _("inventory turnover (last 12 months)"), "库存周转率", "times", _m("ttm_parts_issued_cost"),
   lambda t: t.ttm_stock_value / t.ttm_stock_days if t.ttm_stock_days else ZERO, target=Decimal("6"),
   trailing_year=True)
_k("days_supply", _("days of supply"), "库存天数", "days", lambda t: t.stock_value / t.stock_days if t.stock_days else ZERO,
   lambda t: t.parts_issued_cost / t.days if t.days else ZERO, good="down", target=Decimal("60"))
_k("obsolete_rate", _("obsolete stock"), "呆滞库存率", "pct", _m("obsolete_value"), _m("stock_value"), good="down",
   drill="obsolete", target=Decimal("0.05"))
_k("stock_value", _("stock value at cost (average)"), "库存金额", "money", _m("stock_value"), _m("stock_days"),
   good="none", drill="stock")
_k("purchases_genuine", _("genuine-parts purchases"), "原厂件采购额", "money", _m("purchases_genuine"),
   good="none", drill="purchases")
_k("purchase_achievement", _("purchase target achievement"), "采购目标达成率", "pct", _m("purchases_genuine"),
   _m("purchase_target"), drill="purchases", target=Decimal("1"))
# Customers
_k("sfu", _("follow-up coverage"), "回访率", "pct", _m("followups_attempted"), _m("orders_out"), drill="no_followup",
   target=Decimal("1"))
_k("sfu_success", _("follow-up success"), "回访成功率", "pct", _m("followups_reached"), _m("orders_out"),
   drill="no_followup", target=Decimal("0.60"))
_k("csi_top_box", _("CSI top box"), "客户满意度", "pct", _m("csi_top_box"), _m("csi_overall_answers"), drill="surveys")
_k("csi", _("CSI score"), "客户满意度", "score", _m("csi_item_points"), _m("csi_item_answers"), drill="surveys",
   target=Decimal("90"))
_k("complaints", _("complaints received"), "投诉", "count", _m("complaints_received"), good="down", drill="complaints")
_k("complaint_rate", _("complaint rate"), "投诉率", "pct", _m("complaints_received"), _m("orders_out"), good="down",
   drill="complaints")
_k("complaints_in_time", _("complaints closed in time"), "投诉及时结案率", "pct", _m("complaints_closed_in_time"),
   _m("complaints_due"), drill="complaints")
_k("two_week_closure", _("two-week closure"), "两周结案率", "pct", _m("complaints_closed_14d"),
   _m("complaints_matured"), drill="two_weeks")
_k("customer_loss", _("customer loss"), "客户流失率", "pct", _m("customers_lost"), _m("customers_cohort"),
   good="down", drill="lost_customers", target=Decimal("0.20"))
# Of the lost customers called from the win-back list in the period (by the month's first call), the share who came
# back with a visit after it. The target line is a starting point; a manager sets the station's own (kpi.Target).
_k("won_back", _("won back"), "流失客户召回率", "pct", _m("winback_won"), _m("winback_called"), drill="won_back",
   target=Decimal("0.20"))
for _dim, _label in (("tangibles", _("SERVQUAL gap, tangibles")), ("reliability", _("SERVQUAL gap, reliability")),
                     ("responsiveness", _("SERVQUAL gap, responsiveness")),
                     ("assurance", _("SERVQUAL gap, assurance")), ("empathy", _("SERVQUAL gap, empathy"))):
    _k(f"servqual_{_dim}", _label, "服务质量差距", "gap", _m(f"servqual_{_dim}_gap"), _m(f"servqual_{_dim}_answers"),
       drill="servqual", target=Decimal("0"))
SERVQUAL_CODES = [f"servqual_{d}" for d in ("tangibles", "reliability", "responsiveness", "assurance", "empathy")]
_k("appointment_rate", _("appointment rate"), "预约率", "pct", _m("arrivals_with_appointment"), _m("orders_in"),
   drill="opened")
_k("show_rate", _("appointment show rate"), "预约到店率", "pct", _m("appointments_arrived"), _m("appointments_booked"),
   target=Decimal("0.80"))
_k("settlement_accuracy", _("settlement accuracy"), "结算准确率", "pct",
   lambda t: t.settlements - t.settlements_corrected, _m("settlements"))
# Recalls and service campaigns: of the vehicles listed in the period, the share done (by a settled order) since.
_k("campaign_completion", _("campaign completion rate"), "召回/服务活动完成率", "pct", _m("campaign_done"),
   _m("campaign_vehicles"))

# Receivables: open amounts at each day's end summed over the days, so the ratio is the period's average share.
_k("overdue_receivables", _("overdue receivables"), "逾期应收账款占比", "pct", _m("receivables_overdue"),
   _m("receivables_open"), good="down")
# People (issue #19 item 4; the definitions in kpi.sources.people). Turnover is over the period, not annualised: the
# default target line of 2 % suits the month view; a manager sets the station's own (kpi.Target).
_k("staff_turnover", _("staff turnover"), "员工流失率", "pct", _m("staff_leavers"),
   lambda t: t.staff_headcount / t.staff_days if t.staff_days else ZERO, good="down", target=Decimal("0.02"))
# Shown only from 3 responses (anonymity): below that the denominator counts as 0 and the figure is "—".
_k("staff_satisfaction", _("staff satisfaction"), "员工满意度", "score", _m("staff_survey_points"),
   lambda t: t.staff_survey_answers if t.staff_survey_responses >= 3 else ZERO, target=Decimal("4"))
_k("mystery_shop", _("mystery-shop score"), "神秘客户得分率", "pct", _m("mystery_points"), _m("mystery_possible"),
   target=Decimal("0.90"))
PEOPLE_CODES = ["staff_turnover", "staff_satisfaction", "mystery_shop"]

BOARDS: dict[str, list[str]] = {
    "station": [
        "revenue", "revenue_customer", "revenue_warranty", "revenue_insurance", "revenue_internal", "cars_in",
        "cars_out", "aro", "hours_sold", "hours_per_order", "elr", "gp_labour", "labour_margin", "gp_parts",
        "parts_margin", "absorption", "efficiency", "productivity", "proficiency", "ffv", "on_time", "csi",
        "csi_top_box", *SERVQUAL_CODES, "sfu", "sfu_success", "first_fill", "turnover", "stock_value",
        "purchase_achievement", "complaints", "complaint_rate", "complaints_in_time", "two_week_closure",
        "customer_loss", "won_back", "appointment_rate", "campaign_completion", "overdue_receivables", *PEOPLE_CODES,
    ],
    "desk": ["cars_in", "cars_out", "revenue", "aro", "hours_sold", "elr", "on_time", "csi", "sfu", "complaints",
             "two_week_closure", "show_rate", "settlement_accuracy"],
    "workshop": ["hours_attended", "hours_clocked", "hours_sold_jobs", "productivity", "efficiency", "proficiency",
                 "comebacks"],
    "parts": ["first_fill", "turnover", "days_supply", "obsolete_rate", "stock_value", "parts_margin", "gp_parts",
              "purchases_genuine", "purchase_achievement"],
    "group": ["revenue", "cars_out", "aro", "elr", "parts_margin", "absorption", "efficiency", "ffv", "on_time", "csi",
              "sfu", "first_fill", "turnover", "purchase_achievement", "customer_loss", "won_back"],
}
# The station-level figures shown above each people table.
BOARD_HEADLINES: dict[str, list[str]] = {
    "desk": ["cars_in", "cars_out", "revenue", "aro", "on_time", "csi", "sfu", "complaints", "two_week_closure",
             "customer_loss", "won_back", *SERVQUAL_CODES],
    "workshop": ["efficiency", "productivity", "proficiency", "ffv", "comeback_rate", "hours_sold", "hours_per_order"],
    "parts": ["first_fill", "turnover", "days_supply", "obsolete_rate", "parts_margin"],
}


# How each unit is shown: decimals, and the spreadsheet number format of an exported figure (a pct is exported as
# the ratio, 0.778 with "0.0%", so the sheet can compute with it).
UNIT_PLACES = {"pct": 3, "money": 2, "gap": 2, "hours": 1, "times": 1, "score": 1, "days": 1, "count": 0}
NUMBER_FORMATS = {"pct": "0.0%", "money": '"¥"#,##0.00', "gap": "+0.00;-0.00;0.00", "hours": "#,##0.0",
                  "times": "#,##0.0", "score": "#,##0.0", "days": "#,##0.0", "count": "#,##0"}


def rounded_value(kpi: Kpi, value: Decimal | None) -> Decimal | None:
    """The figure rounded half-up (四舍五入) to what is shown: a pct to 0.1 % (0.8125 → 0.813), money to the cent."""
    if value is None:
        return None
    return half_up(value, UNIT_PLACES.get(kpi.unit, 0))


def format_value(kpi: Kpi, value: Decimal | None) -> str:
    """The figure as shown and exported: "—" for a zero denominator. Rounded half-up (``core.money.half_up``)."""
    value = rounded_value(kpi, value)
    if value is None:
        return "—"
    if kpi.unit == "pct":
        return f"{value * 100:.1f}%"
    if kpi.unit == "money":
        return f"¥{value:,.2f}"
    if kpi.unit == "gap":  # SERVQUAL: points on the 1–5 scale, signed
        return f"{value:+.2f}"
    if kpi.unit in ("hours", "times", "score", "days"):
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def export_cell(kpi: Kpi, value: Decimal | None) -> Formatted:
    """The figure for an export: in xlsx the rounded number with its number format, in CSV the text shown."""
    return Formatted(rounded_value(kpi, value), NUMBER_FORMATS.get(kpi.unit, "General"), format_value(kpi, value))
