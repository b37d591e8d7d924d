import base64
from decimal import Decimal

from django.urls import reverse

from core.factories import PNG
from reception.models import PreInspection, WorkOrder
from reception.services import orders

PNG_B64 = base64.b64encode(PNG).decode()


def test_walk_in_reception_opens_a_draft_and_goes_to_the_walk_around(client_as, alice, vehicle):
    response = client_as(alice).post(reverse("reception:order_receive"), {
        "vehicle": vehicle.pk, "mileage_in": 25000, "fuel_level": "50", "concerns": "刹车异响\n空调不凉"})
    order = WorkOrder.objects.get()
    assert response["Location"] == reverse("reception:order_inspection", args=[order.pk])
    assert order.concerns.count() == 2 and order.advisor == alice


def test_a_lower_mileage_at_reception_is_shown_at_the_field(client_as, alice, vehicle):
    response = client_as(alice).post(reverse("reception:order_receive"), {
        "vehicle": vehicle.pk, "mileage_in": 5, "fuel_level": "50", "concerns": "x"})
    assert response.context["form"].errors["mileage_in"]


def test_the_order_page_shows_lines_and_totals_per_payer(client_as, alice, order, oil_change):
    orders.line_add_labour(order=order, by=alice, operation=oil_change, payer="warranty")
    response = client_as(alice).get(reverse("reception:order_detail", args=[order.pk]))
    assert response.context["totals"].by_payer["warranty"].gross == Decimal("113.00")
    assert "¥113.00" in response.content.decode()


def test_lines_are_added_from_the_catalogue(client_as, alice, order, oil_change, part):
    client = client_as(alice)
    client.post(reverse("reception:line_add", args=[order.pk, "labour"]),
                {"labour-operation": oil_change.pk, "labour-payer": "customer"})
    client.post(reverse("reception:line_add", args=[order.pk, "part"]),
                {"part-part": part.pk, "part-quantity": "2", "part-payer": "customer"})
    client.post(reverse("reception:line_add", args=[order.pk, "sublet"]),
                {"sublet-description": "轮毂修复", "sublet-unit_price": "450", "sublet-payer": "customer"})
    assert sorted(order.lines.values_list("kind", flat=True)) == ["labour", "part", "sublet"]


def test_the_lookup_finds_operations_and_parts(client_as, alice, order, oil_change, part):
    client = client_as(alice)
    body = client.get(reverse("reception:order_lookup", args=[order.pk]), {"q": "机油"}).content.decode()
    assert oil_change.code in body and part.part_number not in body
    body = client.get(reverse("reception:order_lookup", args=[order.pk]), {"q": "刹车片"}).content.decode()
    assert part.part_number in body and oil_change.code not in body


def test_a_discount_above_the_limit_waits_for_the_lead(client_as, alice, frank, order):
    line = orders.line_add_sublet(order=order, by=alice, description="钣金", unit_price=Decimal("1000"))
    response = client_as(alice).post(reverse("reception:line_edit", args=[order.pk, line.pk]), {
        "payer": "customer", "quantity": "1", "hours": "0", "discount_pct": "12", "reason": "老客户"})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.discount_pct == 0
    page = client_as(frank).get(reverse("reception:approvals"))
    assert order.number in page.content.decode()
    request = page.context["requests"][0]
    client_as(frank).post(reverse("reception:approval_decide", args=[request.pk]), {"approve": "1"})
    line.refresh_from_db()
    assert line.discount_pct == Decimal("12")


