"""Demo data for the KPI app: targets, monthly overhead and purchase targets, appraisal reviews, and the rollup of the demo period.

Runs last (after every app that feeds the figures). Idempotent: targets, overheads and reviews are set with
get_or_create with fixed values; the facts are rolled up once for the demo period and afterwards only dirty days
are re-rolled, so a second run changes nothing.
"""

from __future__ import annotations

import random
import zlib
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from kpi.models import AppraisalReview, KpiSettings, Overhead, PurchaseTarget, StationDay, Target
from kpi.services.appraisal import appraisal_refresh
from kpi.services.rollup import rollup_days, rollup_recent_days
from org.models import Position

DEMO_DAYS = 183  # as reception.demo
TARGETS = {
    "aro": Decimal("1200"), "on_time": Decimal("0.95"), "ffv": Decimal("0.92"), "efficiency": Decimal("1.05"),
    "productivity": Decimal("0.80"), "first_fill": Decimal("0.90"), "csi": Decimal("90"), "sfu": Decimal("1"),
    "parts_margin": Decimal("0.36"), "absorption": Decimal("1"),
}
PURCHASE_TARGET = (420_000, 500_000)  # CNY of genuine parts a month
SCORES = {"self": 85, "supervisor": 78, "customer": 82, "peer": 80}


def seed(ctx) -> None:
    today = timezone.localdate()
    start = today - timedelta(days=DEMO_DAYS)
    manager_of = {s.pk: next(iter(ctx.station_staff(s, Position.STATION_MANAGER)), None) for s in ctx.stations}
    for station in ctx.stations:
        rng = random.Random(zlib.crc32(f"kpi-{station.code}".encode()))
        manager = manager_of[station.pk]
        KpiSettings.objects.get_or_create(station=station, defaults={"technician_hourly_cost": Decimal("85")})
        for kpi, value in TARGETS.items():
            Target.objects.get_or_create(station=station, kpi=kpi, defaults={"value": value, "set_by": manager})
        month = start.replace(day=1)
        while month <= today:
            amount = Decimal(rng.randrange(280_000, 360_000, 1000))
            Overhead.objects.get_or_create(
                station=station, month=month, defaults={"amount": amount, "set_by": manager}
            )
            month = (month + timedelta(days=32)).replace(day=1)
        # a separate generator, so the overheads above stay what earlier runs made them
        purchase_rng = random.Random(zlib.crc32(f"kpi-purchase-{station.code}".encode()))
        month = start.replace(day=1)
        while month <= today:
            amount = Decimal(purchase_rng.randrange(PURCHASE_TARGET[0], PURCHASE_TARGET[1], 1000))
            PurchaseTarget.objects.get_or_create(
                station=station, month=month, defaults={"amount": amount, "set_by": manager}
            )
            month = (month + timedelta(days=32)).replace(day=1)
    # the facts of the demo period: once in full, then only what changed
    ids = [s.pk for s in ctx.stations]
    if not StationDay.objects.filter(station_id__in=ids, day=start).exists():
        day = start
        while day <= today:
            rollup_days(start=day, end=min(today, day + timedelta(days=30)), station_ids=ids)
            day += timedelta(days=31)
    else:
        rollup_recent_days()
    _appraisals(ctx, today)


def _appraisals(ctx, today) -> None:
    """The last two closed months for every advisor, reviewed; the second advisor of the first station fails both
    months, so the flag shows on the appraisal page."""
    last = today.replace(day=1) - timedelta(days=1)
    months = [(last.replace(day=1) - timedelta(days=1)).replace(day=1), last.replace(day=1)]
    for index, station in enumerate(ctx.stations):
        lead = next(iter(ctx.station_staff(station, Position.FRONT_DESK_LEAD)), None)
        advisors = sorted(ctx.station_staff(station, Position.SERVICE_ADVISOR), key=lambda a: a.username)
        for a_index, advisor in enumerate(advisors):
            failing = index == 0 and a_index == 1
            for month in months:
                appraisal = appraisal_refresh(advisor=advisor, month=month)
                for kind, score in SCORES.items():
                    value = Decimal(score - 40 if failing else score)
                    AppraisalReview.objects.get_or_create(
                        appraisal=appraisal, kind=kind,
                        defaults={"score": value, "entered_by": advisor if kind == "self" else lead},
                    )
                appraisal_refresh(advisor=advisor, month=month)
