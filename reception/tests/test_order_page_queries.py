"""The work order page reads each thing once: as many queries with 10× the lines (and their jobs, clocks, parts,
findings, discounts) as with 1×, and no more than the ceiling below — lower it when the page gets cheaper, never raise
it without a reason in the commit (measured with bench/page_cpu.py --page "work order page")."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from parts.factories import PartFactory, WarehouseFactory
from parts.models import StockBalance
from reception.factories import DiscountApprovalFactory, VehicleFactory, WorkOrderFactory, labour_line, part_line
from reception.models import PreInspection
from reception.services import estimates
from tests.querycount import assert_flat
from workshop.factories import BayFactory, ClockEntryFactory, FindingFactory, JobAssignmentFactory
from workshop.models import Finding, QualityCheck

pytestmark = pytest.mark.django_db

# Everything on the page, its panels included, with an approved estimate changed since.
CEILING = 27


@pytest.fixture
def page(station, alice, carol, make_staff):
    tech, lead = make_staff("technician", username="t1"), make_staff("workshop_lead", username="l1")
    warehouse, bay = WarehouseFactory(station=station), BayFactory(station=station)
    vehicle = VehicleFactory(station=station)
    earlier = WorkOrderFactory(station=station, vehicle=vehicle, advisor=alice, delivered=True)
    order = WorkOrderFactory(station=station, vehicle=vehicle, advisor=alice, signed=True, status="in_progress")
    PreInspection.objects.create(order=order, done_by=alice)
    QualityCheck.objects.create(station=station, order=order, attempt=1, inspector=lead, result="fail", reason="x")

    def grow(n: int) -> None:
        for _ in range(n):
            labour = labour_line(order)
            part = PartFactory(station=station)
            StockBalance.objects.create(warehouse=warehouse, part=part, station=station, on_hand=Decimal("3"))
            part_line(order, part=part)
            JobAssignmentFactory(line=labour, technician=tech, bay=bay, assigned_by=lead)
            ClockEntryFactory(line=labour, technician=tech, started_at=timezone.now() - timedelta(hours=1),
                              ended_at=timezone.now(), end="off")
            DiscountApprovalFactory(order=order, line=labour, approver=carol, requested_by=alice)
            FindingFactory(order=order, found_by=tech)
            Finding.objects.create(station=station, order=earlier, vehicle=vehicle, description="declined",
                                   found_by=tech, decision="declined", decided_by=alice)
            estimates.estimate_snapshot(order=order, by=alice, approval_channel="phone")  # a version and an event
        labour_line(order)  # the estimate changed since

    return order, grow


def test_the_order_page_does_not_grow_with_its_lines(client_as, alice, page):
    order, grow = page
    few, many = assert_flat(client_as(alice), reverse("reception:order_detail", args=[order.pk]), grow)
    assert few <= CEILING, f"the order page makes {few} queries (ceiling {CEILING})"
    page_html = client_as(alice).get(reverse("reception:order_detail", args=[order.pk])).content.decode()
    assert "estimate changed" in page_html and "workshop-order-panel" in page_html and "parts-panel" in page_html
