from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reception.factories import WorkOrderFactory, WorkOrderLineFactory
from workshop.board.data import board
from workshop.factories import AttendanceFactory
from workshop.models import ClockEntry
from workshop.selectors import capacity_hours
from workshop.services.clock import clock_on, clock_pause
from workshop.services.dispatch import job_dispatch

pytestmark = pytest.mark.django_db


def test_capacity_is_eight_hours_per_active_technician_by_default(station, bob, bob2, make_staff):
    make_staff("technician", username="gone", is_active=False)
    assert capacity_hours(station=station, day=timezone.localdate()) == Decimal("16")


def test_capacity_follows_the_roster(station, bob, bob2):
    day = timezone.localdate() + timedelta(days=1)
    AttendanceFactory(station=station, technician=bob, day=day, planned_hours=Decimal("4.5"))
    AttendanceFactory(station=station, technician=bob2, day=day, is_absent=True)
    assert capacity_hours(station=station, day=day) == Decimal("4.5")


def test_capacity_in_one_query_is_the_sum_over_the_technicians(station, other_station, bob, bob2, make_staff):
    """Without a list of technicians, capacity reads them with their roster row in one query: the same figure as
    from the list, to the digit (a roster row's hours have two places, the default shift none)."""
    day = timezone.localdate() + timedelta(days=1)
    third = make_staff("technician", username="third")
    gone = make_staff("technician", username="gone", is_active=False)
    AttendanceFactory(station=station, technician=bob, day=day, planned_hours=Decimal("4.5"))
    AttendanceFactory(station=station, technician=bob2, day=day, is_absent=True)
    AttendanceFactory(station=station, technician=gone, day=day, planned_hours=Decimal("8"))
    AttendanceFactory(station=station, technician=third, day=day + timedelta(days=1), planned_hours=Decimal("1"))
    AttendanceFactory(station=other_station, technician=make_staff("technician", station=other_station), day=day)
    with CaptureQueriesContext(connection) as ctx:
        total = capacity_hours(station=station, day=day)
    assert len(ctx.captured_queries) == 1
    listed = capacity_hours(station=station, day=day, technician_ids=[bob.pk, bob2.pk, third.pk])
    assert str(total) == str(listed) == "12.50"
    assert str(capacity_hours(station=station, day=day + timedelta(days=3))) == "24"


def test_the_board_shows_risk_and_waiting_flags(station, dispatched, bob, alice):
    late = WorkOrderFactory(signed=True, station=station, advisor=alice,
                            promised_at=timezone.now() - timedelta(minutes=5))
    WorkOrderLineFactory(labour=True, order=late)
    clock_on(line=dispatched, technician=bob)
    clock_pause(line=dispatched, technician=bob, reason=ClockEntry.End.WAITING_PARTS)
    data = board(station=station)
    items = {i.order.pk: i for _s, _l, col in data.columns for i in col}
    assert items[late.pk].risk == "late"
    assert items[late.pk].unassigned == 1
    assert items[dispatched.order_id].waiting_parts
    assert data.assigned == Decimal("2.00")
    assert data.unassigned_hours == Decimal("1.50")


def _fill(station, alice, bob, bay, dispatcher, n):
    for _ in range(n):
        order = WorkOrderFactory(signed=True, station=station, advisor=alice)
        line = WorkOrderLineFactory(labour=True, order=order)
        job_dispatch(line=line, technicians=[bob], bay=bay, by=dispatcher)


def test_the_board_query_count_does_not_grow_with_the_orders(client_as, dispatcher, station, alice, bob, bay):
    client = client_as(dispatcher)
    url = reverse("workshop:board")
    _fill(station, alice, bob, bay, dispatcher, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _fill(station, alice, bob, bay, dispatcher, 12)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
