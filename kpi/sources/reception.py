"""Reception's measures: orders in and out, on-time delivery, sales and costs by payer and kind, appointments kept,
and the monthly customer loss. Money is computed with reception's own rounding (``reception.services.pricing``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from kpi.sources.base import ONE, ZERO, Sink, add_months, local_day, station_settings
from reception.customer_loss import lost_customers
from reception.models import Appointment, WorkOrder, WorkOrderLine
from reception.services.pricing import line_amount


def orders_in(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
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
    return WorkOrder.objects.filter(
        station_id__in=station_ids, status=WorkOrder.Status.DELIVERED, delivered_at__gte=lo, delivered_at__lt=hi
    )


def delivered(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
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


def _adder(sink: Sink, o: dict) -> Callable[[str, Decimal], None]:
    def add(measure: str, value) -> None:
        sink.add(o["station_id"], o["day"], measure, value, advisor=o["advisor_id"])

    return add


def appointments(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """Show rate: appointments booked for the day (not cancelled) and those that arrived."""
    rows = Appointment.objects.filter(station_id__in=list(station_ids), start__gte=lo, start__lt=hi).exclude(
        status="cancelled"
    ).values("station_id", "start", "advisor_id", "status", "arrived_at")
    for row in rows:
        day = local_day(row["start"])
        sink.add(row["station_id"], day, "appointments_booked", ONE, advisor=row["advisor_id"])
        if row["status"] == "arrived" or row["arrived_at"]:
            sink.add(row["station_id"], day, "appointments_arrived", ONE, advisor=row["advisor_id"])


def customer_loss(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
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
    month = day if day.day == 1 else add_months(day, 1)
    while month <= last:
        cohort, lost = lost_customers(station_ids, month)
        for row in cohort.values("station_id").annotate(n=Count("customer_id", distinct=True)).order_by():
            sink.add(row["station_id"], month, "customers_cohort", row["n"])
        for row in lost.values("station_id").annotate(n=Count("customer_id", distinct=True)).order_by():
            sink.add(row["station_id"], month, "customers_lost", row["n"])
        month = add_months(month, 1)
