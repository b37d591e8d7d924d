"""The demo's transfers between stations and late purchase orders (demo/network.py): through the parts services,
once, and what the transfers page and the overdue list then show."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from demo import data as D
from demo import network
from demo.base import DemoContext
from parts.factories import PartFactory
from parts.models import Part, PurchaseOrder, StationTransfer, StockMove, Supplier
from parts.selectors import available_quantity, overdue_purchase_orders
from parts.services.stock import locked_balance, stock_move_post, warehouse_main

pytestmark = pytest.mark.django_db
NUMBERS = ["04152", "17801", "04465", "04466", "85222", "87139", "48510", "90430", "08823", "88568"]


def _stocked(station, lead, numbers):
    warehouse = warehouse_main(station=station)
    for number in numbers:
        part = PartFactory(station=station, part_number=f"{number}-DEMO1")
        with transaction.atomic():
            locked_balance(warehouse=warehouse, part=part)
        stock_move_post(warehouse=warehouse, part=part, kind=StockMove.Kind.OPENING, quantity=Decimal("10"),
                        by=lead, unit_cost=Decimal("40"))


@pytest.fixture
def world(station, other_station, make_staff, monkeypatch):
    monkeypatch.setitem(D.STATION_SUPPLIER, station.code, "FTMS")
    monkeypatch.setitem(D.STATION_SUPPLIER, other_station.code, "FTMS")
    leads = (make_staff("parts_lead", station=station, username="pa"),
             make_staff("parts_lead", station=other_station, username="pb"))
    for st in (station, other_station):
        Supplier.objects.create(station=st, code="FTMS", name="一汽丰田配件中心", lead_days=2)
        Supplier.objects.create(station=st, code="LOCAL", name="本地配件供应商", lead_days=1)
    _stocked(station, leads[0], NUMBERS)
    _stocked(other_station, leads[1], ["04465", "04466"])  # the second station lists only its brake pads
    ctx = DemoContext(group=station.group, stations=[station, other_station],
                      staff={s.username: s for s in leads})
    network.seed_network(ctx)
    network.seed_network(ctx)  # a second run changes nothing
    return ctx, leads


def test_transfers_between_the_stations_received_on_the_road_and_drafted(world, station, other_station):
    transfers = list(StationTransfer.objects.order_by("created_at"))
    assert [(t.from_station, t.to_station, t.status) for t in transfers] == [
        (station, other_station, "received"), (other_station, station, "shipped"), (station, other_station, "draft")]
    received, on_the_road, _draft = transfers
    assert received.received_at > received.shipped_at > received.created_at
    assert (timezone.now() - received.created_at).days >= 5  # last week, not today
    # four oil filters went from the first station's shelf to the second's, which added the part to its catalogue
    filter_a = Part.objects.get(station=station, part_number="04152-DEMO1")
    filter_b = Part.objects.get(station=other_station, part_number="04152-DEMO1")
    assert available_quantity(part=filter_a, warehouse=warehouse_main(station=station)) == Decimal("6")
    assert available_quantity(part=filter_b, warehouse=warehouse_main(station=other_station)) == Decimal("4")
    pads_b = Part.objects.get(station=other_station, part_number="04465-DEMO1")
    assert available_quantity(part=pads_b, warehouse=warehouse_main(station=other_station)) == Decimal("8")
    assert on_the_road.lines.count() == 2 and on_the_road.received_at is None


def test_purchase_orders_late_against_the_suppliers_lead_time(world, station):
    ctx, (lead, _other) = world
    overdue = list(overdue_purchase_orders(lead, station=station))
    assert sorted(po.status for po in overdue) == ["ordered", "partly_received"]
    today = timezone.localdate()
    for po in overdue:
        assert po.due_date == timezone.localdate(po.ordered_at) + timedelta(days=po.supplier.lead_days)
        assert po.due_date < today
    assert PurchaseOrder.objects.filter(station=station).count() == 2  # built once


def test_the_transfers_page_and_the_overdue_list_show_the_demo(world, station, client_as):
    _ctx, (lead, _other) = world
    client = client_as(lead)
    page = client.get(reverse("parts:station_transfers")).content.decode()
    for transfer in StationTransfer.objects.all():
        assert transfer.number in page
    page = client.get(reverse("parts:po_overdue")).content.decode()
    for po in PurchaseOrder.objects.filter(station=station):
        assert po.number in page
