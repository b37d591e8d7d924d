"""Customer retention in the demo, through the services: grading rules and grades, insurance expiry dates on part of
the fleet, and customer care's first calls from the due-for-service, win-back and insurance-renewal lists.

A station that already has retention calls is left alone (a second run changes nothing).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from complaints import retention_selectors as lists
from complaints.models import RetentionCall
from complaints.services.reminders import insurance_remind
from complaints.services.retention import retention_call_record
from demo import data as D
from demo.base import DemoContext, rng_for
from demo.complaints import caller
from org.models import Position
from reception.models import Vehicle
from reception.services.customers import vehicle_update
from reception.services.grading import customers_regrade, grading_rules_update

# The demo holds half a year of visits: shorter months than a real station's so every grade shows.
RULES = {"window_months": 6, "vip_visits": 3, "vip_spend": Decimal("6000"), "at_risk_months": 4, "lost_months": 7}
SERVICE_OUTCOMES = ["booked", "reached", "unreachable", "not_interested", "booked", "unreachable"]
WIN_BACK_OUTCOMES = ["unreachable", "not_interested", "booked", "reached"]
INSURANCE_OUTCOMES = ["renewed_here", "unreachable", "renewed_elsewhere", "not_interested", "renewed_here"]
NOTES = ["", "", "周末再打", "车主在外地", "已加微信"]


def seed_retention(ctx: DemoContext) -> None:
    for station in ctx.stations:
        if RetentionCall.objects.filter(station=station).exists():
            continue
        with transaction.atomic():
            _station(ctx, station)


def _station(ctx: DemoContext, station) -> None:
    rng = rng_for("retention", station.code)
    manager = ctx.first(station, Position.STATION_MANAGER)
    grading_rules_update(station=station, by=manager, **RULES)
    customers_regrade(station=station)
    clerk = ctx.first(station, Position.RECEPTIONIST, Position.SERVICE_ADVISOR)
    today = timezone.localdate()
    for vehicle in Vehicle.objects.filter(station=station, owner__isnull=False).order_by("pk")[::3]:
        vehicle_update(vehicle=vehicle, by=clerk, insurance_expiry=today + timedelta(days=rng.randrange(-20, 345)),
                       insurer=rng.choice(D.INSURERS))
    care = caller(ctx, station)
    for i, vehicle in enumerate(list(lists.due_for_service(station).order_by("pk")[:len(SERVICE_OUTCOMES)])):
        retention_call_record(kind="service", by=care, vehicle=vehicle, outcome=SERVICE_OUTCOMES[i],
                              note=rng.choice(NOTES))
    for i, customer in enumerate(list(lists.win_back(station).order_by("pk")[:len(WIN_BACK_OUTCOMES)])):
        retention_call_record(kind="win_back", by=care, customer=customer, outcome=WIN_BACK_OUTCOMES[i],
                              note=rng.choice(NOTES))
    due = list(lists.insurance_due(station, days=30).order_by("insurance_expiry", "pk"))
    for i, vehicle in enumerate(due[:len(INSURANCE_OUTCOMES)]):
        retention_call_record(kind="insurance", by=care, vehicle=vehicle, outcome=INSURANCE_OUTCOMES[i],
                              note=rng.choice(NOTES))
    for vehicle in due[len(INSURANCE_OUTCOMES):len(INSURANCE_OUTCOMES) + 3]:
        insurance_remind(vehicle=vehicle)
