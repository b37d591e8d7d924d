"""Drill-downs: the records behind a figure (delivered orders behind revenue, late orders behind on-time delivery,
the comeback orders behind FFV, the unfilled part lines behind first-fill ...) and its daily numerators/denominators.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import F, Max, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Complaint, RetentionCall, SurveyAnswer, SurveyResponse
from complaints.retention_selectors import win_back_results
from complaints.services.retention import GONE
from kpi.models import MEASURES, StationDay
from kpi.registry import TRAILING_MEASURES, Kpi, Totals, export_cell
from kpi.selectors import Period, trailing_year
from kpi.sources.base import add_months, day_bounds, station_settings
from kpi.sources.complaints import TWO_WEEKS, followed_up_orders
from kpi.sources.parts import OBSOLETE_MONTHS, genuine_receipts, part_costs_at
from kpi.sources.reception import delivered_orders
from kpi.sources.settlement import correction_amounts, package_amounts
from kpi.sources.workshop import comeback_orders
from parts.models import DemandLine, StockBalance, StockMove
from reception.customer_loss import lost_customers
from reception.models import Customer, WorkOrder, WorkOrderLine
from reception.services.pricing import amount_of
from settlement.models import Statement

LIMIT = 1000


@dataclass
class Drill:
    title: str = ""
    headers: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    truncated: bool = False
    aside: Drill | None = None  # a second list shown below the first (a subset worth seeing apart)


def _dt(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _order_rows(orders) -> Drill:
    orders = list(orders.select_related("advisor", "vehicle").order_by("delivered_at", "opened_at")[: LIMIT + 1])
    truncated = len(orders) > LIMIT
    orders = orders[:LIMIT]
    sums: dict[int, dict[str, Decimal]] = {o.pk: {"labour": Decimal(0), "part": Decimal(0), "sublet": Decimal(0),
                                                  "hours": Decimal(0)} for o in orders}
    for line in WorkOrderLine.objects.filter(order__in=orders, approval=WorkOrderLine.Approval.APPROVED):
        sums[line.order_id][line.kind] += amount_of(line)
        if line.kind == "labour":
            sums[line.order_id]["hours"] += line.hours
    drill = Drill(
        headers=[_("order number"), _("advisor"), _("vehicle"), _("opened at"), _("promised at signature"),
                 _("delivered at"), _("labour"), _("parts"), _("sublet"), _("hours sold")],
        truncated=truncated,
    )
    for o in orders:
        s = sums[o.pk]
        drill.rows.append([
            o.number, o.advisor.display_name or o.advisor.username, str(o.vehicle), _dt(o.opened_at),
            _dt(o.promised_at_signed), _dt(o.delivered_at), s["labour"], s["part"], s["sublet"], s["hours"],
        ])
    return drill


def _correction_rows(drill: Drill, station_ids, lo, hi, advisor_id) -> None:
    """Credit notes and supplements counted in the period, as rows below the orders (number, kind, order, day counted
    and the labour, parts and sublet they add — negative for a credit note), by the figures' own rule."""
    rows = correction_amounts(station_ids, lo, hi, advisor_id=advisor_id)
    numbers = dict(WorkOrder.objects.filter(pk__in={r["order_id"] for r in rows}).values_list("pk", "number"))
    kinds = dict(Statement.Kind.choices)
    for r in rows[:LIMIT]:
        labour, parts, sublet = r["split"]
        drill.rows.append([r["number"], str(kinds.get(r["kind"], r["kind"])), numbers.get(r["order_id"], ""), "", "",
                           _dt(r["counted_at"]), labour, parts, sublet, Decimal(0)])
    drill.truncated = drill.truncated or len(rows) > LIMIT


def _package_rows(drill: Drill, station_ids, lo, hi, advisor_id) -> None:
    """Lines paid by a package on the orders listed, as rows below them: the use's value in place of the line's own
    amount (what ``kpi.sources.settlement.package_uses`` adds: value − amount, in the line's column)."""
    rows = package_amounts(station_ids, lo, hi, advisor_id=advisor_id)
    for r in rows[:LIMIT]:
        change = r["value"] - r["amount"]
        drill.rows.append([r["number"], str(_("paid by a package")), "", "", "", _dt(r["delivered_at"]),
                           change if r["kind"] == "labour" else Decimal(0),
                           change if r["kind"] == "part" else Decimal(0),
                           change if r["kind"] == "sublet" else Decimal(0), Decimal(0)])
    drill.truncated = drill.truncated or len(rows) > LIMIT


