"""Issue 13 (Low): NaN, Infinity and 1e20 in the labour-catalogue import are a row error (they answered 500), and
order lines are capped: quantity ≤ 9,999, sold hours ≤ 200, price ≤ 9,999,999.99 (core.numbers)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reception.models import LabourOperation
from reception.services import orders

HEADER = "code,name_zh,name_en,category,standard_hours,rate_customer\n"


@pytest.mark.parametrize("hours,rate", [("NaN", "300"), ("Infinity", "300"), ("1e20", "300"), ("201", "300"),
                                        ("1", "NaN"), ("1", "-Infinity"), ("1", "1e20")])
def test_the_catalogue_import_refuses_a_number_that_is_not_finite_or_too_large_on_its_row(client_as, make_staff,
                                                                                        hours, rate, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lead = make_staff("technical_lead")
    client = client_as(lead)
    upload = SimpleUploadedFile("ops.csv", (HEADER + f"SU001,四轮定位,,,1,300\nSU002,动平衡,,,{hours},{rate}\n").encode())
    response = client.post(reverse("reception:catalogue_import"), {"file": upload})
    errors = client.get(response["Location"]).context["job"].errors  # checked on the workers (in-process here)
    assert [e["row"] for e in errors] == [3]
    assert "is not a number" in errors[0]["message"] or "at most" in errors[0]["message"]
    assert not LabourOperation.objects.exists()


@pytest.mark.parametrize("field,value", [("quantity", "10000"), ("hours", "201"), ("quantity", "NaN"),
                                         ("hours", "Infinity"), ("hours", "1e20")])
def test_a_line_edit_beyond_the_caps_is_refused_at_the_field(client_as, alice, order, field, value):
    line = orders.line_add_sublet(order=order, by=alice, description="钣金", unit_price=Decimal("1000"))
    data = {"payer": "customer", "quantity": "1", "hours": "0", "discount_pct": "0", "reason": "", field: value}
    response = client_as(alice).post(reverse("reception:line_edit", args=[order.pk, line.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    line.refresh_from_db()
    assert line.quantity == 1


def test_a_sublet_price_beyond_the_cap_is_refused_at_the_price(client_as, alice, order):
    response = client_as(alice).post(reverse("reception:line_add", args=[order.pk, "sublet"]), {
        "sublet-description": "轮毂修复", "sublet-unit_price": "10000000", "sublet-payer": "customer"})
    assert response.status_code == 400
    assert "less than or equal to 9999999.99" in response.content.decode()
    assert not order.lines.exists()


def test_a_part_line_quantity_beyond_the_cap_is_refused(client_as, alice, order, part):
    response = client_as(alice).post(reverse("reception:line_add", args=[order.pk, "part"]),
                                     {"part-part": part.pk, "part-quantity": "10000", "part-payer": "customer"})
    assert response.status_code == 400
    assert "less than or equal to 9999" in response.content.decode()
    assert not order.lines.exists()
