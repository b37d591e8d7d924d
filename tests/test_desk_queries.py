"""The front desk (page and its htmx poll) with every section full: the same queries at 10× its rows as at 1×, and what
it prints of each row is there (the desk reads only the columns it prints, so a column it forgot would cost one query
per row and show here)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.factories import ComplaintFactory, FollowUpCallFactory
from reception.factories import (
    AppointmentFactory,
    DiscountApprovalFactory,
    VehicleFactory,
    WorkOrderFactory,
    WorkOrderLineFactory,
)
from tests.querycount import assert_flat
from workshop.factories import AttendanceFactory, FindingFactory

pytestmark = pytest.mark.django_db


class Desk:
    """Rows of every section of one advisor's desk (``lead``, who also decides discounts and works calls)."""

    def __init__(self, station, make_staff):
        self.station = station
        self.alice = make_staff("service_advisor", username="desk-alice")
        self.lead = make_staff("front_desk_lead", username="desk-lead")
        self.tech = make_staff("technician", username="desk-tech")
        self.printed: list[str] = []
        self.i = 0

    def grow(self, n: int) -> None:
        noon = timezone.make_aware(datetime.combine(timezone.localdate(), time(12)))
        for _ in range(n):
            self.i += 1
            vehicle = VehicleFactory(station=self.station, plate=f"沪D{self.i:05d}")
            received = WorkOrderFactory(station=self.station, vehicle=vehicle, advisor=self.lead, signed=True)
            AppointmentFactory(station=self.station, vehicle=vehicle, advisor=self.lead, status="arrived",
                               start=noon + timedelta(minutes=self.i), work_order=received)
            AppointmentFactory(station=self.station, vehicle=vehicle, advisor=self.lead,
                               start=noon + timedelta(minutes=self.i), booked_hours=Decimal("1.50"))
            AppointmentFactory(station=self.station, vehicle=vehicle, advisor=self.alice, status="cancelled",
                               start=noon + timedelta(minutes=self.i))
            ready = WorkOrderFactory(station=self.station, vehicle=vehicle, advisor=self.lead, ready=True)
            line = WorkOrderLineFactory(order=ready, description=f"钣金{self.i}")
            DiscountApprovalFactory(order=ready, line=line, requested_by=self.alice, approver=self.lead)
            finding = FindingFactory(order=received, found_by=self.tech, description=f"发现{self.i}")
            finding.lines.add(WorkOrderLineFactory(order=received, description=f"建议{self.i}"))
            complaint = ComplaintFactory(station=self.station, owner=self.lead, subject=f"投诉-{self.i}",
                                         received_at=timezone.now() - timedelta(days=5))
            call = FollowUpCallFactory(order=WorkOrderFactory(station=self.station, vehicle=vehicle, advisor=self.lead,
                                                              delivered=True),
                                       next_attempt_at=timezone.now() - timedelta(hours=1))
            self.printed += [received.number, vehicle.plate, ready.number, line.description, finding.description,
                             f"建议{self.i}", complaint.number, complaint.subject, call.order.number]


@pytest.mark.parametrize("url_name", ["reception:index", "reception:desk_panel"])
def test_the_desk_reads_as_many_queries_for_ten_times_the_rows(client_as, station, make_staff, url_name):
    desk = Desk(station, make_staff)
    AttendanceFactory(station=station, technician=desk.tech, day=timezone.localdate(), planned_hours=Decimal("6.5"))
    client = client_as(desk.lead)
    url = reverse(url_name)
    assert_flat(client, url, desk.grow)
    body = client.get(url).content.decode()
    missing = [text for text in desk.printed if text not in body]
    assert not missing, missing
    # 10 × 1.5 h booked (the arrived ones book 1 h each: 10 more; the cancelled ones none) of one technician's 6.5 h
    assert "25.00 of 6.50 h booked" in body