def records(kpi: Kpi, station_ids: list[int], period: Period, *, advisor_id: int | None = None) -> Drill | None:
    """The records behind the figure, or None when the figure has no record list (only its days)."""
    lo, hi = day_bounds(period.start, period.end)
    delivered = delivered_orders(station_ids, lo, hi)
    if advisor_id:
        delivered = delivered.filter(advisor_id=advisor_id)
    if kpi.drill == "delivered":
        drill = _order_rows(delivered)
        drill.title = _("Delivered orders")
        if kpi.unit == "money":  # the money figures also take in credit notes and supplements: list them too
            _correction_rows(drill, station_ids, lo, hi, advisor_id)
            _package_rows(drill, station_ids, lo, hi, advisor_id)
        return drill
    if kpi.drill == "late":
        late = delivered.filter(Q(promised_at_signed__isnull=True) | Q(delivered_at__gt=F("promised_at_signed")))
        drill = _order_rows(late)
        drill.title = _("Orders delivered after the promised time (or without one)")
        return drill
    if kpi.drill == "opened":
        opened = WorkOrder.objects.filter(station_id__in=station_ids, opened_at__gte=lo, opened_at__lt=hi).exclude(
            status__in=[WorkOrder.Status.DRAFT, WorkOrder.Status.CANCELLED]
        )
        if advisor_id:
            opened = opened.filter(advisor_id=advisor_id)
        drill = _order_rows(opened)
        drill.title = _("Orders opened")
        return drill
    if kpi.drill == "no_followup":
        # the figure's own definition (kpi.sources.complaints.followed_up_orders): the orders it does not count
        counted = "reached" if kpi.code == "sfu_success" else "attempted"
        missing = followed_up_orders(station_ids, lo, hi).filter(**{counted: False})
        if advisor_id:
            missing = missing.filter(advisor_id=advisor_id)
        drill = _order_rows(missing)
        drill.title = (_("Delivered orders whose customer was not reached within the follow-up window")
                       if counted == "reached" else
                       _("Delivered orders without a follow-up call within the follow-up window"))
        return drill
    if kpi.drill == "comebacks":
        return _comebacks(station_ids, lo, hi, advisor_id)
    if kpi.drill == "unfilled":
        return _unfilled(station_ids, lo, hi, advisor_id)
    if kpi.drill == "obsolete":
        return _obsolete(station_ids, hi)
    if kpi.drill == "complaints":
        return _complaints(station_ids, lo, hi, advisor_id)
    if kpi.drill == "surveys":
        return _surveys(station_ids, lo, hi)
    if kpi.drill == "two_weeks":
        return _two_weeks(station_ids, lo, hi, advisor_id)
    if kpi.drill == "lost_customers":
        return _lost_customers(station_ids, period)
    if kpi.drill == "won_back":
        return _won_back(station_ids, period)
    if kpi.drill == "servqual":
        return _servqual(station_ids, lo, hi, kpi.code.removeprefix("servqual_"), advisor_id)
    if kpi.drill == "purchases":
        return _purchases(station_ids, lo, hi)
    if kpi.drill == "stock":
        return _stock(station_ids, hi)
    return None


def _comebacks(station_ids, lo, hi, advisor_id) -> Drill:
    qs = comeback_orders(station_ids, lo, hi).select_related(
        "order", "earlier_order", "earlier_order__vehicle", "technician", "advisor"
    ).order_by("earlier_order__delivered_at")
    if advisor_id:
        qs = qs.filter(Q(advisor_id=advisor_id) | Q(advisor__isnull=True, earlier_order__advisor_id=advisor_id))
    drill = Drill(
        title=_("Comeback orders (counted on the day the earlier order was delivered)"),
        headers=[_("comeback order"), _("opened at"), _("earlier order"), _("delivered at"), _("vehicle"),
                 _("cause"), _("technician responsible"), _("advisor responsible")],
    )
    for c in qs[:LIMIT]:
        drill.rows.append([
            c.order.number, _dt(c.order.opened_at), c.earlier_order.number, _dt(c.earlier_order.delivered_at),
            str(c.earlier_order.vehicle), c.get_cause_display(), str(c.technician or ""), str(c.advisor or ""),
        ])
    return drill


