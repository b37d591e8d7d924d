"""parts.services.orders: what a work order asks of parts (availability, price per payer, kit, demand)."""

from __future__ import annotations

from decimal import Decimal

from core.money import Payer
from parts.factories import PartFactory
from parts.models import DemandLine, OperationPart, PricePolicy
from parts.services import orders
from reception.factories import LabourOperationFactory, WorkOrderFactory, part_line

D = Decimal


def test_the_lookup_finds_active_parts_of_the_station_with_what_is_available(station, other_station, stocked):
    filter_ = stocked(qty="5", part_number="90915-YZZD1", name_zh="机油滤清器")
    PartFactory(station=station, part_number="90915-OLD", name_zh="旧机油滤清器", is_active=False)
    PartFactory(station=other_station, part_number="90915-ELSE", name_zh="机油滤清器")
    found = orders.part_search(station=station, query="90915")
    assert found == [filter_]
    assert found[0].available == D("5")
    assert list(orders.parts_for_sale(station=station)) == [filter_]


def test_a_part_is_priced_for_its_payer(station, stocked):
    part = stocked(list_price=D("100.00"), cost="60.00")
    PricePolicy.objects.create(station=station, payer=Payer.WARRANTY, basis=PricePolicy.Basis.COST,
                               markup_pct=D("10"))
    assert orders.part_sale_price(part=part, payer=Payer.CUSTOMER) == D("100.00")
    part.refresh_from_db()
    assert orders.part_sale_price(part=part, payer=Payer.WARRANTY) == (part.cost * D("1.1")).quantize(D("0.01"))


def test_a_requested_line_reserves_stock_and_a_released_one_gives_it_back(station, stocked, alice):
    part = stocked(qty="3")
    line = part_line(WorkOrderFactory(station=station, advisor=alice, status="open"), part=part, qty="2")
    orders.line_demand_capture(line=line, by=alice)
    assert DemandLine.objects.filter(line=line).exists()
    assert orders.part_available(part=part) == D("1")
    orders.line_demand_release(line=line, by=alice)
    assert orders.part_available(part=part) == D("3")


def test_an_operation_kit_lists_its_parts(station, stocked):
    operation = LabourOperationFactory(station=station)
    part = stocked()
    OperationPart.objects.create(operation=operation, part=part, quantity=D("4"))
    assert orders.operation_kit(operation=operation) == [(part, D("4"))]
