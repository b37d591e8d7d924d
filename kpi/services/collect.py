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
            add("cost_labour", (Decimal(hours) * unit_cost).quantize(Decimal("0.01")))
        elif kind == "part":
            add("sales_parts", amount)
            add("cost_parts", (Decimal(quantity) * unit_cost).quantize(Decimal("0.01")))
        else:
            add("sales_sublet", amount)


def _adder(sink: _Sink, o: dict) -> Callable[[str, Decimal], None]:
    def add(measure: str, value) -> None:
        sink.add(o["station_id"], o["day"], measure, value, advisor=o["advisor_id"])

    return add


# Sources in order; later apps add theirs to this list as their models land.
SOURCES: list[Callable[[_Sink, Iterable[int], datetime, datetime], None]] = [_orders_in, _delivered]


def collect(*, station_ids: Iterable[int], start: date, end: date) -> Facts:
    station_ids = list(station_ids)
    lo, hi = day_bounds(start, end)
    sink = _Sink()
    for source in SOURCES:
        source(sink, station_ids, lo, hi)
    return sink.facts