def _unfilled(station_ids, lo, hi, advisor_id) -> Drill:
    qs = DemandLine.objects.filter(
        station_id__in=station_ids, requested_at__gte=lo, requested_at__lt=hi, filled_from_stock=False
    ).select_related("part", "line__order").order_by("requested_at")
    if advisor_id:
        qs = qs.filter(line__order__advisor_id=advisor_id)
    drill = Drill(
        title=_("Part lines not filled from stock when requested"),
        headers=[_("requested at"), _("order number"), _("part number"), _("part"), _("requested"),
                 _("available when requested")],
    )
    for d in qs[:LIMIT]:
        drill.rows.append([_dt(d.requested_at), d.line.order.number, d.part.part_number, d.part.name_zh,
                           d.requested_qty, d.available_qty])
    return drill


def _obsolete(station_ids, hi) -> Drill:
    """Parts on hand now with no issue in the obsolete window before the period's end (or never issued)."""
    months = station_settings(station_ids[:1])[station_ids[0]].obsolete_months if station_ids else OBSOLETE_MONTHS
    stale = hi - timedelta(days=round(months * 30.4375))
    balances = list(
        StockBalance.objects.filter(station_id__in=station_ids, on_hand__gt=0).select_related("part", "warehouse")
    )
    activity = {
        row["part_id"]: row["last_issue"] or row["first_move"]
        for row in StockMove.objects.filter(part_id__in=[b.part_id for b in balances], at__lt=hi)
        .values("part_id").annotate(last_issue=Max("at", filter=Q(kind="issue")), first_move=Min("at"))
    }
    drill = Drill(
        title=_("Obsolete stock: parts on hand with no issue in the last %(months)s months")
        % {"months": months},
        headers=[_("part number"), _("part"), _("warehouse"), _("on hand"), _("value at cost"), _("last issued")],
    )
    for b in sorted(balances, key=lambda b: -(b.on_hand * b.part.cost)):
        since = activity.get(b.part_id)
        if since is None or since >= stale:
            continue
        drill.rows.append([b.part.part_number, b.part.name_zh, str(b.warehouse), b.on_hand,
                           (b.on_hand * b.part.cost).quantize(Decimal("0.01")), _dt(since)])
        if len(drill.rows) >= LIMIT:
            drill.truncated = True
            break
    return drill


def _complaints(station_ids, lo, hi, advisor_id) -> Drill:
    qs = Complaint.objects.filter(station_id__in=station_ids, received_at__gte=lo, received_at__lt=hi)
    if advisor_id:
        qs = qs.filter(staff_involved_id=advisor_id)
    qs = qs.select_related("staff_involved").order_by("received_at")
    drill = Drill(
        title=_("Complaints received"),
        headers=[_("number"), _("received at"), _("category"), _("subject"), _("staff involved"), _("state"),
                 _("resolution due"), _("closed at")],
    )
    for c in qs[:LIMIT]:
        drill.rows.append([
            c.number, _dt(c.received_at), c.get_category_display(), c.subject,
            str(c.staff_involved or ""), c.get_state_display(), _dt(c.resolution_due), _dt(c.closed_at),
        ])
    return drill


def _surveys(station_ids, lo, hi) -> Drill:
    qs = SurveyResponse.objects.filter(station_id__in=station_ids, at__gte=lo, at__lt=hi).select_related(
        "customer", "order"
    ).prefetch_related("answers").order_by("at")
    drill = Drill(title=_("Survey answers"), headers=[_("at"), _("customer"), _("order number"), _("overall (1–5)"),
                                                       _("items (perception 1–5)")])
    for r in qs[:LIMIT]:
        items = ", ".join(f"{a.get_dimension_display()} {a.perception}" for a in r.answers.all())
        drill.rows.append([_dt(r.at), str(r.customer), r.order.number if r.order else "", r.overall, items])
    return drill


