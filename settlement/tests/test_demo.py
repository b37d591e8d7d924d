"""settlement.demo: statements, payments, claims for the demo's settled and delivered orders; a rerun adds nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from org.demo import DemoContext
from reception.factories import WorkOrderFactory, labour_line, part_line
from settlement import demo
from settlement.models import Payment, Statement

pytestmark = pytest.mark.django_db


def _counts():
    return {m._meta.label: m.objects.count() for m in apps.get_app_config("settlement").get_models()}


def test_demo_settles_the_demo_orders_once_and_numbers_them_in_time_order(station, alice, make_staff):
    cashier = make_staff("cashier", username="demo-cashier")
    now = timezone.now()
    orders = []
    for i, status in enumerate(["delivered", "delivered", "settled", "ready"]):
        order = WorkOrderFactory(station=station, advisor=alice, status=status,
                                 settled_at=now - timedelta(days=10 - i) if status != "ready" else None,
                                 delivered_at=now - timedelta(days=9 - i) if status == "delivered" else None)
        labour_line(order)
        labour_line(order, payer="warranty")
        part_line(order, payer="insurance")
        orders.append(order)
    ctx = DemoContext(group=station.group, stations=[station], staff={"demo-cashier": cashier})
    demo.seed(ctx)
    first = _counts()
    assert not Statement.objects.filter(order=orders[3]).exists()  # ready: left for the cashier
    numbers = list(Statement.objects.filter(kind="statement").order_by("issued_at", "id").values_list("number",
                                                                                                          flat=True))
    assert [int(n[-6:]) for n in numbers] == list(range(1, len(numbers) + 1))
    assert Payment.objects.filter(statement__order=orders[0]).exists()
    assert orders[0].delivery.handed_over_at == orders[0].delivered_at
    assert orders[0].warranty_claims.exists() and orders[0].insurance_claim.assessed_at
    demo.seed(ctx)
    assert _counts() == first
