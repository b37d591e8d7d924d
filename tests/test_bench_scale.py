"""bench/scale.py's generator, at a tiny size in the test database: the rows it writes hang together (every order's
vehicle, customer and lines at its own station, the floor and the follow-up calls where they should be) and every page
it times opens — so the benchmark cannot rot silently when a model gains a required column or a page moves."""

from __future__ import annotations

import importlib.util
import os
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count, F
from django.utils import timezone

from complaints.models import Complaint, FollowUpCall
from org.models import Staff, Station
from parts.models import Part, StockBalance
from reception.models import Customer, Vehicle, WorkOrder, WorkOrderLine
from workshop.models import JobAssignment

pytestmark = pytest.mark.django_db

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _scale():
    # scale.py sets a benchmark's environment defaults at import (bench/_common.configure: DEBUG, SECRET_KEY,
    # SECURE_SSL_REDIRECT=0…): put this process's environment back, or later tests' subprocesses inherit them.
    saved = dict(os.environ)
    sys.path.insert(0, str(BENCH))  # scale.py imports its sibling _common
    try:
        spec = importlib.util.spec_from_file_location("bench_scale", BENCH / "scale.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["bench_scale"] = module  # its dataclass looks itself up there
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
        os.environ.clear()
        os.environ.update(saved)
    return module


@pytest.fixture(scope="module")
def scale():
    return _scale()


def test_generator_rows_hang_together(scale):
    sizes = scale.Sizes(big_vehicles=30, other_vehicles=10, big_parts=12, other_parts=6, demo_vehicles=20,
                        demo_parts=8, demo_stations=3, recent=14, open_complaints=4)
    with connection.cursor() as c:
        scale.load(c, sizes, log=lambda _s: None)
    big, demo = Station.objects.get(code="scale-1"), Station.objects.get(code="scale-demo-1")
    assert Station.objects.filter(code__startswith="scale-").count() == scale.STATIONS + 3
    assert big.group_id != demo.group_id
    assert Station.objects.filter(group=big.group).count() == scale.STATIONS
    assert Station.objects.filter(group=demo.group).count() == 3
    # customers and vehicles: one each per number, plus the fleet customer with its vehicles at station 1
    assert Customer.objects.filter(station=big).count() == 30 + 1
    assert Vehicle.objects.filter(station=big).count() == 30 + scale.FLEET
    fleet = Customer.objects.get(station=big, kind="company")
    assert fleet.vehicles.count() == scale.FLEET
    assert Vehicle.objects.filter(station=Station.objects.get(code="scale-2")).count() == 10
    assert Vehicle.objects.filter(station=demo).count() == 20
    assert not Vehicle.objects.exclude(owner__station=F("station")).exists()
    # orders: at least the floor plus ten delivered; the vehicle, its owner and the advisor at the order's station
    floor = sum(scale.FLOOR.values())
    assert WorkOrder.objects.filter(station=demo).count() == floor + 14 + 10
    assert not WorkOrder.objects.exclude(vehicle__station=F("station")).exists()
    assert not WorkOrder.objects.exclude(customer=F("vehicle__owner")).exists()
    assert not WorkOrder.objects.exclude(advisor__station=F("station")).exists()
    for station in (big, demo):
        statuses = dict(WorkOrder.objects.filter(station=station).values_list("status").annotate(n=Count("id")))
        assert statuses == {**scale.FLOOR, "delivered": WorkOrder.objects.filter(station=station).count() - floor}
    assert not WorkOrder.objects.filter(status="delivered", delivered_at__isnull=True).exists()
    # 4 or 5 lines an order; part lines point at a stocked part of the same station
    per_order = set(WorkOrder.objects.annotate(n=Count("lines")).values_list("n", flat=True))
    assert per_order == {4, 5}
    part_lines = WorkOrderLine.objects.filter(kind="part")
    assert part_lines.exists() and not part_lines.exclude(part__station=F("order__station")).exists()
    assert not WorkOrderLine.objects.filter(kind="labour", part__isnull=False).exists()
    assert Part.objects.filter(station=big).count() == 12
    assert StockBalance.objects.count() == Part.objects.count()
    # the floor: every labour line of an order in progress or at QC assigned, nothing else
    jobs = JobAssignment.objects.all()
    assert jobs.count() == WorkOrderLine.objects.filter(
        kind="labour", order__status__in=["in_progress", "quality_check"]).count() > 0
    assert not jobs.exclude(technician__station=F("station")).exclude(order__station=F("station")).exists()
    assert not FollowUpCall.objects.exclude(order__status="delivered").exists()
    assert not Complaint.objects.exclude(customer__station=F("station")).exists()
    # the last week is the same at every station, whatever its size: as many pending calls and open complaints
    for station in (big, demo):
        week = WorkOrder.objects.filter(station=station, opened_at__gt=timezone.now() - timedelta(days=7))
        assert week.count() == floor + 14
        assert FollowUpCall.objects.filter(station=station, status="pending").count() == 14
        assert Complaint.objects.filter(station=station).exclude(state="closed").count() == 4
    assert Complaint.objects.filter(state="closed").exists()  # one per 100 orders of the history
    assert Staff.objects.filter(station=big, position="service_advisor").count() == 10
    assert Staff.objects.filter(username="scale-director", position="group_director").exists()


def test_every_timed_page_opens(scale, client):
    sizes = scale.Sizes(big_vehicles=12, other_vehicles=4, big_parts=6, other_parts=3, demo_vehicles=12,
                        demo_parts=6)
    with connection.cursor() as c:
        scale.load(c, sizes, log=lambda _s: None)
    for code, group in (("scale-1", "scale"), ("scale-demo-1", "scale-demo")):
        pages = scale.pages_of(Station.objects.get(code=code), group)
        assert len(pages) == 23  # the role table, with the search twice (a plate fragment, a VIN fragment)
        for label, user, url, params in pages:
            client.force_login(user)
            response = client.get(url, params)
            assert response.status_code == 200, (code, label, url, response.status_code)
