from decimal import Decimal

import pytest

from core.errors import DomainError
from reception.factories import AppointmentFactory
from reception.models import Payer, WorkOrder, WorkOrderLine
from reception.services import orders


def test_reception_opens_a_draft_order_with_a_gapless_number(order, vehicle):
    assert order.status == WorkOrder.Status.DRAFT
    assert order.number.startswith("WOST") and order.number.endswith("000001")
    assert [c.text for c in order.concerns.all()] == ["刹车有异响"]
    vehicle.refresh_from_db()
    assert vehicle.mileage == 21000
    assert order.events.filter(kind="received").exists()


def test_reception_needs_a_concern(station, alice, customer, vehicle):
    with pytest.raises(DomainError) as exc:
        orders.order_receive(station=station, by=alice, customer=customer, vehicle=vehicle, concerns=["  "])
    assert exc.value.field == "concerns"


def test_reception_refuses_a_lower_mileage_without_a_supervisor(station, alice, customer, vehicle):
    with pytest.raises(DomainError) as exc:
        orders.order_receive(station=station, by=alice, customer=customer, vehicle=vehicle, concerns=["x"],
                             mileage_in=5)
    assert exc.value.field == "mileage"
    assert not WorkOrder.objects.exists()


def test_arrival_from_an_appointment_carries_the_operations_over(station, alice, customer, vehicle, oil_change):
    appointment = AppointmentFactory(station=station, customer=customer, vehicle=vehicle, advisor=alice)
    appointment.operations.set([oil_change])
    order = orders.order_receive(station=station, by=alice, customer=customer, vehicle=vehicle, concerns=["保养"],
                                 appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.status == "arrived" and appointment.work_order == order
    assert not order.is_walk_in
    assert [line.labour_operation for line in order.lines.all()] == [oil_change]


def test_a_labour_line_takes_the_rate_of_its_payer(order, alice, oil_change):
    line = orders.line_add_labour(order=order, by=alice, operation=oil_change, payer=Payer.WARRANTY)
    assert line.unit_price == Decimal("200") and line.hours == Decimal("0.5")
    orders.line_update(line=line, by=alice, payer=Payer.CUSTOMER)
    line.refresh_from_db()
    assert line.unit_price == Decimal("300")


def test_an_operation_of_another_station_cannot_be_added(order, alice, other_station):
    from reception.factories import LabourOperationFactory

    with pytest.raises(DomainError):
        orders.line_add_labour(order=order, by=alice, operation=LabourOperationFactory(station=other_station))


@pytest.fixture
def demand_calls(monkeypatch):
    """What the order told parts (through parts.services.orders), in order."""
    calls = []
    monkeypatch.setattr(orders, "line_demand_capture", lambda *, line, by: calls.append(("requested", line.pk)))
    monkeypatch.setattr(orders, "line_demand_release", lambda *, line, by: calls.append(("released", line.pk)))
    return calls


def test_a_part_line_tells_the_parts_app_when_added_and_removed(order, alice, part, demand_calls):
    line = orders.line_add_part(order=order, by=alice, part=part, quantity=Decimal("2"))
    assert line.unit_price == Decimal("320") and line.unit_cost == Decimal("180")
    pk = line.pk
    orders.line_remove(line=line, by=alice)
    assert demand_calls == [("requested", pk), ("released", pk)]
    assert not WorkOrderLine.objects.filter(pk=pk).exists()


def test_after_signature_a_removed_line_stays_as_declined(order, alice, part, demand_calls):
    line = orders.line_add_part(order=order, by=alice, part=part, quantity=Decimal("1"))
    order.signed_at = order.opened_at
    order.save()
    orders.line_remove(line=line, by=alice)
    line.refresh_from_db()
    assert line.approval == WorkOrderLine.Approval.DECLINED
    assert demand_calls[-1] == ("released", line.pk)


def test_a_line_added_after_signature_is_proposed_additional_work(order, alice, oil_change):
    order.signed_at = order.opened_at
    order.save()
    line = orders.line_add_labour(order=order, by=alice, operation=oil_change)
    assert line.approval == WorkOrderLine.Approval.PROPOSED and line.is_additional


def test_a_settled_order_cannot_change(order, alice):
    WorkOrder.objects.filter(pk=order.pk).update(status=WorkOrder.Status.SETTLED)
    order.refresh_from_db()
    with pytest.raises(DomainError):
        orders.line_add_sublet(order=order, by=alice, description="喷漆", unit_price=Decimal("100"))


def test_sublet_lines_need_a_description(order, alice):
    with pytest.raises(DomainError) as exc:
        orders.line_add_sublet(order=order, by=alice, description=" ", unit_price=Decimal("100"))
    assert exc.value.field == "description"
