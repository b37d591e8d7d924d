"""Issue 13 item 4: whatever lowers what a payer owes on a line the customer has been shown (fewer hours, a lower
quantity, another payer, removing the line, a discount) needs the same authority as a discount."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from PIL import Image

from org.models import AuthorityLimit
from reception.models import WorkOrderEvent, WorkOrderLine
from reception.services import orders
from reception.services.estimates import estimate_sign
from reception.services.pricing import amount_of


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def labour(order, alice, oil_change):
    """A ¥300 labour line (1 hour at ¥300), signed by the customer."""
    line = orders.line_add_labour(order=order, by=alice, operation=oil_change, hours=Decimal("1"))
    estimate_sign(order=order, by=alice, method="signature", signature_png=_png())
    line.refresh_from_db()
    assert amount_of(line) == Decimal("300.00")
    return line


@pytest.fixture
def parts_line(order, alice, part):
    """Two brake pads at ¥320, signed by the customer."""
    line = orders.line_add_part(order=order, by=alice, part=part, quantity=Decimal("2"))
    estimate_sign(order=order, by=alice, method="signature", signature_png=_png())
    line.refresh_from_db()
    return line


def _edit(client, line, **changes):
    data = {"payer": line.payer, "quantity": line.quantity, "hours": line.hours, "discount_pct": line.discount_pct,
            "reason": ""}
    data.update(changes)
    return client.post(reverse("reception:line_edit", args=[line.order_id, line.pk]), data)


def _unchanged(line, *, payer="customer", hours=None, quantity=None):
    before = (line.hours, line.quantity)
    line.refresh_from_db()
    assert line.payer == payer and line.approval == WorkOrderLine.Approval.APPROVED
    assert (line.hours, line.quantity) == (hours or before[0], quantity or before[1])


def test_an_advisor_cannot_set_a_signed_300_yuan_line_to_zero_hours(client_as, alice, labour):
    response = _edit(client_as(alice), labour, hours="0")
    assert response.status_code == 400
    assert "authority" in str(response.context["form"].errors["hours"])
    _unchanged(labour)
    assert amount_of(labour) == Decimal("300.00")


def test_an_advisor_cannot_lower_the_quantity_of_a_signed_parts_line(client_as, alice, parts_line):
    response = _edit(client_as(alice), parts_line, quantity="1")
    assert response.status_code == 400
    assert response.context["form"].errors["quantity"]
    _unchanged(parts_line, quantity=Decimal("2"))


def test_an_advisor_cannot_switch_a_signed_line_to_internal(client_as, alice, labour):
    response = _edit(client_as(alice), labour, payer="internal")
    assert response.status_code == 400
    assert response.context["form"].errors["payer"]
    _unchanged(labour)


def test_an_advisor_cannot_remove_a_signed_line(client_as, alice, labour):
    response = client_as(alice).post(reverse("reception:line_remove", args=[labour.order_id, labour.pk]),
                                     follow=True)
    assert any("authority" in str(m) for m in response.context["messages"])
    _unchanged(labour)


def test_two_small_cuts_count_as_one(client_as, alice, labour):
    """4 % off the hours is within the advisor's 5 %, a further 4 % discount is not (against what was signed)."""
    client = client_as(alice)
    assert _edit(client, labour, hours="0.96").status_code == 302
    labour.refresh_from_db()
    response = _edit(client, labour, discount_pct="4")
    assert response.status_code == 302
    labour.refresh_from_db()
    assert labour.discount_pct == Decimal("0")  # not applied: it waits for the lead
    assert labour.discount_approvals.filter(status="pending").exists()


def test_the_station_manager_may_lower_hours_and_it_is_recorded(client_as, carol, labour):
    response = _edit(client_as(carol), labour, hours="0.8")  # 20 %: within the manager's 30 %
    assert response.status_code == 302
    labour.refresh_from_db()
    assert labour.hours == Decimal("0.80")
    assert WorkOrderEvent.objects.filter(order=labour.order, kind="line_changed", by=carol).exists()


def test_a_manager_with_full_authority_may_switch_a_line_to_internal_and_remove_one(
        client_as, station, carol, labour, parts_line):
    AuthorityLimit.objects.create(station=station, position="station_manager", max_discount_pct=Decimal("100"))
    client = client_as(carol)
    assert _edit(client, labour, payer="internal").status_code == 302
    labour.refresh_from_db()
    assert labour.payer == "internal"
    client.post(reverse("reception:line_remove", args=[parts_line.order_id, parts_line.pk]))
    parts_line.refresh_from_db()
    assert parts_line.approval == WorkOrderLine.Approval.DECLINED
    assert WorkOrderEvent.objects.filter(order=labour.order, kind="line_declined", by=carol).exists()


def test_a_draft_line_nobody_has_been_shown_is_edited_freely(client_as, alice, order, oil_change):
    line = orders.line_add_labour(order=order, by=alice, operation=oil_change, hours=Decimal("1"))
    client = client_as(alice)
    assert _edit(client, line, hours="0.5").status_code == 302
    line.refresh_from_db()
    assert line.hours == Decimal("0.50")
    client.post(reverse("reception:line_remove", args=[order.pk, line.pk]))
    assert not WorkOrderLine.objects.filter(pk=line.pk).exists()


def test_raising_what_the_customer_pays_is_never_limited(client_as, alice, labour):
    assert _edit(client_as(alice), labour, hours="1.5").status_code == 302
    labour.refresh_from_db()
    assert labour.hours == Decimal("1.50")
