"""Bad input in purchasing and supplier returns comes back on the same page (400), the error next to the box, what
was typed still there, nothing saved: suggested order, new PO, goods receipt, supplier return, closing a return."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from parts.factories import SupplierFactory
from parts.models import PurchaseOrder, Receipt, StockBalance, StockMove, SupplierReturn
from parts.services.catalogue import part_set_location
from parts.services.purchasing import purchase_order_create, purchase_order_place, supplier_return_create
from parts.tests.html import box, crispy_field, form_of, is_invalid


def _on_hand(part) -> Decimal:
    return StockBalance.objects.get(part=part).on_hand


def test_a_suggested_order_with_no_part_ticked_keeps_the_typed_quantities(client_as, station, stocked, warehouse,
                                                                          lead):
    part = stocked(qty="1")
    part_set_location(part=part, warehouse=warehouse, by=lead, bin_location="A", min_qty=Decimal("2"),
                      max_qty=Decimal("6"))
    supplier = SupplierFactory(station=station)
    url = reverse("parts:suggested")
    assert 'checked' in box(client_as(lead).get(url).content.decode(), "part")  # ticked until the user says no
    response = client_as(lead).post(url, {"supplier": supplier.pk, f"qty_{part.pk}": "7"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Add at least one part to the order." in page
    assert 'value="7"' in box(page, f"qty_{part.pk}") and "checked" not in box(page, "part")
    assert not PurchaseOrder.objects.exists()


def test_a_suggested_quantity_that_is_not_a_number_is_refused_on_its_row(client_as, station, stocked, warehouse, lead):
    part = stocked(qty="1")
    part_set_location(part=part, warehouse=warehouse, by=lead, bin_location="A", min_qty=Decimal("2"),
                      max_qty=Decimal("6"))
    supplier = SupplierFactory(station=station)
    response = client_as(lead).post(reverse("parts:suggested"), {"supplier": supplier.pk, "part": [part.pk],
                                                                 f"qty_{part.pk}": "-2"})
    assert response.status_code == 400
    page = response.content.decode()
    row = page[page.index(f'name="qty_{part.pk}"'):]
    assert is_invalid(box(page, f"qty_{part.pk}")) and 'value="-2"' in box(page, f"qty_{part.pk}")
    assert "Ensure this value is greater than or equal to 0." in row[:row.index("</tr>")]
    assert not PurchaseOrder.objects.exists()


def test_a_new_order_with_an_unknown_part_number_keeps_the_typed_lines(client_as, station, stocked, lead):
    stocked(qty="1", part_number="04152-YZZA1")
    supplier = SupplierFactory(station=station)
    url = reverse("parts:po_create")
    response = client_as(lead).post(url, {"supplier": supplier.pk, "lines": "04152-YZZA1 4\nNOPE-9 2"})
    assert response.status_code == 400
    field = crispy_field(response.content.decode(), "lines")
    assert "No part with number NOPE-9." in field and is_invalid(box(field, "lines"))
    assert "04152-YZZA1 4\nNOPE-9 2" in field
    assert not PurchaseOrder.objects.exists()


def _placed_order(station, part, lead, qty="5"):
    order = purchase_order_create(station=station, supplier=SupplierFactory(station=station),
                                  lines=[{"part": part, "quantity": Decimal(qty)}], by=lead)
    return purchase_order_place(order=order, by=lead)


def test_receiving_more_than_is_outstanding_is_refused_on_the_line(client_as, station, stocked, lead):
    part = stocked(qty="1", part_number="04152-YZZA1")
    order = _placed_order(station, part, lead)
    line = order.lines.get()
    action = reverse("parts:po_receive", args=[order.pk])
    response = client_as(lead).post(action, {f"qty_{line.pk}": "8", f"cost_{line.pk}": "41.5",
                                             f"exc_kind_{line.pk}": "damaged", f"exc_qty_{line.pk}": "1",
                                             f"exc_note_{line.pk}": "外包装破损", "delivery_note": "DN-778"})
    assert response.status_code == 400
    form = form_of(response.content.decode(), action)
    row = form[form.index(f'name="qty_{line.pk}"'):]
    assert "04152-YZZA1: receive between 0 and 5." in row[:row.index("</tr>")]
    assert is_invalid(box(form, f"qty_{line.pk}")) and 'value="8"' in box(form, f"qty_{line.pk}")
    assert 'value="41.5"' in box(form, f"cost_{line.pk}") and 'value="外包装破损"' in box(form, f"exc_note_{line.pk}")
    assert 'value="damaged" selected' in form and 'value="DN-778"' in box(form, "delivery_note")
    assert _on_hand(part) == Decimal("1") and not Receipt.objects.exists()
    assert order.lines.get().received_qty == 0


def test_a_receipt_with_nothing_entered_says_so_above_the_lines(client_as, station, stocked, lead):
    part = stocked(qty="1")
    order = _placed_order(station, part, lead)
    line = order.lines.get()
    action = reverse("parts:po_receive", args=[order.pk])
    response = client_as(lead).post(action, {f"qty_{line.pk}": "0", "delivery_note": "DN-1"})
    assert response.status_code == 400
    form = form_of(response.content.decode(), action)
    assert "Enter at least one received quantity or exception." in form and 'value="DN-1"' in form
    assert not Receipt.objects.exists()


def test_a_supplier_return_of_more_than_is_in_stock_keeps_the_form(client_as, station, stocked, lead):
    part = stocked(qty="2", part_number="04152-YZZA1")
    supplier = SupplierFactory(station=station)
    url = reverse("parts:supplier_return_create")
    response = client_as(lead).post(url, {"supplier": supplier.pk, "part_number": "04152-yzza1", "quantity": "3",
                                          "kind": "exchange", "reason": "型号错误"})
    assert response.status_code == 400
    form = form_of(response.content.decode(), url)
    field = crispy_field(form, "quantity")
    assert "Not enough stock of 04152-YZZA1" in field and is_invalid(box(field, "quantity"))
    assert 'value="3"' in field and 'value="型号错误"' in box(form, "reason") and 'value="04152-yzza1"' in form
    assert _on_hand(part) == Decimal("2") and not SupplierReturn.objects.exists()


def test_closing_a_return_with_more_back_than_was_sent_is_refused_on_its_row(client_as, station, stocked, lead):
    part = stocked(qty="5")
    ret = supplier_return_create(supplier=SupplierFactory(station=station), part=part, quantity=Decimal("2"),
                                 kind="repair", reason="异响", by=lead)
    action = reverse("parts:supplier_return_close", args=[ret.pk])
    response = client_as(lead).post(action, {"quantity_back": "3"})
    assert response.status_code == 400
    form = form_of(response.content.decode(), action)
    assert "Between 0 and the quantity sent can come back." in form
    assert is_invalid(box(form, "quantity_back")) and 'value="3"' in box(form, "quantity_back")
    ret.refresh_from_db()
    assert ret.status == SupplierReturn.Status.SENT and _on_hand(part) == Decimal("3")
    assert not StockMove.objects.filter(kind=StockMove.Kind.REPAIR_IN).exists()
