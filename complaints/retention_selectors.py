"""Reads for the retention lists (due for service, win-back, insurance renewal) of one station.

Each list is a queryset for ``core.paging.keyset_page``: the latest call outcome comes as an annotation (a subquery
per page row, not a query per row), so a page costs the same at any size of the station.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from complaints.models import RetentionCall
from complaints.services.complaints import care_settings
from org.models import Station
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


def win_back(station: Station) -> QuerySet[Customer]:
    """The station's customers graded lost or at risk, with the latest win-back call."""
    last = WorkOrder.objects.filter(customer=OuterRef("pk"), status=WorkOrder.Status.DELIVERED).order_by(
        "-delivered_at")
    return (
        Customer.objects.filter(station=station, grade__in=["lost", "at_risk"])
        .annotate(last_visit=Subquery(last.values("delivered_at")[:1]))
        .annotate(**_latest(K.WIN_BACK, customer=OuterRef("pk")))
    )


def insurance_due(station: Station, *, days: int, today: date | None = None) -> QuerySet[Vehicle]:
    """Vehicles whose insurance runs out within ``days`` (from today), with the latest call about that expiry."""
    today = today or timezone.localdate()
    return (
        Vehicle.objects.filter(station=station, owner__isnull=False, insurance_expiry__gte=today,
                               insurance_expiry__lte=today + timedelta(days=days))
        .annotate(**_latest(K.INSURANCE, vehicle=OuterRef("pk"), insurance_expiry=OuterRef("insurance_expiry")))
        .select_related("owner")
    )
