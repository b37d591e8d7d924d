"""The panels the front desk includes on its pages render there (they are skipped if reception has no such page)."""

from datetime import timedelta

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from reception.factories import WorkOrderFactory
from reception.models import WorkOrder
from workshop.services.findings import finding_create, finding_decide

pytestmark = pytest.mark.django_db


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        pytest.skip(f"reception has no {name} page yet")


def test_the_order_page_shows_the_workshop_panel(client_as, alice, dispatched, station):
    earlier = WorkOrderFactory(
        signed=True, station=station, vehicle=dispatched.order.vehicle, customer=dispatched.order.customer,
        status=WorkOrder.Status.DELIVERED,
    )
    WorkOrder.objects.filter(pk=earlier.pk).update(delivered_at=timezone.now() - timedelta(days=2))
    page = client_as(alice).get(_url("reception:order_detail", dispatched.order_id)).content.decode()
    assert 'id="workshop-order-panel"' in page and "possible comeback" in page


def test_the_desk_and_customer_pages_show_findings_and_recommendations(client_as, alice, bob, dispatched, labour_op):
    pending = finding_create(order=dispatched.order, by=bob, description="机油渗漏", labour_operation=labour_op)
    declined = finding_create(order=dispatched.order, by=bob, description="轮胎老化", labour_operation=labour_op)
    finding_decide(finding=declined, approve=False, channel="phone", by=alice)
    client = client_as(alice)
    desk = client.get(_url("reception:index")).content.decode()
    assert 'id="workshop-desk-panel"' in desk and pending.description in desk
    customer = client.get(_url("reception:customer_detail", dispatched.order.customer_id)).content.decode()
    assert 'id="workshop-recommendations"' in customer and declined.description in customer
