from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction

from parts.factories import PartFactory
from parts.models import StockMove
from parts.services.stock import locked_balance, stock_move_post, warehouse_main


@pytest.fixture
def clerk(make_staff):
    return make_staff("parts_clerk", username="petra")


@pytest.fixture
def lead(make_staff):
    return make_staff("parts_lead", username="larry")


@pytest.fixture
def warehouse(station):
    return warehouse_main(station=station)


@pytest.fixture
def stocked(station, warehouse, clerk):
    """Make a part of the station with this much opening stock at this cost."""

    def make(qty="10", cost="40.00", **kw):
        part = PartFactory(station=station, cost=Decimal("0"), **kw)
        with transaction.atomic():
            locked_balance(warehouse=warehouse, part=part)
        if Decimal(qty):
            stock_move_post(
                warehouse=warehouse, part=part, kind=StockMove.Kind.OPENING, quantity=Decimal(qty), by=clerk,
                unit_cost=Decimal(cost),
            )
        part.refresh_from_db()
        return part

    return make
