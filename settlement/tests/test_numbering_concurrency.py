"""Two (or eight) cashiers settling at the same moment get consecutive statement numbers: no gap, no duplicate."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from reception.factories import WorkOrderFactory, labour_line, part_line
from settlement.models import Statement
from settlement.services.settle import order_settle

CASHIERS = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_settlements_get_gapless_unique_numbers(station, alice, make_staff, monkeypatch):
    import parts.selectors

    monkeypatch.setattr(parts.selectors, "issued_quantity_by_line",
                        lambda *, order: {line.pk: line.quantity for line in order.lines.filter(kind="part")},
                        raising=False)
    cashiers = [make_staff("cashier", username=f"cashier{i}") for i in range(CASHIERS)]
    orders = []
    for i in range(CASHIERS):
        order = WorkOrderFactory(ready=True, station=station, advisor=alice)
        labour_line(order, hours="1.00")
        part_line(order, qty="1", payer="warranty" if i % 2 else "customer")  # some orders have two payers
        orders.append(order)
    barrier = threading.Barrier(CASHIERS)
    errors: list[BaseException] = []

    def settle(order, cashier):
        try:
            barrier.wait(timeout=10)
            order_settle(order=order, by=cashier)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=settle, args=(o, c)) for o, c in zip(orders, cashiers, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    numbers = sorted(Statement.objects.filter(station=station).values_list("number", flat=True))
    expected_count = CASHIERS + CASHIERS // 2
    assert len(numbers) == len(set(numbers)) == expected_count
    sequence = [int(n[-6:]) for n in numbers]
    assert sequence == list(range(1, expected_count + 1))
    assert Statement.objects.filter(station=station, kind="statement").count() == expected_count
    assert sum(s.net for s in Statement.objects.all()) == Decimal("368.00") * CASHIERS
