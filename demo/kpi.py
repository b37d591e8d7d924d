"""The demo's KPI settings and history: targets, monthly overheads and purchase targets (set from what the station
buys, as the carmaker does), the rollup of the demo
period, two months of advisor appraisals, and (``demo.pay``) the other roles' appraisals and the technicians' pay.

Services used: ``kpi.services.manage`` (``target_set``, ``overhead_set``, ``purchase_target_set``),
``kpi.services.rollup`` (``rollup_days``, ``rollup_recent_days``), ``kpi.services.appraisal``
(``appraisal_refresh``, ``appraisal_review_set``). ``KpiSettings`` (the technician's hourly cost) has no service and
is created directly as reference data.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_CEILING, Decimal

from django.utils import timezone

from demo import data as D
from demo.base import DemoContext, rng_for
from demo.pay import seed_pay, seed_role_appraisals
from kpi.models import AppraisalReview, KpiSettings, Overhead, PurchaseTarget, StationDay, Target
from kpi.services.appraisal import appraisal_refresh, appraisal_review_set
from kpi.services.manage import overhead_set, purchase_target_set, target_set
from kpi.services.rollup import rollup_days, rollup_recent_days
from kpi.sources.parts import genuine_receipts
from org.models import Position


def _months(start: date, today: date) -> list[date]:
    months, month = [], start.replace(day=1)
    while month <= today:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def seed_settings(ctx: DemoContext, start: date) -> None:
    """Targets, overheads and purchase targets, each set once by the station manager."""
    today = timezone.localdate()
    for station in ctx.stations:
        manager = ctx.first(station, Position.STATION_MANAGER)
        KpiSettings.objects.get_or_create(station=station, defaults={"technician_hourly_cost": Decimal("85")})
        have = set(Target.objects.filter(station=station).values_list("kpi", flat=True))
        for kpi, value in D.TARGETS.items():
            if kpi not in have:
                target_set(station=station, kpi=kpi, value=value, by=manager)
        overhead_rng, purchase_rng = rng_for("kpi", station.code), rng_for("kpi-purchase", station.code)
        overheads = set(Overhead.objects.filter(station=station).values_list("month", flat=True))
        purchases = set(PurchaseTarget.objects.filter(station=station).values_list("month", flat=True))
        for month in _months(start, today):
            amount = Decimal(overhead_rng.randrange(*D.OVERHEAD, 1000))
            if month not in overheads:
                overhead_set(station=station, month=month, amount=amount, by=manager)
            if month not in purchases:
                amount = _purchase_target(station, month, months=_months(start, today), rng=purchase_rng)
                purchase_target_set(station=station, month=month, amount=amount, by=manager)


def _bought(station, month: date) -> Decimal:
    """Genuine parts received in ``month`` at cost (what 采购目标达成率 counts)."""
    lo = timezone.make_aware(datetime.combine(month, time.min))
    hi = timezone.make_aware(datetime.combine((month + timedelta(days=32)).replace(day=1), time.min))
    return sum((m.quantity * m.unit_cost for m in genuine_receipts([station.pk], lo, hi)), Decimal("0"))


def _purchase_target(station, month: date, *, months: list[date], rng) -> Decimal:
    """The carmaker sets the monthly purchase target from the station's run rate, a little above what it buys: the
    achievement reads about 85–98 % (less in a slow month; the first and the current month are partial)."""
    bought = [_bought(station, m) for m in months]
    usual = sum(bought, Decimal("0")) / max(1, len([b for b in bought if b > 0]))
    amount = max(bought[months.index(month)], usual * Decimal("0.8"), Decimal("1000"))
    amount /= Decimal(str(rng.uniform(0.85, 0.98)))
    return (amount / 1000).to_integral_value(rounding=ROUND_CEILING) * 1000


def seed_history(ctx: DemoContext, start: date) -> None:
    """The facts of the demo period, rolled up once in full, afterwards only what changed; then the appraisals."""
    today = timezone.localdate()
    ids = [s.pk for s in ctx.stations]
    if not StationDay.objects.filter(station_id__in=ids, day=start).exists():
        day = start
        while day <= today:
            rollup_days(start=day, end=min(today, day + timedelta(days=30)), station_ids=ids)
            day += timedelta(days=31)
    else:
        rollup_recent_days()
    _appraisals(ctx, today)


def _appraisals(ctx: DemoContext, today: date) -> None:
    """The last two closed months for every advisor, reviewed; the second advisor of the first station fails both
    months, so the flag shows on the appraisal page."""
    last = today.replace(day=1) - timedelta(days=1)
    months = [(last.replace(day=1) - timedelta(days=1)).replace(day=1), last.replace(day=1)]
    for index, station in enumerate(ctx.stations):
        lead = ctx.first(station, Position.FRONT_DESK_LEAD)
        for a_index, advisor in enumerate(ctx.station_staff(station, Position.SERVICE_ADVISOR)):
            failing = index == 0 and a_index == 1
            for month in months:
                appraisal = appraisal_refresh(advisor=advisor, month=month)
                done = set(AppraisalReview.objects.filter(appraisal=appraisal).values_list("kind", flat=True))
                for kind, score in D.SCORES.items():
                    if kind not in done:
                        appraisal_review_set(appraisal=appraisal, kind=kind, score=Decimal(score - 40 if failing else score),
                                             comment="", by=advisor if kind == "self" else lead)
    seed_role_appraisals(ctx, months)
    seed_pay(ctx, months)
