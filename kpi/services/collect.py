"""Compute the additive measures of ``kpi.models.MEASURES`` from the other apps' records, per local day.

``collect(station_ids=, start=, end=)`` returns ``{(grain, station_id, subject_id, day): {measure: Decimal}}`` with
``grain`` one of ``station``/``advisor``/``technician`` (``subject_id`` 0 for the station). It reads only; the rollup
(``kpi.services.rollup``) stores the result, and the live comparison in the benchmark sums it directly.

Each source is one function; a source whose app has no models yet is skipped (its measures stay 0 and the KPIs
built on them show "—"). Money is computed with reception's own rounding (``reception.services.pricing``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.apps import apps
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from reception.services.pricing import line_amount

STATION, ADVISOR, TECHNICIAN = "station", "advisor", "technician"
ZERO = Decimal("0")
ONE = Decimal("1")

Key = tuple[str, int, int, date]
Facts = dict[Key, dict[str, Decimal]]


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in the station's (project) time zone."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


def local_day(value: datetime) -> date:
    return timezone.localtime(value).date()


class _Sink:
    def __init__(self) -> None:
        self.facts: Facts = defaultdict(lambda: defaultdict(lambda: ZERO))

    def add(self, station_id: int, day: date, measure: str, value, *, advisor: int | None = None,
            technician: int | None = None) -> None:
        value = Decimal(value)
        self.facts[(STATION, station_id, 0, day)][measure] += value
        if advisor:
            self.facts[(ADVISOR, station_id, advisor, day)][measure] += value
        if technician:
            self.facts[(TECHNICIAN, station_id, technician, day)][measure] += value


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def station_settings(station_ids: Iterable[int]) -> dict[int, object]:
    """Each station's ``KpiSettings`` (defaults when none saved)."""
    from kpi.models import KpiSettings

    saved = {k.station_id: k for k in KpiSettings.objects.filter(station_id__in=list(station_ids))}
    return {sid: saved.get(sid) or KpiSettings(station_id=sid) for sid in station_ids}


