"""Issue 13 (Low): NaN, Infinity and 1e20 in a purchase-order line and in the parts CSV import are refused at the
field or the row (they answered 500); quantities are capped (core.numbers.MAX_QUANTITY)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parts.factories import SupplierFactory
from parts.models import Part, PurchaseOrder
from parts.tests.html import box, crispy_field, is_invalid


@pytest.mark.parametrize("quantity", ["NaN", "Infinity", "-Infinity", "sNaN", "1e20", "10000"])
def test_a_purchase_order_line_with_an_absurd_quantity_is_refused_at_the_lines(client_as, station, stocked, lead,
                                                                              quantity):
    stocked(qty="1", part_number="04152-YZZA1")
    supplier = SupplierFactory(station=station)
    response = client_as(lead).post(reverse("parts:po_create"),
                                    {"supplier": supplier.pk, "lines": f"04152-YZZA1 {quantity}"})
    assert response.status_code == 400
    field = crispy_field(response.content.decode(), "lines")
    assert is_invalid(box(field, "lines"))
    assert "is not a number" in field or "Must be at most 9999" in field
    assert not PurchaseOrder.objects.exists()


def test_a_purchase_order_line_within_the_cap_is_accepted(client_as, station, stocked, lead):
    stocked(qty="1", part_number="04152-YZZA1")
    supplier = SupplierFactory(station=station)
    response = client_as(lead).post(reverse("parts:po_create"), {"supplier": supplier.pk, "lines": "04152-YZZA1 9999"})
    assert response.status_code == 302
    assert PurchaseOrder.objects.get().lines.get().quantity == 9999


@pytest.mark.parametrize("column,value", [("list_price", "NaN"), ("list_price", "Infinity"), ("list_price", "1e20"),
                                          ("min", "NaN"), ("max", "-Infinity"), ("min", "1e20")])
def test_the_parts_import_refuses_a_number_that_is_not_finite_or_too_large_on_its_row(client, station, lead, column,
                                                                                    value, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(lead)
    values = {"list_price": "68", "min": "1", "max": "5", column: value}
    data = ("part_number,name_zh,list_price,min,max\n04152-YZZA1,机油滤清器,68,1,5\n"
            f"04152-YZZA2,机油滤清器,{values['list_price']},{values['min']},{values['max']}\n").encode()
    response = client.post(reverse("parts:part_import"), {"file": SimpleUploadedFile("p.csv", data)})
    errors = client.get(response["Location"]).context["job"].errors  # checked on the workers (in-process here)
    assert [(e["row"], e["column"]) for e in errors] == [(3, column)]
    assert not Part.objects.exists()


@pytest.mark.parametrize("quantity", ["10000", "NaN", "Infinity", "1e20"])
def test_a_lost_sale_quantity_that_is_absurd_is_refused_at_the_field(client_as, lead, stocked, quantity):
    stocked(qty="1", part_number="X-1")
    response = client_as(lead).post(reverse("parts:lost_sale"), {"part_number": "X-1", "quantity": quantity,
                                                                 "outcome": "lost"})
    assert response.status_code == 400
    assert response.context["lost_form"].errors["quantity"]