def _two_weeks(station_ids, lo, hi, advisor_id) -> Drill:
    """The complaints behind 两周结案率: received in the period and at least 14 days old (the denominator), each
    marked whether it was closed within its 14 days (the numerator)."""
    qs = Complaint.objects.filter(
        station_id__in=station_ids, received_at__gte=lo, received_at__lt=min(hi, timezone.now() - TWO_WEEKS)
    )
    if advisor_id:
        qs = qs.filter(staff_involved_id=advisor_id)
    drill = Drill(
        title=_("Complaints received 14 days ago or earlier, and whether each was closed within 14 days"),
        headers=[_("number"), _("received at"), _("category"), _("subject"), _("staff involved"), _("state"),
                 _("closed at"), _("closed within 14 days")],
    )
    for c in qs.select_related("staff_involved").order_by("received_at")[:LIMIT]:
        in_time = bool(c.closed_at and c.closed_at <= c.received_at + TWO_WEEKS)
        drill.rows.append([
            c.number, _dt(c.received_at), c.get_category_display(), c.subject, str(c.staff_involved or ""),
            c.get_state_display(), _dt(c.closed_at), _("yes") if in_time else _("no"),
        ])
    return drill


def _win_back_outcomes(station_ids, month) -> dict[int, str]:
    """The latest win-back call outcome of the month per customer (the rule's own rows)."""
    return {r.customer_id: r.outcome for r in win_back_results(station_ids, month, month)}


def _lost_customers(station_ids, period: Period) -> Drill:
    """The customers behind 客户流失率: for each month whose 1st is in the period, the customers of its cohort month
    (N−7) who did not come back in the six months after, with their last visit in the cohort month and the month's
    win-back call. Those a win-back call reached who sold the car or moved away are listed again apart below: they
    stay in the figure (its definition does not change), but a manager sees they were not lost to service."""
    drill = Drill(
        title=_("Lost customers: a visit in month N−7 and none in the six months after"),
        headers=[_("month of the figure"), _("cohort month"), _("customer"), _("mobile"),
                 _("last visit in the cohort month"), _("win-back call")],
    )
    gone = Drill(title=_("Of them, reached by a win-back call: sold the car or moved away (still counted lost)"),
                 headers=drill.headers)
    labels = dict(RetentionCall.Outcome.choices)
    month = period.start if period.start.day == 1 else add_months(period.start, 1)
    while month <= period.end and len(drill.rows) < LIMIT:
        _cohort, lost = lost_customers(station_ids, month)
        last = {row["customer_id"]: row["at"] for row in lost.values("customer_id").annotate(at=Max("opened_at"))
                .order_by()}
        outcomes = _win_back_outcomes(station_ids, month)
        for customer in Customer.objects.filter(pk__in=list(last)).order_by("name")[: LIMIT - len(drill.rows)]:
            outcome = outcomes.get(customer.pk, "")
            row = [f"{month:%Y-%m}", f"{add_months(month, -7):%Y-%m}", customer.name, customer.mobile,
                   _dt(last[customer.pk]), str(labels.get(outcome, ""))]
            drill.rows.append(row)
            if outcome in GONE:
                gone.rows.append(row)
        month = add_months(month, 1)
    drill.truncated = len(drill.rows) >= LIMIT
    drill.aside = gone
    return drill


def _won_back(station_ids, period: Period) -> Drill:
    """The lost customers called from the win-back list in the period (on the day of the month's first call), each
    with the month's latest outcome and the visit that won them back, if any."""
    results = [r for r in win_back_results(station_ids, period.start, period.end)
               if period.start <= timezone.localdate(r.first_call_at) <= period.end]
    people = {pk: (name, mobile) for pk, name, mobile in Customer.objects.filter(
        pk__in={r.customer_id for r in results}).values_list("pk", "name", "mobile")}
    labels = dict(RetentionCall.Outcome.choices)
    drill = Drill(
        title=_("Lost customers called from the win-back list, and whether they came back after the call"),
        headers=[_("month of the call"), _("customer"), _("mobile"), _("first call"), _("outcome"),
                 _("came back (visit opened)"), _("won back")],
        truncated=len(results) > LIMIT,
    )
    for r in sorted(results, key=lambda r: r.first_call_at)[:LIMIT]:
        name, mobile = people.get(r.customer_id, ("", ""))
        drill.rows.append([f"{r.month:%Y-%m}", name, mobile,
                           _dt(r.first_call_at), str(labels.get(r.outcome, r.outcome)), _dt(r.back_at),
                           _("yes") if r.back_at else _("no")])
    return drill


