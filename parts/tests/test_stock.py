from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from core.errors import DomainError
from parts.factories import WarehouseFactory
from parts.models import StockBalance, StockMove
from parts.services.stock import stock_move_post, stock_transfer


def test_moves_add_up_to_the_balance(stocked, warehouse, clerk):
    part = stocked(qty="10")
    stock_move_post(warehouse=warehouse, part=part, kind=StockMove.Kind.RECEIPT, quantity=Decimal("5"), by=clerk,
                    unit_cost=Decimal("40"))
    stock_move_post(warehouse=warehouse, part=part, kind=StockMove.Kind.SCRAP, quantity=Decimal("-3"), by=clerk)
    balance = StockBalance.objects.get(part=part)
    assert balance.on_hand == Decimal("12")
    assert sum(m.quantity for m in StockMove.objects.filter(part=part)) == balance.on_hand
    assert StockMove.objects.filter(part=part).order_by("id").last().balance_after == Decimal("12")


def test_a_receipt_updates_the_moving_average_cost(stocked, warehouse, clerk):
    part = stocked(qty="10", cost="40.00")
    stock_move_post(warehouse=warehouse, part=part, kind=StockMove.Kind.RECEIPT, quantity=Decimal("10"), by=clerk,
                    unit_cost=Decimal("50.00"))
    part.refresh_from_db()
    assert part.cost == Decimal("45.0000")


def test_the_service_refuses_to_take_stock_below_zero(stocked, warehouse, clerk):
    part = stocked(qty="2")
    with pytest.raises(DomainError):
        stock_move_post(warehouse=warehouse, part=part, kind=StockMove.Kind.SCRAP, quantity=Decimal("-3"), by=clerk)
    assert StockBalance.objects.get(part=part).on_hand == Decimal("2")


def test_the_database_refuses_negative_on_hand_even_past_the_service(stocked):
    part = stocked(qty="2")
    with pytest.raises(IntegrityError), transaction.atomic():
        StockBalance.objects.filter(part=part).update(on_hand=Decimal("-1"))


def test_the_database_refuses_more_reserved_than_on_hand(stocked):
    part = stocked(qty="2")
    with pytest.raises(IntegrityError), transaction.atomic():
        StockBalance.objects.filter(part=part).update(reserved=Decimal("3"))


def test_stock_moves_cannot_be_changed_or_deleted(stocked):
    part = stocked(qty="2")
    move = StockMove.objects.get(part=part)
    with pytest.raises(ValueError):
        move.save()
    with pytest.raises(ValueError):
        move.delete()


def test_reserved_stock_cannot_be_scrapped(station, stocked, warehouse, clerk, alice):
    from parts.services.demand import part_line_requested
    from reception.factories import WorkOrderFactory, part_line

    part = stocked(qty="2")
    part_line_requested(line=part_line(order=WorkOrderFactory(station=station, status="open"), part=part, qty="2"),
                        by=alice)
    with pytest.raises(DomainError):
        stock_move_post(warehouse=warehouse, part=part, kind=StockMove.Kind.SCRAP, quantity=Decimal("-1"), by=clerk)


def test_a_transfer_moves_stock_between_warehouses(station, stocked, warehouse, clerk):
    part = stocked(qty="5")
    other = WarehouseFactory(station=station)
    stock_transfer(part=part, source=warehouse, target=other, quantity=Decimal("2"), by=clerk)
    assert StockBalance.objects.get(part=part, warehouse=warehouse).on_hand == Decimal("3")
    assert StockBalance.objects.get(part=part, warehouse=other).on_hand == Decimal("2")
    with pytest.raises(DomainError):
        stock_transfer(part=part, source=warehouse, target=other, quantity=Decimal("4"), by=clerk)


def test_a_part_of_another_station_cannot_be_moved_here(other_station, warehouse, clerk):
    from parts.factories import PartFactory

    foreign = PartFactory(station=other_station)
    with pytest.raises(DomainError):
        stock_move_post(warehouse=warehouse, part=foreign, kind=StockMove.Kind.RECEIPT, quantity=Decimal("1"),
                        by=clerk, unit_cost=Decimal("1"))
