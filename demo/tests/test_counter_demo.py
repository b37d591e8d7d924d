"""The counter-sales demo (demo/counter.py) on a small station: through the services, once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction

from demo import counter
from demo.base import DemoContext
from parts.factories import PartFactory
from parts.models import StockBalance, StockMove
from parts.services.stock import locked_balance, stock_move_post, warehouse_main
from reception.factories import VehicleFactory
from settlement.counter_selectors import vehicle_extended_warranties
from settlement.models import CounterPayment, CounterSale, Invoice

pytestmark = pytest.mark.django_db


def test_the_counter_demo_sells_issues_and_takes_payment_once(station, make_staff):
    staff = {p: make_staff(p, username=p) for p in ("parts_lead", "cashier")}
    warehouse = warehouse_main(station=station)
    parts = [PartFactory(station=station) for _ in range(6)]
    for part in parts:
        with transaction.atomic():
            locked_balance(warehouse=warehouse, part=part)
        stock_move_post(warehouse=warehouse, part=part, kind=StockMove.Kind.OPENING, quantity=Decimal("5"),
                        by=staff["parts_lead"], unit_cost=Decimal("40"))
    cars = [VehicleFactory(station=station) for _ in range(2)]
    ctx = DemoContext(group=station.group, stations=[station], staff=staff)
    counter.seed_counter(ctx)
    counter.seed_counter(ctx)
    assert CounterSale.objects.filter(status="confirmed").count() == 6
    assert CounterPayment.objects.count() == 5  # the last sale waits at the cashier
    issued = -sum(m.quantity for m in StockMove.objects.filter(kind=StockMove.Kind.ISSUE))
    assert issued == Decimal("6")  # four walk-ins and two owners, one part each
    assert sum(b.on_hand for b in StockBalance.objects.all()) == Decimal("24")
    assert [len(vehicle_extended_warranties(car)) for car in cars] == [1, 1]
    invoice = Invoice.objects.get()  # the first owner's paid sale, through the counter invoice path
    assert invoice.counter_sale.customer == cars[0].owner and invoice.amount == invoice.counter_sale.gross