def test_the_customer_signs_on_the_tablet_and_the_order_opens(client_as, alice, order, oil_change):
    orders.line_add_labour(order=order, by=alice, operation=oil_change)
    response = client_as(alice).post(reverse("reception:order_sign", args=[order.pk]),
                                     {"method": "signature", "signature": f"data:image/png;base64,{PNG_B64}"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == WorkOrder.Status.OPEN and order.estimate_versions.get().signature


def test_signing_without_a_signature_is_refused_at_the_pad(client_as, alice, order, oil_change):
    orders.line_add_labour(order=order, by=alice, operation=oil_change)
    response = client_as(alice).post(reverse("reception:order_sign", args=[order.pk]), {"method": "signature"})
    assert response.context["form"].errors["signature"]


def test_a_phone_approval_of_a_changed_estimate_makes_a_new_version(client_as, alice, order, oil_change):
    from reception.services.estimates import estimate_sign

    orders.line_add_labour(order=order, by=alice, operation=oil_change)
    estimate_sign(order=order, by=alice, method="signature", signature_png=PNG)
    orders.line_add_labour(order=order, by=alice, operation=oil_change)
    client_as(alice).post(reverse("reception:order_approve", args=[order.pk]), {"approval_channel": "phone"})
    assert order.estimate_versions.filter(approval_channel="phone").exists()


def test_the_order_is_cancelled_with_a_reason(client_as, alice, order):
    client_as(alice).post(reverse("reception:order_cancel", args=[order.pk]), {"note": "客户改期"})
    order.refresh_from_db()
    assert order.status == WorkOrder.Status.CANCELLED


def test_the_walk_around_is_saved_with_marks(client_as, alice, order):
    client = client_as(alice)
    page = client.get(reverse("reception:order_inspection", args=[order.pk]))
    items = [row["item"] for row in page.context["rows"]]
    data = {f"ok-{i.pk}": "1" for i in items}
    data[f"ok-{items[0].pk}"] = "0"
    data[f"note-{items[0].pk}"] = "左前门划痕"
    data["marks"] = '[{"x": 20, "y": 30, "note": "划痕"}]'
    response = client.post(reverse("reception:order_inspection", args=[order.pk]), data)
    assert response.status_code == 302
    assert order.pre_inspection.damage_marks.count() == 1
    assert order.pre_inspection.items.filter(ok=False).get().note == "左前门划痕"


def test_a_point_not_ok_without_a_note_is_shown_again(client_as, alice, order):
    client = client_as(alice)
    page = client.get(reverse("reception:order_inspection", args=[order.pk]))
    first = page.context["rows"][0]["item"]
    second = page.context["rows"][1]["item"]
    response = client.post(reverse("reception:order_inspection", args=[order.pk]), {
        f"ok-{first.pk}": "0", f"ok-{second.pk}": "0", f"note-{second.pk}": "轮胎磨损", "notes": "客户说明：雨刮异响"})
    assert response.status_code == 400 and response.context["error"]
    body = response.content.decode()
    assert "is not OK: please write what you saw" in body
    assert [row["missing"] for row in response.context["rows"][:2]] == [True, False]  # the point, not the noted one
    assert 'value="轮胎磨损"' in body and "客户说明：雨刮异响</textarea>" in body
    assert not PreInspection.objects.filter(order=order).exists()


def test_the_order_page_includes_the_panels_other_apps_register(client_as, alice, order):
    response = client_as(alice).get(reverse("reception:order_detail", args=[order.pk]))
    assert response.context["panels"] == [
        "workshop/_order_panel.html", "parts/_order_panel.html", "settlement/_order_panel.html",
        "complaints/_order_panel.html", "portal/link/_order_panel.html",
    ]


def test_a_panel_registered_for_the_order_page_is_included_in_its_order(client_as, alice, order, monkeypatch):
    from core.registry import Panel, registry

    monkeypatch.setattr(registry, "panels", [
        *registry.panels, Panel("order", "reception/_board_state.html", app="test", order=15),
        Panel("desk", "reception/_capacity.html", app="test"),
    ])
    response = client_as(alice).get(reverse("reception:order_detail", args=[order.pk]))
    assert response.context["panels"][:2] == ["workshop/_order_panel.html", "reception/_board_state.html"]
    assert "reception/_capacity.html" not in response.context["panels"]
