"""Customer retention in the demo, through the services: grading rules and grades, insurance expiry dates on part of
the fleet, and customer care's first calls from the due-for-service, win-back and insurance-renewal lists.

The win-back list is this month's lost customers (a visit in month N−7, none since), which lies before the demo's
half year: ``seed_lost_visits`` plays a few customers' one visit there through the services before the half year
is played; then customer care calls them (every outcome once) and one who said they would come is received again,
after the call — won back.

A station that already has retention calls is left alone (a second run changes nothing).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from complaints import retention_selectors as lists
from complaints.models import RetentionCall
from complaints.services.reminders import insurance_remind
from complaints.services.retention import retention_call_record
from demo import data as D
from demo import reception as desk
from demo import workshop as shop
from demo.base import DemoContext, at, moment, rng_for
from demo.complaints import caller
from demo.play import Crew, Play, order_story
from org.models import Position
from reception.customer_loss import lost_customer_months, month_start
from reception.models import Customer, Vehicle, WorkOrder
from reception.services.customers import vehicle_update
from reception.services.grading import customers_regrade, grading_rules_update

# The demo holds half a year of visits: shorter months than a real station's so every grade shows.
RULES = {"window_months": 6, "vip_visits": 3, "vip_spend": Decimal("6000"), "at_risk_months": 4, "lost_months": 7}
SERVICE_OUTCOMES = ["booked", "reached", "unreachable", "not_interested", "booked", "unreachable"]
WIN_BACK_OUTCOMES = ["will_come", "refused", "unreachable", "moved", "sold_car", "will_come"]
LOST_VISITS = len(WIN_BACK_OUTCOMES) + 2  # two lost customers left on the list for the user to call
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
    _win_back(ctx, station, care, rng)
    due = list(lists.insurance_due(station, days=30).order_by("insurance_expiry", "pk"))
    for i, vehicle in enumerate(due[:len(INSURANCE_OUTCOMES)]):
        retention_call_record(kind="insurance", by=care, vehicle=vehicle, outcome=INSURANCE_OUTCOMES[i],
                              note=rng.choice(NOTES))
    for vehicle in due[len(INSURANCE_OUTCOMES):len(INSURANCE_OUTCOMES) + 3]:
        insurance_remind(vehicle=vehicle)


def seed_lost_visits(ctx: DemoContext, station) -> set[int]:
    """Before the half year is played: a few customers' one visit (delivered) in month N−7, so they are this month's
    lost customers. Played first, so numbers stay in time order. Returns their vehicles, which the play then leaves
    out (a later visit would win them back before anyone called)."""
    cohort, _watch, _end = lost_customer_months(month_start(timezone.localdate()))
    # private customers with one car each: no other car of theirs comes in during the half year
    single = (Customer.objects.filter(station=station, kind=Customer.Kind.INDIVIDUAL)
              .annotate(cars=Count("vehicles")).filter(cars=1).order_by("-pk").values("pk")[:LOST_VISITS])
    vehicles = list(Vehicle.objects.filter(station=station, owner_id__in=single).select_related("owner")
                    .order_by("-owner_id"))
    kit, crew, bays = desk.station_kit(ctx, station), Crew.of(ctx, station), shop.lift_bays(station)
    kit.parts = []  # labour only: the stores of seven months ago are not in the demo
    play = Play(until=timezone.now())
    for i, vehicle in enumerate(vehicles):
        kit_one = replace(kit, vehicles=[vehicle], returning=[], km=dict(kit.km))
        opened_at = moment(cohort + timedelta(days=4 + 2 * i), 60)
        play.spawn(opened_at, order_story(kit_one, crew, bays, play, rng_for("lost", station.code, i), opened_at,
                                          WorkOrder.Status.DELIVERED, today=False))
    play.run()
    return {v.pk for v in vehicles}


def _win_back(ctx: DemoContext, station, care, rng) -> None:
    lost = list(lists.win_back(station).order_by("pk"))  # the rule's own list (seed_lost_visits made them)
    now = timezone.now()
    called_at = max(now - timedelta(hours=3), timezone.make_aware(datetime.combine(month_start(now.date()), time(0, 5))))
    with at(called_at):
        for customer, outcome in zip(lost, WIN_BACK_OUTCOMES, strict=False):
            retention_call_record(kind="win_back", by=care, customer=customer, outcome=outcome,
                                  note="" if outcome != "moved" else "已搬到成都")
    # the first who said they would come came the same day: received and signed, a visit after the call
    comer = next((c for c, o in zip(lost, WIN_BACK_OUTCOMES, strict=False) if o == "will_come"), None)
    if comer is not None:
        kit = desk.station_kit(ctx, station)
        kit.vehicles, kit.returning = list(comer.vehicles.all()[:1]), []
        with at(min(called_at + timedelta(hours=1), now)):
            desk.order_sign(desk.order_open(kit, rng, timezone.now()))
