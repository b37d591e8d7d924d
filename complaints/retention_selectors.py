"""Reads for the retention lists (due for service, win-back, insurance renewal) of one station, and the rule of
"won back" (``win_back_results``).

Each list is a queryset for ``core.paging.keyset_page``: the latest call outcome comes as an annotation (a subquery
per page row, not a query per row), so a page costs the same at any size of the station.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from complaints.models import RetentionCall
from complaints.services.complaints import care_settings
from org.models import Station
from reception.customer_loss import add_months, day_start, lost_customers, month_start, visits
from reception.models import Customer, Vehicle, WorkOrder

K, Out = RetentionCall.Kind, RetentionCall.Outcome
DONE = [Out.BOOKED, Out.NOT_INTERESTED]  # a due vehicle called with this outcome since its last visit leaves the list


def _latest(kind: str, **match):
    calls = RetentionCall.objects.filter(kind=kind, **match).order_by("-at", "-pk")
    return {"call_outcome": Subquery(calls.values("outcome")[:1]), "call_at": Subquery(calls.values("at")[:1]),
            "call_note": Subquery(calls.values("note")[:1])}


def due_for_service(station: Station, *, today: date | None = None) -> QuerySet[Vehicle]:
    """Vehicles of the station due for maintenance by the care settings (the rule of the automatic reminders: the
    interval since the last delivered visit less the notice, or the mileage interval passed), not yet booked or
    declined since that visit."""
    today = today or timezone.localdate()
    conf = care_settings(station)
    last = WorkOrder.objects.filter(vehicle=OuterRef("pk"), status=WorkOrder.Status.DELIVERED).order_by(
        "-delivered_at", "-pk")
    cutoff = today - timedelta(days=conf.maintenance_interval_days - conf.maintenance_notice_days)
    done_since = RetentionCall.objects.filter(kind=K.SERVICE, vehicle=OuterRef("pk"), outcome__in=DONE,
                                              at__gte=OuterRef("last_delivered"))
    return (
        Vehicle.objects.filter(station=station, owner__isnull=False)
        .annotate(last_delivered=Subquery(last.values("delivered_at")[:1]),
                  last_km=Coalesce(Subquery(last.values("mileage_in")[:1]), 0))
        .filter(last_delivered__isnull=False)
        .filter(Q(last_delivered__date__lte=cutoff) | Q(mileage__gte=F("last_km") + conf.maintenance_interval_km))
        .exclude(pk__in=Subquery(done_since.values("vehicle_id")))
        .annotate(**_latest(K.SERVICE, vehicle=OuterRef("pk")))
        .select_related("owner")
    )


def win_back(station: Station, *, month: date | None = None) -> QuerySet[Customer]:
    """The station's lost customers of the 客户流失率 figure of ``month`` (its 1st; default this month) — the rule of
    ``reception.customer_loss``, not the grades — with their last visit, the latest win-back call of that month and
    whether they came back: a visit opened after the month's first win-back call (``back_at``)."""
    month = month or month_start(timezone.localdate())
    _cohort, lost = lost_customers([station.pk], month)
    since = day_start(month)
    mine = visits().filter(station=station, customer=OuterRef("pk"))
    first_call = RetentionCall.objects.filter(kind=K.WIN_BACK, customer=OuterRef("pk"), at__gte=since,
                                              at__lt=day_start(add_months(month, 1))).order_by("at", "pk")
    return (
        Customer.objects.filter(station=station, pk__in=lost.values("customer_id"))
        .annotate(last_visit=Subquery(mine.order_by("-opened_at").values("opened_at")[:1]),
                  first_call_at=Subquery(first_call.values("at")[:1]))
        .annotate(back_at=Subquery(mine.filter(opened_at__gt=OuterRef("first_call_at")).order_by("opened_at")
                                   .values("opened_at")[:1]))
        .annotate(**_latest(K.WIN_BACK, customer=OuterRef("pk"), at__gte=since,
                            at__lt=day_start(add_months(month, 1))))
    )


@dataclass(frozen=True)
class WinBack:
    """One lost customer called from the win-back list in a month: the first call of that month, the latest outcome
    of the month, and the first visit opened after that first call (None: not won back)."""

    month: date
    station_id: int
    customer_id: int
    first_call_at: datetime
    outcome: str
    back_at: datetime | None


def win_back_results(station_ids: Iterable[int], start: date, end: date) -> list[WinBack]:
    """The one rule of "won back" (kpi's 流失客户召回率 and its drill-down read it): for each month from ``start``'s to
    ``end``'s, the lost customers of that month (``reception.customer_loss``) with a win-back call in it, and whether
    a visit at the station followed the month's first call. A few queries per month, none per customer."""
    station_ids = list(station_ids)
    out: list[WinBack] = []
    month = month_start(start)
    while month <= end:
        _cohort, lost = lost_customers(station_ids, month)
        calls = list(
            RetentionCall.objects.filter(kind=K.WIN_BACK, station_id__in=station_ids, at__gte=day_start(month),
                                         at__lt=day_start(add_months(month, 1)),
                                         customer_id__in=lost.values("customer_id"))
            .order_by("at", "pk").values_list("station_id", "customer_id", "at", "outcome")
        )
        first: dict[tuple[int, int], list] = {}
        for station_id, customer_id, at, outcome in calls:
            row = first.setdefault((station_id, customer_id), [at, outcome])
            row[1] = outcome  # the latest of the month
        back: dict[tuple[int, int], datetime] = {}
        if first:
            later = visits().filter(station_id__in=station_ids, customer_id__in={c for _s, c in first},
                                    opened_at__gte=day_start(month)).order_by("opened_at")
            for station_id, customer_id, opened_at in later.values_list("station_id", "customer_id", "opened_at"):
                key = (station_id, customer_id)
                if key in first and opened_at > first[key][0] and key not in back:
                    back[key] = opened_at
        out += [WinBack(month, s, c, at, outcome, back.get((s, c))) for (s, c), (at, outcome) in first.items()]
        month = add_months(month, 1)
    return out


def insurance_due(station: Station, *, days: int, today: date | None = None) -> QuerySet[Vehicle]:
    """Vehicles whose insurance runs out within ``days`` (from today), with the latest call about that expiry."""
    today = today or timezone.localdate()
    return (
        Vehicle.objects.filter(station=station, owner__isnull=False, insurance_expiry__gte=today,
                               insurance_expiry__lte=today + timedelta(days=days))
        .annotate(**_latest(K.INSURANCE, vehicle=OuterRef("pk"), insurance_expiry=OuterRef("insurance_expiry")))
        .select_related("owner")
    )
