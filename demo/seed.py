"""The whole demo, department by department, in the order a dealer group would live it. Running it twice changes
nothing: each step looks for what it made before (a station's catalogue, its customers, its orders…)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from demo import complaints as care
from demo import counter, desk_services, kpi, ledger, network, oem, packages, parts, reception, retention, workshop
from demo import data as D
from demo.base import DemoContext
from demo.org import seed_meetings, seed_organisation, seed_training
from demo.people import seed_people_kpis
from demo.play import Play, play_station
from reception.models import WorkOrder


@contextmanager
def _sqlite_unsynced() -> Iterator[None]:
    """On SQLite, do not wait for the disk at every commit while seeding: the KPI app marks a day stale after each
    commit (one small transaction per changed row), which is tens of thousands of commits for the demo's half year.
    The demo database is disposable; a crash mid-seed means seeding again."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:  # a test's transaction: nothing to sync
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        before = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA synchronous = OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous = {before:d}")


def seed(report: Callable[[str], None] = lambda _step: None) -> DemoContext:
    with _sqlite_unsynced():
        return _seed(report)


def _seed(report: Callable[[str], None]) -> DemoContext:
    ctx = seed_organisation()
    seed_training(ctx)
    seed_meetings(ctx)
    seed_people_kpis(ctx)
    report("organisation")
    start = timezone.localdate() - timedelta(days=D.DAYS)
    parts.seed_catalogue(ctx, start)
    reception.seed_catalogue(ctx)
    reception.seed_customers(ctx, start)
    workshop.seed_bays(ctx)
    report("catalogues, customers and vehicles")
    for station in ctx.stations:
        if not WorkOrder.objects.filter(station=station).exists():
            # One transaction per station: the play is all or nothing, and far faster than a commit per step.
            with transaction.atomic():
                lost = retention.seed_lost_visits(ctx, station)  # this month's lost customers, seven months back
                play_station(ctx, station, start, skip_vehicles=lost)
                reception.discounts_waiting(ctx, station)
    report("half a year of orders")
    parts.seed_stores(ctx)
    network.seed_network(ctx)
    workshop.seed_roster(ctx)
    stories = Play(until=timezone.now())
    care.seed_stories(ctx, stories)
    stories.run()
    care.seed_reminders()
    retention.seed_retention(ctx)
    desk_services.seed_desk_services(ctx)
    report("stores, roster, complaints, retention, loaners, pick-ups")
    oem.seed(ctx)
    report("warranty terms, recall, 三包, carmaker layout")
    ledger.seed_ledger(ctx)
    report("fleet contracts, receivables, vouchers")
    packages.seed_packages(ctx)
    report("service packages and coupons")
    counter.seed_counter(ctx)
    report("counter sales and extended warranties")
    kpi.seed_settings(ctx, start)
    kpi.seed_history(ctx, start)
    report("KPI history")
    return ctx