def _orders_in(sink: _Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    from reception.models import WorkOrder

    tz = timezone.get_current_timezone()
    rows = (
        WorkOrder.objects.filter(station_id__in=station_ids, opened_at__gte=lo, opened_at__lt=hi)
        .exclude(status__in=[WorkOrder.Status.DRAFT, WorkOrder.Status.CANCELLED])
        .annotate(d=TruncDate("opened_at", tzinfo=tz))
        .values("station_id", "advisor_id", "d", "is_walk_in")
        .annotate(n=Count("id"))
    )
    for row in rows:
        sink.add(row["station_id"], row["d"], "orders_in", row["n"], advisor=row["advisor_id"])
        if not row["is_walk_in"]:
            sink.add(row["station_id"], row["d"], "arrivals_with_appointment", row["n"], advisor=row["advisor_id"])


def delivered_orders(station_ids: Iterable[int], lo: datetime, hi: datetime):
    from reception.models import WorkOrder

    return WorkOrder.objects.filter(
        station_id__in=station_ids, status=WorkOrder.Status.DELIVERED, delivered_at__gte=lo, delivered_at__lt=hi
    )


def _delivered(sink: _Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    from reception.models import WorkOrderLine

    orders = {
        o["id"]: o
        for o in delivered_orders(station_ids, lo, hi).values(
            "id", "station_id", "advisor_id", "delivered_at", "promised_at_signed"
        )
    }
    for o in orders.values():
        o["day"] = local_day(o["delivered_at"])
        sink.add(o["station_id"], o["day"], "orders_out", ONE, advisor=o["advisor_id"])
        if o["promised_at_signed"] and o["delivered_at"] <= o["promised_at_signed"]:
            sink.add(o["station_id"], o["day"], "on_time", ONE, advisor=o["advisor_id"])
    if not orders:
        return
    hourly = {sid: k.technician_hourly_cost for sid, k in station_settings(station_ids).items()}
    lines = WorkOrderLine.objects.filter(
        order_id__in=list(orders), approval=WorkOrderLine.Approval.APPROVED
    ).values_list("order_id", "kind", "payer", "quantity", "hours", "unit_price", "unit_cost", "discount_pct")
    for order_id, kind, payer, quantity, hours, unit_price, unit_cost, discount_pct in lines.iterator(chunk_size=5000):
        o = orders[order_id]
        add = _adder(sink, o)
        amount = line_amount(kind=kind, quantity=quantity, hours=hours, unit_price=unit_price, discount_pct=discount_pct)
        add(f"sales_{payer}", amount)
        if kind == "labour":
            add("sales_labour", amount)
            add(f"labour_{payer}", amount)
            add("hours_sold", hours)
            add(f"hours_{payer}", hours)
            # the line's own cost, else the station's technician cost per sold hour
            rate = unit_cost or hourly.get(o["station_id"], ZERO)
            add("cost_labour", (Decimal(hours) * rate).quantize(Decimal("0.01")))
        elif kind == "part":
            add("sales_parts", amount)
            add("cost_parts", (Decimal(quantity) * unit_cost).quantize(Decimal("0.01")))
        else:
            add("sales_sublet", amount)


def _adder(sink: _Sink, o: dict) -> Callable[[str, Decimal], None]:
    def add(measure: str, value) -> None:
        sink.add(o["station_id"], o["day"], measure, value, advisor=o["advisor_id"])

    return add


SFU_WINDOW = timedelta(days=3)  # kpi-definitions.md default; per station in KpiSettings.followup_window_days


def _followups(sink: _Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """SFU: delivered orders with a call attempted / the customer reached within the window (by delivery day)."""
    CallAttempt = _model("complaints.CallAttempt")
    if CallAttempt is None:
        return
    from django.db.models import Exists, F, OuterRef

    rows = []
    for station_id, config in station_settings(station_ids).items():
        window = timedelta(days=config.followup_window_days)
        within = CallAttempt.objects.filter(call__order_id=OuterRef("pk"), at__lte=F("call__order__delivered_at") + window)
        rows += delivered_orders([station_id], lo, hi).annotate(
            attempted=Exists(within), reached=Exists(within.filter(outcome="reached"))
        ).filter(attempted=True).values("station_id", "advisor_id", "delivered_at", "reached")
    for row in rows:
        day = local_day(row["delivered_at"])
        sink.add(row["station_id"], day, "followups_attempted", ONE, advisor=row["advisor_id"])
        if row["reached"]:
            sink.add(row["station_id"], day, "followups_reached", ONE, advisor=row["advisor_id"])


def _surveys(sink: _Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """CSI: top box of the overall question; every item (overall + SERVQUAL perceptions) rescaled 1–5 → 0–100."""
    SurveyResponse = _model("complaints.SurveyResponse")
    if SurveyResponse is None:
        return
    responses = SurveyResponse.objects.filter(station_id__in=station_ids, at__gte=lo, at__lt=hi).values(
        "id", "station_id", "at", "overall", "order__advisor_id"
    )
    by_id = {}
    for r in responses:
        day = local_day(r["at"])
        advisor = r["order__advisor_id"]
        by_id[r["id"]] = (r["station_id"], day, advisor)
        sink.add(r["station_id"], day, "csi_overall_answers", ONE, advisor=advisor)
        if r["overall"] == 5:
            sink.add(r["station_id"], day, "csi_top_box", ONE, advisor=advisor)
        sink.add(r["station_id"], day, "csi_item_answers", ONE, advisor=advisor)
        sink.add(r["station_id"], day, "csi_item_points", (r["overall"] - 1) * 25, advisor=advisor)
    if not by_id:
        return
    SurveyAnswer = _model("complaints.SurveyAnswer")
    for response_id, perception in SurveyAnswer.objects.filter(response_id__in=list(by_id)).values_list(
        "response_id", "perception"
    ):
        station_id, day, advisor = by_id[response_id]
        sink.add(station_id, day, "csi_item_answers", ONE, advisor=advisor)
        sink.add(station_id, day, "csi_item_points", (perception - 1) * 25, advisor=advisor)


def _complaints(sink: _Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """Complaints received (advisor: the staff member involved), and those due in the period closed in time."""
    Complaint = _model("complaints.Complaint")
    if Complaint is None:
        return
    base = Complaint.objects.filter(station_id__in=station_ids)
    for row in base.filter(received_at__gte=lo, received_at__lt=hi).values("station_id", "received_at", "staff_involved_id"):
        sink.add(row["station_id"], local_day(row["received_at"]), "complaints_received", ONE,
                 advisor=row["staff_involved_id"])
    for row in base.filter(resolution_due__gte=lo, resolution_due__lt=hi).values(
        "station_id", "resolution_due", "closed_at", "staff_involved_id"
    ):
        day = local_day(row["resolution_due"])
        sink.add(row["station_id"], day, "complaints_due", ONE, advisor=row["staff_involved_id"])
        if row["closed_at"] and row["closed_at"] <= row["resolution_due"]:
            sink.add(row["station_id"], day, "complaints_closed_in_time", ONE, advisor=row["staff_involved_id"])


def _first_fill(sink: _Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """First-fill: part lines requested on the day, and those filled from stock at that moment (by line)."""
    DemandLine = _model("parts.DemandLine")
    if DemandLine is None:
        return
    rows = DemandLine.objects.filter(station_id__in=station_ids, requested_at__gte=lo, requested_at__lt=hi).values(
        "station_id", "requested_at", "filled_from_stock", "line__order__advisor_id"
    )
    for row in rows:
        day = local_day(row["requested_at"])
        advisor = row["line__order__advisor_id"]
        sink.add(row["station_id"], day, "part_lines_requested", ONE, advisor=advisor)
        if row["filled_from_stock"]:
            sink.add(row["station_id"], day, "part_lines_filled", ONE, advisor=advisor)


OBSOLETE_MONTHS = 12  # kpi-definitions.md default; per station in KpiSettings.obsolete_months


def _stock(sink: _Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """Cost of parts issued (issues less returns), and an end-of-day stock snapshot: value at the part's current
    moving-average cost, and the obsolete part of it (no issue — or, never issued, no move at all — in 12 months).
    Snapshots are taken only for days that have ended or are today."""
    StockMove = _model("parts.StockMove")
    if StockMove is None:
        return
    from django.db import connection

    station_ids = list(station_ids)
    for row in StockMove.objects.filter(
        station_id__in=station_ids, at__gte=lo, at__lt=hi, kind__in=["issue", "return"]
    ).values("station_id", "at", "quantity", "unit_cost"):
        sink.add(row["station_id"], local_day(row["at"]), "parts_issued_cost",
                 (-row["quantity"] * row["unit_cost"]).quantize(Decimal("0.01")))
    moves = StockMove._meta.db_table
    parts = _model("parts.Part")._meta.db_table
    sql = f"""
        WITH last AS (
            SELECT DISTINCT ON (m.warehouse_id, m.part_id) m.station_id, m.part_id, m.balance_after
            FROM {moves} m WHERE m.station_id = ANY(%(ids)s) AND m.at < %(end)s
            ORDER BY m.warehouse_id, m.part_id, m.at DESC, m.id DESC
        ), activity AS (
            SELECT part_id, COALESCE(MAX(at) FILTER (WHERE kind = 'issue'), MIN(at)) AS since
            FROM {moves} WHERE station_id = ANY(%(ids)s) AND at < %(end)s GROUP BY part_id
        )
        SELECT last.station_id, COALESCE(SUM(last.balance_after * p.cost), 0),
               COALESCE(SUM(CASE WHEN a.since < %(stale)s THEN last.balance_after * p.cost ELSE 0 END), 0)
        FROM last JOIN {parts} p ON p.id = last.part_id JOIN activity a ON a.part_id = last.part_id
        WHERE last.balance_after > 0 GROUP BY last.station_id
    """
    by_months: dict[int, list[int]] = defaultdict(list)
    for station_id, config in station_settings(station_ids).items():
        by_months[config.obsolete_months].append(station_id)
    tz = timezone.get_current_timezone()
    day, last_day = local_day(lo), min(local_day(hi - timedelta(microseconds=1)), timezone.localdate())
    if connection.vendor != "postgresql":
        from kpi.services.stock_portable import stock_snapshots

        months = {sid: m for m, ids in by_months.items() for sid in ids}
        stock_snapshots(sink=sink, station_ids=station_ids, first_day=day, last_day=last_day,
                        months_by_station=months, local_day=local_day)
        return
    with connection.cursor() as cursor:
        while day <= last_day:
            end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tz)
            for months, ids in by_months.items():
                stale = end - timedelta(days=round(months * 30.4375))
                cursor.execute(sql, {"ids": ids, "end": end, "stale": stale})
                for station_id, value, obsolete in cursor.fetchall():
                    sink.add(station_id, day, "stock_value", Decimal(value).quantize(Decimal("0.01")))
                    sink.add(station_id, day, "obsolete_value", Decimal(obsolete).quantize(Decimal("0.01")))
            for station_id in station_ids:
                sink.add(station_id, day, "stock_days", ONE)
            day += timedelta(days=1)


def _seconds(a: datetime, b: datetime) -> int:
    return max(0, int((b - a).total_seconds()))


def _hours(seconds: int) -> Decimal:
    return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"))


def _workshop(sink: _Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """Technicians: hours attended (shifts), clocked (job clock, split at midnight), and for the jobs they finished
    on the day (their last clock-off on the line) the line's sold hours shared between the technicians who worked
    on it, and their own clocked hours on it. The same rules as ``workshop.selectors.technician_hours``."""
    ClockEntry = _model("workshop.ClockEntry")
    if ClockEntry is None:
        return
    from django.db.models import Max, Q

    from reception.models import WorkOrderLine

    Attendance = _model("workshop.Attendance")
    station_ids = list(station_ids)
    now = timezone.now()
    tz = timezone.get_current_timezone()
    for a in Attendance.objects.filter(station_id__in=station_ids, day__gte=local_day(lo),
                                       day__lt=local_day(hi), started_at__isnull=False):
        sink.add(a.station_id, a.day, "hours_attended", _hours(_seconds(a.started_at, a.ended_at or now)),
                 technician=a.technician_id)
    # hours clocked, cut at local midnight
    clocked: dict[tuple[int, int, date], int] = defaultdict(int)
    entries = ClockEntry.objects.filter(station_id__in=station_ids, started_at__lt=hi).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=lo)
    ).values_list("station_id", "technician_id", "started_at", "ended_at")
    for station_id, tech, started, ended in entries:
        start, stop = max(started, lo), min(ended or now, hi)
        while start < stop:
            day = local_day(start)
            midnight = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tz)
            clocked[(station_id, tech, day)] += _seconds(start, min(stop, midnight))
            start = midnight
    for (station_id, tech, day), seconds in clocked.items():
        sink.add(station_id, day, "hours_clocked", _hours(seconds), technician=tech)
    # jobs finished: the technician's last clock-off on the line falls on the day
    off_today = ClockEntry.objects.filter(
        station_id__in=station_ids, end="off", ended_at__gte=lo, ended_at__lt=hi
    ).values("line_id")
    finished = (
        ClockEntry.objects.filter(end="off", line_id__in=off_today)
        .values("line_id", "technician_id")
        .annotate(last_off=Max("ended_at"))
        .filter(last_off__gte=lo, last_off__lt=hi)
    )
    finished = list(finished)
    if not finished:
        return
    line_ids = {f["line_id"] for f in finished}
    sharing: dict[int, set[int]] = defaultdict(set)
    own_seconds: dict[tuple[int, int], int] = defaultdict(int)
    for line_id, tech, started, ended in ClockEntry.objects.filter(line_id__in=line_ids).values_list(
        "line_id", "technician_id", "started_at", "ended_at"
    ):
        sharing[line_id].add(tech)
        own_seconds[(line_id, tech)] += _seconds(started, ended or now)
    lines = {
        row["id"]: row
        for row in WorkOrderLine.objects.filter(pk__in=line_ids).values("id", "hours", "order__station_id")
    }
    for f in finished:
        line = lines[f["line_id"]]
        day = local_day(f["last_off"])
        share = (Decimal(line["hours"]) / len(sharing[f["line_id"]])).quantize(Decimal("0.01"))
        sink.add(line["order__station_id"], day, "hours_sold_clocked", share, technician=f["technician_id"])
        sink.add(line["order__station_id"], day, "hours_clocked_completed",
                 _hours(own_seconds[(f["line_id"], f["technician_id"])]), technician=f["technician_id"])


def comeback_orders(station_ids: Iterable[int], lo: datetime, hi: datetime):
    """Comebacks counted against the earlier order, on the day it was delivered (FFV = 1 − these ÷ delivered)."""
    Comeback = _model("workshop.Comeback")
    return Comeback.objects.filter(
        earlier_order__station_id__in=list(station_ids), earlier_order__delivered_at__gte=lo,
        earlier_order__delivered_at__lt=hi,
    )


def _comebacks(sink: _Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    if _model("workshop.Comeback") is None:
        return
    for row in comeback_orders(station_ids, lo, hi).values(
        "earlier_order__station_id", "earlier_order__delivered_at", "earlier_order__advisor_id", "advisor_id",
        "technician_id",
    ):
        sink.add(row["earlier_order__station_id"], local_day(row["earlier_order__delivered_at"]), "comebacks", ONE,
                 advisor=row["advisor_id"] or row["earlier_order__advisor_id"], technician=row["technician_id"])


def _appointments(sink: _Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """Show rate: appointments booked for the day (not cancelled) and those that arrived."""
    Appointment = _model("reception.Appointment")
    if Appointment is None:
        return
    rows = Appointment.objects.filter(station_id__in=list(station_ids), start__gte=lo, start__lt=hi).exclude(
        status="cancelled"
    ).values("station_id", "start", "advisor_id", "status", "arrived_at")
    for row in rows:
        day = local_day(row["start"])
        sink.add(row["station_id"], day, "appointments_booked", ONE, advisor=row["advisor_id"])
        if row["status"] == "arrived" or row["arrived_at"]:
            sink.add(row["station_id"], day, "appointments_arrived", ONE, advisor=row["advisor_id"])


def _settlements(sink: _Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """Settlement accuracy: statements issued on the day, and those later corrected (credit note or supplement)."""
    Statement = _model("settlement.Statement")
    if Statement is None:
        return
    from django.db.models import Exists, OuterRef

    corrected = Statement.objects.filter(original_id=OuterRef("pk")).exclude(kind="statement")
    rows = Statement.objects.filter(
        station_id__in=list(station_ids), kind="statement", issued_at__gte=lo, issued_at__lt=hi
    ).annotate(corrected=Exists(corrected)).values("station_id", "issued_at", "order__advisor_id", "corrected")
    for row in rows:
        day = local_day(row["issued_at"])
        sink.add(row["station_id"], day, "settlements", ONE, advisor=row["order__advisor_id"])
        if row["corrected"]:
            sink.add(row["station_id"], day, "settlements_corrected", ONE, advisor=row["order__advisor_id"])


TWO_WEEKS = timedelta(days=14)


def _two_week_closure(sink: _Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """两周结案率, on the day the complaint was received: a complaint joins the denominator once its 14 days are
    over (received at or before now − 14 days), and the numerator if it was closed within those 14 days.

    A complaint younger than 14 days counts in neither, so a day's figure is final once its last complaint is 14
    days old; ``rollup_recent_days`` re-rolls the day 15 days back for that (and a complaint saved later marks its
    day dirty)."""
    Complaint = _model("complaints.Complaint")
    if Complaint is None:
        return
    matured_before = timezone.now() - TWO_WEEKS
    for row in Complaint.objects.filter(
        station_id__in=list(station_ids), received_at__gte=lo, received_at__lt=min(hi, matured_before)
    ).values("station_id", "received_at", "closed_at", "staff_involved_id"):
        day = local_day(row["received_at"])
        sink.add(row["station_id"], day, "complaints_matured", ONE, advisor=row["staff_involved_id"])
        if row["closed_at"] and row["closed_at"] <= row["received_at"] + TWO_WEEKS:
            sink.add(row["station_id"], day, "complaints_closed_14d", ONE, advisor=row["staff_involved_id"])


def _add_months(month: date, n: int) -> date:
    """The first day of the month ``n`` months after (before, if negative) ``month``."""
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def lost_customer_months(month: date) -> tuple[date, date, date]:
    """For the figure of month N (``month`` = its first day): the cohort month N−7 and the six months after it,
    [N−6, N), as (cohort start, watch start, watch end)."""
    cohort = _add_months(month, -7)
    return cohort, _add_months(month, -6), month


def lost_customers(station_ids: Iterable[int], month: date):
    """(cohort, lost): querysets of work orders per the 客户流失率 definition for month N (count their distinct
    ``customer_id`` per ``station_id``).

    A visit is a work order opened (not draft, not cancelled) at the station. The cohort is the customers with a
    visit in month N−7; the lost ones are those of them with no visit in the six months after (N−6 … N−1)."""
    from django.db.models import Exists, OuterRef

    from reception.models import WorkOrder

    cohort_start, watch_start, watch_end = lost_customer_months(month)
    tz = timezone.get_current_timezone()

    def bound(d: date) -> datetime:
        return timezone.make_aware(datetime.combine(d, time.min), tz)

    visits = WorkOrder.objects.exclude(status__in=[WorkOrder.Status.DRAFT, WorkOrder.Status.CANCELLED])
    cohort = visits.filter(
        station_id__in=list(station_ids), opened_at__gte=bound(cohort_start), opened_at__lt=bound(watch_start)
    )
    later = visits.filter(
        station_id=OuterRef("station_id"), customer_id=OuterRef("customer_id"),
        opened_at__gte=bound(watch_start), opened_at__lt=bound(watch_end),
    )
    lost = cohort.annotate(came_back=Exists(later)).filter(came_back=False)
    return cohort, lost


def _customer_loss(sink: _Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """客户流失率 is a monthly figure: it is stored on the first day of month N (cohort N−7, watched N−6 … N−1).

    Why on the 1st of N and not spread over days or in a table of its own: the cohort and the watch window are whole
    months, so the figure exists once per month; putting its numerator and denominator on one day of the day table
    keeps the summing rules intact — a month holds exactly one cohort, a quarter or a year the sum of its cohorts
    (a pooled rate, never an average of monthly rates), a region or the group the sum of the stations — and the
    month table, the exports and the drill-down need nothing special. A period without a 1st of a month (a day or a
    week inside a month) has no cohort and shows "—". On the 1st of N month N−1 has ended, so the figure is final;
    ``rollup_recent_days`` re-rolls the 1st of the current month each night to take in late edits."""
    station_ids = list(station_ids)
    day, last = local_day(lo), local_day(hi - timedelta(microseconds=1))
    month = day if day.day == 1 else _add_months(day, 1)
    while month <= last:
        cohort, lost = lost_customers(station_ids, month)
        for row in cohort.values("station_id").annotate(n=Count("customer_id", distinct=True)).order_by():
            sink.add(row["station_id"], month, "customers_cohort", row["n"])
        for row in lost.values("station_id").annotate(n=Count("customer_id", distinct=True)).order_by():
            sink.add(row["station_id"], month, "customers_lost", row["n"])
        month = _add_months(month, 1)


def _servqual(sink: _Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """SERVQUAL gap: per dimension, the sum of (perception − expectation) and the number of answers that have both,
    on the day of the survey — so the mean gap of any period is a sum over its days divided by a sum."""
    SurveyAnswer = _model("complaints.SurveyAnswer")
    if SurveyAnswer is None:
        return
    from kpi.models import SERVQUAL_DIMENSIONS

    rows = SurveyAnswer.objects.filter(
        response__station_id__in=list(station_ids), response__at__gte=lo, response__at__lt=hi,
        expectation__isnull=False, dimension__in=SERVQUAL_DIMENSIONS,
    ).values("response__station_id", "response__at", "response__order__advisor_id", "dimension", "perception",
             "expectation")
    for row in rows:
        day, advisor, dim = local_day(row["response__at"]), row["response__order__advisor_id"], row["dimension"]
        sink.add(row["response__station_id"], day, f"servqual_{dim}_gap", row["perception"] - row["expectation"],
                 advisor=advisor)
        sink.add(row["response__station_id"], day, f"servqual_{dim}_answers", ONE, advisor=advisor)


def genuine_receipts(station_ids: Iterable[int], lo: datetime, hi: datetime):
    """Goods receipts (入库) of genuine parts in [lo, hi): the purchases of 采购目标达成率.

    Read from the stock ledger (``StockMove`` of kind ``receipt``), not from ``ReceiptLine``: every purchase-order
    receipt posts exactly one such move at the receipt's unit cost (``parts.services.purchasing``), and the ledger
    also holds receipts booked without a purchase order — the same source as the stock value, so the two agree."""
    StockMove = _model("parts.StockMove")
    return StockMove.objects.filter(
        station_id__in=list(station_ids), kind="receipt", at__gte=lo, at__lt=hi, part__is_genuine=True
    )


def _purchases(sink: _Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """Genuine-parts purchases at cost (quantity received × unit cost), on the day of the receipt."""
    if _model("parts.StockMove") is None:
        return
    for row in genuine_receipts(station_ids, lo, hi).values("station_id", "at", "quantity", "unit_cost"):
        sink.add(row["station_id"], local_day(row["at"]), "purchases_genuine",
                 (row["quantity"] * row["unit_cost"]).quantize(Decimal("0.01")))


# Sources in order; each one whose app has not landed yet returns at once.
SOURCES: list[Callable[[_Sink, Iterable[int], datetime, datetime], None]] = [
    _orders_in, _delivered, _followups, _surveys, _complaints, _first_fill, _stock, _workshop, _comebacks,
    _appointments, _settlements, _two_week_closure, _customer_loss, _servqual, _purchases,
]


def collect(*, station_ids: Iterable[int], start: date, end: date) -> Facts:
    station_ids = list(station_ids)
    lo, hi = day_bounds(start, end)
    sink = _Sink()
    for source in SOURCES:
        source(sink, station_ids, lo, hi)
    return sink.facts
