"""The demo's pay and role appraisals, on a small context (the full seed is tested in test_seed_demo)."""

from datetime import date
from decimal import Decimal

import pytest

from demo.base import DemoContext
from demo.pay import seed_pay, seed_role_appraisals
from kpi.factories import at
from kpi.models import Appraisal, PayStatement
from org.factories import StaffFactory, StationFactory
from reception.factories import WorkOrderLineFactory
from workshop.factories import ClockEntryFactory

pytestmark = pytest.mark.django_db


def test_demo_pay_and_role_appraisals_through_the_services():
    station = StationFactory()
    people = [StaffFactory(station=station, position=p, username=f"d-{p}-{i}") for i, p in enumerate(
        ["station_manager", "workshop_lead", "front_desk_lead", "parts_lead", "technician", "technician",
         "parts_clerk", "customer_relations"])]
    ctx = DemoContext(group=station.group, stations=[station], staff={p.username: p for p in people})
    tech = people[4]
    line = WorkOrderLineFactory(order__station=station, labour=True, hours=Decimal("3.00"))
    ClockEntryFactory(line=line, technician=tech, started_at=at("2026-03-05 09:00"), ended_at=at("2026-03-05 11:00"),
                      end="off")
    months = [date(2026, 3, 1), date(2026, 4, 1)]
    seed_role_appraisals(ctx, months)
    seed_pay(ctx, months)
    seed_pay(ctx, months)  # twice changes nothing
    march = PayStatement.objects.get(technician=tech, month=months[0])
    assert march.approved_by == people[1] and march.amount == Decimal("60.00")  # 3 h × 初级 ¥20
    assert PayStatement.objects.filter(month=months[1], approved_at__isnull=True).count() == 2
    assert set(Appraisal.objects.values_list("role", flat=True)) == {"technician", "parts", "care"}
    assert Appraisal.objects.filter(advisor=tech, flagged=True).exists()  # fails both months
