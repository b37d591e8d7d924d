"""Bad input at the counter comes back on the same page (400) with the error next to the box, what was typed
still in it, and nothing saved: issue, return, special order, lost sale."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from parts.factories import SupplierFactory
from parts.models import LostSale, PurchaseOrder, StockBalance, StockMove
from parts.services.counter import parts_issue
from parts.tests.html import box, crispy_field, form_of, is_invalid
from reception.factories import WorkOrderFactory, part_line


def _on_hand(part) -> Decimal:
    return StockBalance.objects.get(part=part).on_hand


def test_issuing_more_than_is_free_stays_on_the_pick_list_with_the_error_at_the_quantity(client_as, station, stocked,
                                                                                        clerk):
    part = stocked(qty="1", part_number="04152-YZZA1")
    line = part_line(order=WorkOrderFactory(station=station, status="open"), part=part, qty="3")
    action = reverse("parts:line_issue", args=[line.pk])
    response = client_as(clerk).post(action, {"quantity": "2.5"})
    assert response.status_code == 400
    form = form_of(response.content.decode(), action)
    assert is_invalid(box(form, "quantity")) and 'value="2.5"' in box(form, "quantity")
    assert "Not enough free stock of 04152-YZZA1: 1 available." in form
    assert _on_hand(part) == Decimal("1") and not StockMove.objects.filter(kind=StockMove.Kind.ISSUE).exists()


def test_a_quantity_that_is_not_a_number_is_refused_at_the_box(client_as, station, stocked, clerk):
    part = stocked(qty="5")
    line = part_line(order=WorkOrderFactory(station=station, status="open"), part=part, qty="1")
    action = reverse("parts:line_issue", args=[line.pk])
    response = client_as(clerk).post(action, {"quantity": "zwei"})
    assert response.status_code == 400
    form = form_of(response.content.decode(), action)
    assert "Enter a number." in form and 'value="zwei"' in box(form, "quantity")
    assert _on_hand(part) == Decimal("5")


def test_returning_more_than_was_issued_keeps_the_quantity_and_the_reason(client_as, station, stocked, clerk):
    part = stocked(qty="5")
    line = part_line(order=WorkOrderFactory(station=station, status="open"), part=part, qty="2")
    parts_issue(line=line, quantity=Decimal("1"), by=clerk)
    action = reverse("parts:line_return", args=[line.pk])
    response = client_as(clerk).post(action, {"quantity": "3", "reason": "多领了"})
    assert response.status_code == 400
    form = form_of(response.content.decode(), action)
    assert "Only 1 were issued to this line." in form
    assert is_invalid(box(form, "quantity")) and 'value="3"' in box(form, "quantity")
    assert 'value="多领了"' in box(form, "reason")
    assert _on_hand(part) == Decimal("4") and not StockMove.objects.filter(kind=StockMove.Kind.RETURN).exists()


def test_the_error_stands_on_the_line_it_was_posted_for(client_as, station, stocked, clerk):
    part = stocked(qty="1")
    order = WorkOrderFactory(station=station, status="open")
    first = part_line(order=order, part=part, qty="1")
    second = part_line(order=order, part=part, qty="5")
    response = client_as(clerk).post(reverse("parts:line_issue", args=[second.pk]), {"quantity": "5"})
    page = response.content.decode()
    assert "Not enough free stock" in form_of(page, reverse("parts:line_issue", args=[second.pk]))
    assert "Not enough free stock" not in form_of(page, reverse("parts:line_issue", args=[first.pk]))


def test_a_special_order_without_a_quantity_is_refused_at_the_quantity(client_as, station, stocked, lead):
    part = stocked(qty="0")
    line = part_line(order=WorkOrderFactory(station=station, status="open"), part=part, qty="2")
    supplier = SupplierFactory(station=station, name="本地配件供应商")
    action = reverse("parts:line_special_order", args=[line.pk])
    response = client_as(lead).post(action, {"supplier": supplier.pk, "quantity": "0", "is_emergency": "1"})
    assert response.status_code == 400
    form = form_of(response.content.decode(), action)
    assert "Ensure this value is greater than or equal to 0.01." in form
    assert is_invalid(box(form, "quantity")) and 'value="0"' in box(form, "quantity")
    assert f'<option value="{supplier.pk}" selected>' in form and "checked" in box(form, "is_emergency")
    assert not PurchaseOrder.objects.exists()


def test_a_supplier_of_another_station_is_refused_at_the_supplier(client_as, station, other_station, stocked, lead):
    part = stocked(qty="0")
    line = part_line(order=WorkOrderFactory(station=station, status="open"), part=part, qty="2")
    foreign = SupplierFactory(station=other_station)
    action = reverse("parts:line_special_order", args=[line.pk])
    response = client_as(lead).post(action, {"supplier": foreign.pk, "quantity": "2"})
    assert response.status_code == 400
    form = form_of(response.content.decode(), action)
    assert is_invalid(box(form, "supplier")) and "Select a valid choice." in form
    assert not PurchaseOrder.objects.exists()


def test_a_lost_sale_for_an_unknown_part_keeps_what_was_typed(client_as, stocked, clerk):
    stocked(qty="0")
    response = client_as(clerk).post(reverse("parts:lost_sale"), {
        "part_number": "NOPE-123", "quantity": "2", "outcome": "emergency", "note": "客户等不及"})
    assert response.status_code == 400
    form = form_of(response.content.decode(), reverse("parts:lost_sale"))
    field = crispy_field(form, "part_number")
    assert "No part with number NOPE-123." in field and is_invalid(box(field, "part_number"))
    assert 'value="NOPE-123"' in field and 'value="客户等不及"' in box(form, "note") and 'value="2"' in form
    assert 'value="emergency" selected' in form
    assert not LostSale.objects.exists()


def test_a_lost_sale_error_is_shown_in_chinese_to_a_chinese_desk(client_as, stocked, clerk):
    stocked(qty="0")
    response = client_as(clerk).post(reverse("parts:lost_sale"), {"part_number": "NOPE-123", "quantity": "1",
                                                                   "outcome": "lost"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert "没有编号为 NOPE-123 的配件。" in response.content.decode()
