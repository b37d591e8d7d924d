from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import DomainError
from parts.factories import PartFactory, SupplierFactory
from parts.models import PurchaseOrder, Reservation, StockBalance, StockMove
from parts.selectors import available_quantity
from parts.services.catalogue import part_set_location, part_supersede
from parts.services.purchasing import (
    purchase_order_create,
    purchase_order_place,
    purchase_order_receive,
    suggested_order,
    supplier_return_close,
    supplier_return_create,
)
from parts.services.stock import stock_move_post
from reception.factories import WorkOrderFactory, part_line


def test_a_part_at_its_minimum_is_suggested_up_to_its_maximum(station, stocked, warehouse, clerk):
    part = stocked(qty="2")
    part_set_location(part=part, warehouse=warehouse, by=clerk, bin_location="A1", min_qty=Decimal("2"),
                      max_qty=Decimal("10"))
    [suggestion] = suggested_order(station=station)
    assert suggestion.part == part and suggestion.quantity == Decimal("8")


def test_stock_on_order_and_reservations_count_in_the_suggestion(station, stocked, warehouse, clerk, alice):
    part = stocked(qty="5")
    part_set_location(part=part, warehouse=warehouse, by=clerk, bin_location="A1", min_qty=Decimal("2"),
                      max_qty=Decimal("10"))
    assert suggested_order(station=station) == []
    from parts.services.demand import part_line_requested

    part_line_requested(line=part_line(order=WorkOrderFactory(station=station, status="open"), part=part, qty="4"),
                        by=alice)
    [suggestion] = suggested_order(station=station)
    assert suggestion.quantity == Decimal("9")  # position 1 → up to 10
    supplier = SupplierFactory(station=station)
    purchase_order_create(station=station, supplier=supplier, lines=[{"part": part, "quantity": 9}], by=clerk)
    assert suggested_order(station=station) == []


def test_ninety_day_usage_raises_the_suggestion_above_the_maximum(station, stocked, warehouse, clerk):
    part = stocked(qty="100")
    order = WorkOrderFactory(station=station, status="open")
    line = part_line(order=order, part=part, qty="90")
    stock_move_post(warehouse=warehouse, part=part, kind=StockMove.Kind.ISSUE, quantity=Decimal("-90"), by=clerk,
                    line=line, at=timezone.now() - timedelta(days=10))
    # 90 used in 90 days → 30 days cover = 30; position 10 → order 20
    [suggestion] = suggested_order(station=station)
    assert suggestion.quantity == Decimal("20")


def test_a_superseded_part_is_ordered_under_its_new_number(station, stocked, warehouse, clerk):
    old = stocked(qty="1")
    new = PartFactory(station=station)
    part_supersede(old=old, new=new, by=clerk)
    part_set_location(part=old, warehouse=warehouse, by=clerk, bin_location="A1", min_qty=Decimal("2"),
                      max_qty=Decimal("6"))
    [suggestion] = suggested_order(station=station)
    assert suggestion.part == new and suggestion.quantity == Decimal("5")
    po = purchase_order_create(station=station, supplier=SupplierFactory(station=station),
                               lines=[{"part": old, "quantity": 5}], by=clerk)
    assert po.lines.get().part == new


def test_a_partial_receipt_updates_stock_cost_and_status(station, stocked, warehouse, clerk):
    part = stocked(qty="10", cost="40")
    po = purchase_order_create(station=station, supplier=SupplierFactory(station=station),
                               lines=[{"part": part, "quantity": 10, "unit_cost": Decimal("50")}], by=clerk)
    with pytest.raises(DomainError):
        purchase_order_receive(order=po, by=clerk, quantities={po.lines.get().pk: 5})  # not placed yet
    purchase_order_place(order=po, by=clerk)
    line = po.lines.get()
    purchase_order_receive(order=po, by=clerk, quantities={line.pk: 5},
                           exceptions=[{"po_line": line.pk, "kind": "damaged", "quantity": 1, "note": "纸箱破损"}])
    po.refresh_from_db()
    part.refresh_from_db()
    assert po.status == PurchaseOrder.Status.PARTLY_RECEIVED
    assert StockBalance.objects.get(part=part).on_hand == Decimal("15")
    assert part.cost == Decimal("43.3333")
    with pytest.raises(DomainError):
        purchase_order_receive(order=po, by=clerk, quantities={line.pk: 6})
    purchase_order_receive(order=po, by=clerk, quantities={line.pk: 5})
    po.refresh_from_db()
    assert po.status == PurchaseOrder.Status.RECEIVED
    assert po.receipts.first().exceptions.count() + po.receipts.last().exceptions.count() == 1


def test_a_special_order_is_put_aside_for_its_work_order(station, stocked, clerk, alice):
    part = stocked(qty="0")
    line = part_line(order=WorkOrderFactory(station=station, status="open"), part=part, qty="1")
    po = purchase_order_create(station=station, supplier=SupplierFactory(station=station),
                               lines=[{"part": part, "quantity": 1, "for_line": line}], by=clerk)
    purchase_order_place(order=po, by=clerk)
    purchase_order_receive(order=po, by=clerk, quantities={po.lines.get().pk: 1})
    assert Reservation.objects.get(line=line).is_special_order
    assert available_quantity(part=part) == 0


def test_a_repair_return_leaves_stock_and_comes_back(station, stocked, clerk):
    part = stocked(qty="3")
    ret = supplier_return_create(supplier=SupplierFactory(station=station), part=part, quantity=Decimal("1"),
                                 kind="repair", reason="异响", by=clerk)
    assert available_quantity(part=part) == Decimal("2")
    supplier_return_close(ret=ret, by=clerk, quantity_back=Decimal("1"))
    assert available_quantity(part=part) == Decimal("3")


def test_a_credit_return_cannot_bring_parts_back(station, stocked, clerk):
    part = stocked(qty="3")
    ret = supplier_return_create(supplier=SupplierFactory(station=station), part=part, quantity=Decimal("1"),
                                 kind="return", reason="错发", by=clerk)
    with pytest.raises(DomainError):
        supplier_return_close(ret=ret, by=clerk, quantity_back=Decimal("1"))
