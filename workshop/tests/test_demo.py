from datetime import timedelta

import pytest
from django.utils import timezone

from org.demo import DemoContext
from reception.factories import LabourOperationFactory, WorkOrderFactory, WorkOrderLineFactory
from reception.models import WorkOrder
from workshop import demo
from workshop.models import Attendance, Bay, ClockEntry, Comeback, JobAssignment, QualityCheck

pytestmark = pytest.mark.django_db
S = WorkOrder.Status


def _counts():
    return [m.objects.count() for m in (Bay, JobAssignment, ClockEntry, Attendance, QualityCheck, Comeback)]


def test_the_demo_does_nothing_without_orders(station, bob):
    demo.seed(DemoContext(group=station.group, stations=[station], staff={"bob": bob}))
    assert JobAssignment.objects.count() == 0


def test_the_demo_seeds_every_kind_of_record_and_a_second_run_changes_nothing(station, bob, bob2, dispatcher, quinn, alice):
    op = LabourOperationFactory(station=station)
    first = None
    for n, status in enumerate([S.OPEN, S.OPEN, S.IN_PROGRESS, S.QUALITY_CHECK, S.READY, S.DELIVERED, S.DELIVERED]):
        order = WorkOrderFactory(signed=True, station=station, advisor=alice, status=status, number=f"DEMO{n}",
                                 **({"vehicle": first.vehicle, "customer": first.customer} if first and n == 6 else {}))
        WorkOrderLineFactory(labour=True, order=order, labour_operation=op)
        if n == 5:
            first = order
            WorkOrder.objects.filter(pk=order.pk).update(
                delivered_at=timezone.now() - timedelta(days=5), opened_at=timezone.now() - timedelta(days=6)
            )
    staff = {s.username: s for s in (bob, bob2, dispatcher, quinn, alice)}
    ctx = DemoContext(group=station.group, stations=[station], staff=staff)
    demo.seed(ctx)
    before = _counts()
    assert all(before[:5]), before
    assert ClockEntry.objects.filter(ended_at__isnull=True).count() == 1
    assert Comeback.objects.count() == 1
    demo.seed(ctx)
    assert _counts() == before
