"""Suppliers managed in the app (lead time, active flag), purchase-order due dates from the supplier's lead time,
and the overdue purchase-order list (station-scoped, keyset-paged)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.paging import keyset_page
from parts.factories import PartFactory, SupplierFactory
from parts.forms import PurchaseOrderForm
from parts.models import PartsEvent, PurchaseOrder
from parts.selectors import overdue_purchase_orders
from parts.services.purchasing import po_due_date, purchase_order_create, purchase_order_place
from parts.services.setup import supplier_update

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _order(station, by, supplier=None):
    supplier = supplier or SupplierFactory(station=station)
    part = PartFactory(station=station)
    return purchase_order_create(station=station, supplier=supplier, lines=[{"part": part, "quantity": 2}], by=by)


def test_the_due_date_is_the_local_order_day_plus_the_lead_time():
    # 16:30 UTC on 30 March is 00:30 on 31 March in Shanghai: the order day is the 31st; + 5 days = 5 April
    assert po_due_date(ordered_at=datetime(2026, 3, 30, 16, 30, tzinfo=ZoneInfo("UTC")), lead_days=5) == \
        date(2026, 4, 5)
    assert po_due_date(ordered_at=datetime(2026, 3, 30, 9, 0, tzinfo=SHANGHAI), lead_days=0) == date(2026, 3, 30)


def test_placing_an_order_sets_its_due_date_from_the_suppliers_lead_time(station, lead):
    supplier = SupplierFactory(station=station, lead_days=7)
    order = _order(station, lead, supplier)
    assert order.due_date is None  # a draft is not due
    order = purchase_order_place(order=order, by=lead)
    assert order.due_date == timezone.localdate(order.ordered_at) + timedelta(days=7)
    order.refresh_from_db()
    assert order.due_date == timezone.localdate(order.ordered_at) + timedelta(days=7)
    # a later change of the lead time does not move an order already placed
    supplier_update(supplier=supplier, by=lead, code=supplier.code, name=supplier.name, lead_days=2)
    order.refresh_from_db()
    assert order.due_date == timezone.localdate(order.ordered_at) + timedelta(days=7)


def test_an_inactive_supplier_cannot_be_ordered_from_and_is_not_offered(station, lead):
    supplier = SupplierFactory(station=station, code="OLD")
    supplier = supplier_update(supplier=supplier, by=lead, code="OLD", name=supplier.name, lead_days=3,
                               is_active=False)
    with pytest.raises(DomainError) as exc:
        _order(station, lead, supplier)
    assert exc.value.field == "supplier"
    active = SupplierFactory(station=station, code="NEW")
    assert list(PurchaseOrderForm(station=station).fields["supplier"].queryset) == [active]
    event = PartsEvent.objects.get(kind="supplier.changed", reference="OLD")
    assert event.by == lead and "is_active: True → False" in event.note


def _overdue_set(station, other_station, lead):
    """Orders due 10 and 2 days ago (one partly received) are overdue; received, cancelled, not yet due, draft and
    another station's are not."""
    today = timezone.localdate()
    made = {}
    for name, station_, status, days in [
        ("late10", station, PurchaseOrder.Status.ORDERED, -10),
        ("late2", station, PurchaseOrder.Status.PARTLY_RECEIVED, -2),
        ("received", station, PurchaseOrder.Status.RECEIVED, -3),
        ("cancelled", station, PurchaseOrder.Status.CANCELLED, -1),
        ("due_today", station, PurchaseOrder.Status.ORDERED, 0),
        ("draft", station, PurchaseOrder.Status.DRAFT, None),
        ("elsewhere", other_station, PurchaseOrder.Status.ORDERED, -5),
    ]:
        order = _order(station_, lead)
        PurchaseOrder.objects.filter(pk=order.pk).update(
            status=status, due_date=None if days is None else today + timedelta(days=days),
            ordered_at=None if days is None else timezone.now() + timedelta(days=days - 3))
        made[name] = order.pk
    return made


def test_the_overdue_list_has_only_late_open_orders_of_the_station_earliest_first(station, other_station, lead):
    made = _overdue_set(station, other_station, lead)
    rows = overdue_purchase_orders(lead, station=station)
    first = keyset_page(rows, {}, key="due_date", per_page=1)
    assert [o.pk for o in first] == [made["late10"]] and first.total == 2
    second = keyset_page(rows, dict(p.split("=", 1) for p in first.next_query.split("&")), key="due_date",
                         per_page=1)
    assert [o.pk for o in second] == [made["late2"]] and second.next_query is None


def test_the_overdue_page_shows_the_days_late(client, station, other_station, lead):
    _overdue_set(station, other_station, lead)
    client.force_login(lead)
    response = client.get(reverse("parts:po_overdue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("data-order=") == 2
    assert [o.days_late for o in response.context["page"]] == [10, 2]


def test_the_supplier_pages_create_and_deactivate_a_supplier(client, station, carol):
    client.force_login(carol)
    response = client.post(reverse("parts:suppliers"), {"code": "GAC", "name": "广汽配件", "lead_days": "4",
                                                          "is_active": "on"})
    assert response.status_code == 302
    supplier = station.suppliers.get(code="GAC")
    assert supplier.lead_days == 4 and supplier.is_active
    response = client.post(reverse("parts:supplier_edit", args=[supplier.pk]),
                           {"code": "GAC", "name": "广汽配件", "lead_days": "6"})
    assert response.status_code == 302
    supplier.refresh_from_db()
    assert supplier.lead_days == 6 and not supplier.is_active
    assert "inactive" in client.get(reverse("parts:suppliers")).content.decode()