def _servqual(station_ids, lo, hi, dimension: str, advisor_id) -> Drill:
    """The survey answers behind one SERVQUAL gap: those of the dimension with both a perception and an expectation."""
    qs = SurveyAnswer.objects.filter(
        response__station_id__in=station_ids, response__at__gte=lo, response__at__lt=hi, dimension=dimension,
        expectation__isnull=False,
    ).select_related("response__customer", "response__order").order_by("response__at", "pk")
    if advisor_id:
        qs = qs.filter(response__order__advisor_id=advisor_id)
    drill = Drill(
        title=_("Survey answers with a perception and an expectation"),
        headers=[_("at"), _("customer"), _("order number"), _("dimension"), _("perception"), _("expectation"),
                 _("gap")],
    )
    for a in qs[:LIMIT]:
        r = a.response
        drill.rows.append([_dt(r.at), str(r.customer), r.order.number if r.order else "", a.get_dimension_display(),
                           a.perception, a.expectation, a.perception - a.expectation])
    return drill


def _purchases(station_ids, lo, hi) -> Drill:
    """The goods receipts of genuine parts behind the purchases figure, at the receipt's unit cost."""
    qs = genuine_receipts(station_ids, lo, hi).select_related("part", "warehouse").order_by("at", "pk")
    drill = Drill(
        title=_("Genuine parts received"),
        headers=[_("received at"), _("reference"), _("warehouse"), _("part number"), _("part"), _("quantity"),
                 _("unit cost"), _("value at cost")],
    )
    for m in qs[:LIMIT]:
        drill.rows.append([_dt(m.at), m.reference, str(m.warehouse), m.part.part_number, m.part.name_zh, m.quantity,
                           m.unit_cost, (m.quantity * m.unit_cost).quantize(Decimal("0.01"))])
    return drill


def _stock(station_ids, hi) -> Drill:
    """The parts behind the stock value: on hand at the end of the period (or now), per warehouse, valued at the
    part's moving-average cost of that day — the same snapshot the rollup takes each day, so the rows add up to the last day's
    stock value (the figure on the board is the average of the days' snapshots)."""
    end = min(hi, timezone.now())
    before = StockMove.objects.filter(station_id__in=station_ids, at__lt=end)
    if connection.vendor == "postgresql":  # DISTINCT ON: the last move per warehouse and part
        last = list(before.order_by("warehouse_id", "part_id", "-at", "-id").distinct("warehouse_id", "part_id")
                    .values_list("pk", flat=True))
    else:  # elsewhere (SQLite quick start): replay the moves in order, keeping the last per warehouse and part
        latest: dict[tuple[int, int], int] = {}
        for pk, warehouse_id, part_id in before.order_by("at", "id").values_list("pk", "warehouse_id", "part_id"):
            latest[(warehouse_id, part_id)] = pk
        last = list(latest.values())
    moves = StockMove.objects.filter(pk__in=last, balance_after__gt=0).select_related("part", "warehouse")
    costs = part_costs_at(station_ids, end)  # the day's cost, as in the snapshot
    rows = sorted(moves, key=lambda m: (-(m.balance_after * costs[m.part_id]), m.part.part_number))
    drill = Drill(
        title=_("Stock on hand at the end of the period, at cost"),
        headers=[_("part number"), _("part"), _("warehouse"), _("on hand"), _("cost (moving average)"),
                 _("value at cost"), _("last move")],
        truncated=len(rows) > LIMIT,
    )
    for m in rows[:LIMIT]:
        cost = costs[m.part_id]
        drill.rows.append([m.part.part_number, m.part.name_zh, str(m.warehouse), m.balance_after, cost,
                           (m.balance_after * cost).quantize(Decimal("0.01")), _dt(m.at)])
    return drill


def daily_rows(kpi: Kpi, station_ids: list[int], period: Period) -> tuple[list[str], list[list]]:
    """Per day: the numerator, the denominator and the figure — the arithmetic behind the period's value. A figure
    over the trailing 12 months (turnover) lists the days of those months."""
    if kpi.trailing_year:
        period = trailing_year(period.shown_end)
    rows = (
        StationDay.objects.filter(station_id__in=station_ids, day__gte=period.start, day__lte=period.end)
        .values("day").annotate(**{m: Sum(m) for m in MEASURES}).order_by("day")
    )
    headers = [_("day"), _("numerator"), _("denominator"), str(kpi.label)]
    out = []
    for row in rows:
        day = row.pop("day")
        t = Totals(row)
        t["days"] = Decimal(1)
        t.update({f"ttm_{m}": t[m] for m in TRAILING_MEASURES})
        num, den = kpi.parts(t)
        out.append([day.isoformat(), num, "" if den is None else den, export_cell(kpi, kpi.value(t))])
    return headers, out
