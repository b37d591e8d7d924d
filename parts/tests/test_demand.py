from __future__ import annotations

from decimal import Decimal

from parts.models import DemandLine, StockBalance
from parts.selectors import available_quantity, issued_quantity_by_line
from parts.services.counter import parts_issue, parts_return
from parts.services.demand import part_line_released, part_line_requested
from parts.services.requests import parts_request_create
from reception.factories import WorkOrderFactory, part_line


def test_a_line_fully_in_stock_counts_as_filled_from_stock_and_is_reserved(station, stocked, alice):
    part = stocked(qty="5")
    line = part_line(order=WorkOrderFactory(station=station, status="open"), part=part, qty="2")
    demand = part_line_requested(line=line, by=alice)
    assert demand.filled_from_stock is True
    assert available_quantity(part=part) == Decimal("3")


def test_a_partly_filled_line_counts_as_not_filled_and_reserves_what_there_is(station, stocked, alice):
    part = stocked(qty="1")
    line = part_line(order=WorkOrderFactory(station=station, status="open"), part=part, qty="4")
    demand = part_line_requested(line=line, by=alice)
    assert demand.filled_from_stock is False
    assert StockBalance.objects.get(part=part).reserved == Decimal("1")
    assert available_quantity(part=part) == 0


def test_requesting_again_does_not_record_a_second_demand(station, stocked, alice):
    part = stocked(qty="5")
    line = part_line(order=WorkOrderFactory(station=station, status="open"), part=part, qty="2")
    part_line_requested(line=line, by=alice)
    line.quantity = Decimal("3")
    line.save()
    part_line_requested(line=line, by=alice)
    assert DemandLine.objects.filter(line=line).count() == 1
    assert StockBalance.objects.get(part=part).reserved == Decimal("3")


def test_releasing_a_line_gives_its_reservation_back(station, stocked, alice):
    part = stocked(qty="5")
    line = part_line(order=WorkOrderFactory(station=station, status="open"), part=part, qty="2")
    part_line_requested(line=line, by=alice)
    part_line_released(line=line, by=alice)
    assert available_quantity(part=part) == Decimal("5")
    assert DemandLine.objects.get(line=line).released_at is not None


def test_issue_consumes_the_reservation_and_sets_the_line_cost(station, stocked, alice, clerk):
    part = stocked(qty="5", cost="42.50")
    order = WorkOrderFactory(station=station, status="open")
    line = part_line(order=order, part=part, qty="2")
    part_line_requested(line=line, by=alice)
    parts_issue(line=line, quantity=Decimal("2"), by=clerk)
    balance = StockBalance.objects.get(part=part)
    assert (balance.on_hand, balance.reserved) == (Decimal("3"), Decimal("0"))
    line.refresh_from_db()
    assert line.unit_cost == Decimal("42.5000")
    parts_return(line=line, quantity=Decimal("1"), by=clerk)
    assert issued_quantity_by_line(order=order) == {line.pk: Decimal("1")}


def test_a_parts_request_is_open_until_the_line_is_issued(station, stocked, make_staff, clerk):
    part = stocked(qty="5")
    line = part_line(order=WorkOrderFactory(station=station, status="open"), part=part, qty="1")
    request = parts_request_create(line=line, by=make_staff("technician"), quantity=Decimal("1"), note="左前")
    assert request.status == "open"
    parts_issue(line=line, quantity=Decimal("1"), by=clerk)
    request.refresh_from_db()
    assert request.status == "issued"


def test_an_order_with_parts_issued_cannot_be_cancelled_until_they_come_back(station, stocked, alice, clerk):
    import pytest

    from core.errors import DomainError
    from reception.services.workflow import work_order_transition

    part = stocked(qty="5")
    order = WorkOrderFactory(station=station, advisor=alice, status="open")
    line = part_line(order=order, part=part, qty="2")
    part_line_requested(line=line, by=alice)
    parts_issue(line=line, quantity=Decimal("1"), by=clerk)
    with pytest.raises(DomainError):
        work_order_transition(order=order, to="cancelled", by=alice, note="客户取消")
    parts_return(line=line, quantity=Decimal("1"), by=clerk)
    work_order_transition(order=order, to="cancelled", by=alice, note="客户取消")
    assert available_quantity(part=part) == Decimal("5")


def test_first_fill_counts_lines_filled_from_stock_when_requested(station, stocked, alice):
    from datetime import timedelta

    from django.utils import timezone

    from parts.selectors import first_fill

    plenty, scarce = stocked(qty="10"), stocked(qty="1")
    order = WorkOrderFactory(station=station, status="open")
    part_line_requested(line=part_line(order=order, part=plenty, qty="2"), by=alice)
    part_line_requested(line=part_line(order=order, part=plenty, qty="3"), by=alice)
    part_line_requested(line=part_line(order=order, part=scarce, qty="2"), by=alice)  # partly: not filled
    now = timezone.now()
    assert first_fill(station=station, start=now - timedelta(hours=1), end=now + timedelta(hours=1)) == (2, 3)


def test_reservation_changes_leave_an_audit_row_with_who(station, stocked, alice):
    from parts.models import PartsEvent

    part = stocked(qty="5")
    line = part_line(order=WorkOrderFactory(station=station, status="open"), part=part, qty="2")
    part_line_requested(line=line, by=alice)
    part_line_released(line=line, by=alice)
    events = list(PartsEvent.objects.filter(kind="reservation", line=line).order_by("id"))
    assert [(e.by, e.note) for e in events] == [(alice, "+2 → 2"), (alice, "-2.00 → 0")]
