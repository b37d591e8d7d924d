from __future__ import annotations

from decimal import Decimal

import pytest

from reception.factories import LabourOperationFactory, WorkOrderFactory, labour_line, part_line, sublet_line


@pytest.fixture
def cashier(make_staff, carol):
    return make_staff("cashier", username="cathy", reports_to=carol)


@pytest.fixture
def clerk(make_staff, carol):
    return make_staff("warranty_clerk", username="wendy", reports_to=carol)


@pytest.fixture
def techlead(make_staff, carol):
    return make_staff("technical_lead", username="tom", reports_to=carol)


@pytest.fixture
def issued(monkeypatch):
    """issued({line_id: qty}): what the parts module reports as issued from stock for the order's lines."""
    state: dict[int, Decimal] = {}

    def fake(*, order):
        return {k: v for k, v in state.items() if order.lines.filter(pk=k).exists()}

    import parts.selectors

    monkeypatch.setattr(parts.selectors, "issued_quantity_by_line", fake, raising=False)

    def set_issued(mapping: dict) -> None:
        state.update({(k.pk if hasattr(k, "pk") else k): Decimal(str(v)) for k, v in mapping.items()})

    return set_issued


@pytest.fixture
def ready_order(station, alice, issued):
    """A ready order: 1.5 h labour, 2 filters (issued), a sublet, all customer pay."""
    order = WorkOrderFactory(ready=True, station=station, advisor=alice)
    oil_change = LabourOperationFactory(station=station, name_zh="更换机油及机滤", name_en="Oil and filter change")
    labour_line(order, operation=oil_change, hours="1.50", price="300.00")
    filters = part_line(order, qty="2", price="68.00", description="机油滤清器")
    sublet_line(order, price="500.00")
    issued({filters: 2})
    return order
