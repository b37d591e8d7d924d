"""Bad input at the front desk: the page comes back (400) with the error next to the field, what was typed still
there, and nothing saved."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.factories import PNG
from reception.models import (
    Appointment,
    ChecklistItem,
    Customer,
    DiscountApproval,
    LabourOperation,
    MileageReading,
    OrderPhoto,
    WorkOrder,
)
from reception.services import discounts, orders
from reception.services.estimates import estimate_sign


def form_html(body: str, marker: str) -> str:
    """The form that holds ``marker`` (an id or an action), up to its end: where the error must stand."""
    start = body.index(marker)
    start = body.rindex("<form", 0, start) if "<form" in body[:start] else start
    return body[start:body.index("</form>", start)]


# --- the estimate's lines ------------------------------------------------------------------------------------------


def test_a_part_line_with_a_bad_quantity_comes_back_at_the_quantity(client_as, alice, order, part):
    response = client_as(alice).post(reverse("reception:line_add", args=[order.pk, "part"]),
                                     {"part-part": part.pk, "part-quantity": "0", "part-payer": "warranty"})
    assert response.status_code == 400
    retry = form_html(response.content.decode(), 'id="line-retry"')
    assert "greater than or equal to 0.01" in retry
    assert 'name="part-quantity" value="0"' in retry and "is-invalid" in retry
    assert part.part_number in retry and '<option value="warranty" selected>' in retry
    assert not order.lines.exists()


def test_a_labour_line_for_an_unknown_operation_is_refused_at_the_operation(client_as, alice, order):
    response = client_as(alice).post(reverse("reception:line_add", args=[order.pk, "labour"]),
                                     {"labour-operation": "999999", "labour-payer": "insurance"})
    assert response.status_code == 400
    retry = form_html(response.content.decode(), 'id="line-retry"')
    assert "Pick one of the suggestions" in retry and '<option value="insurance" selected>' in retry
    assert not order.lines.exists()


def test_a_sublet_line_on_a_closed_order_keeps_what_was_typed(client_as, alice, order):
    WorkOrder.objects.filter(pk=order.pk).update(status=WorkOrder.Status.DELIVERED)
    response = client_as(alice).post(reverse("reception:line_add", args=[order.pk, "sublet"]), {
        "sublet-description": "轮毂修复", "sublet-unit_price": "450", "sublet-payer": "customer"})
    assert response.status_code == 400
    sublet = form_html(response.content.decode(), 'id="sublet-form"')
    assert "can no longer be changed" in sublet
    assert 'value="轮毂修复"' in sublet and 'value="450"' in sublet
    assert not order.lines.exists()


def test_a_discount_over_100_is_shown_at_the_discount(client_as, alice, order):
    line = orders.line_add_sublet(order=order, by=alice, description="钣金", unit_price=Decimal("1000"))
    response = client_as(alice).post(reverse("reception:line_edit", args=[order.pk, line.pk]), {
        "payer": "customer", "quantity": "1", "hours": "0", "discount_pct": "150", "reason": "老客户优惠"})
    assert response.status_code == 400
    assert response.context["form"].errors["discount_pct"]
    body = response.content.decode()
    assert 'value="150"' in body and 'value="老客户优惠"' in body
    line.refresh_from_db()
    assert line.discount_pct == 0 and not DiscountApproval.objects.exists()


# --- approval, cancel, photos, discount decisions --------------------------------------------------------------------


def _changed_estimate_with_a_pending_discount(alice, order, oil_change):
    orders.line_add_labour(order=order, by=alice, operation=oil_change)
    estimate_sign(order=order, by=alice, method="signature", signature_png=PNG)
    line = orders.line_add_sublet(order=order, by=alice, description="钣金", unit_price=Decimal("1000"))
    discounts.discount_request(line=line, by=alice, pct=Decimal("12"), reason="老客户")


def test_an_approval_while_a_discount_waits_is_refused_at_the_approval_form(client_as, alice, order, oil_change):
    _changed_estimate_with_a_pending_discount(alice, order, oil_change)
    response = client_as(alice).post(reverse("reception:order_approve", args=[order.pk]),
                                     {"approval_channel": "in_person", "note": "客户到店确认"})
    assert response.status_code == 400
    form = form_html(response.content.decode(), 'id="approval-form"')
    assert "A discount is still waiting for approval." in form
    assert 'value="客户到店确认"' in form and '<option value="in_person" selected>' in form
    assert order.estimate_versions.count() == 1


def test_an_approval_without_the_channel_is_refused_at_the_channel(client_as, alice, order, oil_change):
    orders.line_add_labour(order=order, by=alice, operation=oil_change)
    estimate_sign(order=order, by=alice, method="signature", signature_png=PNG)
    orders.line_add_labour(order=order, by=alice, operation=oil_change)
    response = client_as(alice).post(reverse("reception:order_approve", args=[order.pk]), {"note": "电话里说好"})
    assert response.status_code == 400
    form = form_html(response.content.decode(), 'id="approval-form"')
    assert "This field is required." in form and 'value="电话里说好"' in form
    assert order.estimate_versions.count() == 1


def test_a_refused_cancel_keeps_the_reason(client_as, alice, order):
    WorkOrder.objects.filter(pk=order.pk).update(status=WorkOrder.Status.IN_PROGRESS)
    response = client_as(alice).post(reverse("reception:order_cancel", args=[order.pk]), {"note": "客户改期"})
    assert response.status_code == 400
    form = form_html(response.content.decode(), 'id="cancel-form"')
    assert "is-invalid" in form and 'value="客户改期"' in form
    assert response.context["cancel_form"].non_field_errors()
    order.refresh_from_db()
    assert order.status == WorkOrder.Status.IN_PROGRESS


def test_a_cancel_without_a_reason_asks_for_it_at_the_reason(client_as, alice, order):
    response = client_as(alice).post(reverse("reception:order_cancel", args=[order.pk]), {"note": "   "})
    assert response.status_code == 400
    assert "Please give a reason." in form_html(response.content.decode(), 'id="cancel-form"')
    order.refresh_from_db()
    assert order.status == WorkOrder.Status.DRAFT


def test_a_photo_upload_without_the_photo_comes_back_on_the_walk_around(client_as, alice, order):
    response = client_as(alice).post(reverse("reception:order_photo", args=[order.pk]),
                                     {"caption": "左前门划痕", "back": "inspection"})
    assert response.status_code == 400
    body = response.content.decode()
    photos = body[body.index('id="photos"'):body.index('id="photo-upload"')]
    assert "This field is required." in photos and 'value="左前门划痕"' in photos
    assert not OrderPhoto.objects.exists()


def test_a_photo_that_is_not_an_image_is_refused_at_the_photo(client_as, alice, order):
    upload = SimpleUploadedFile("door.jpg", b"not an image", content_type="image/jpeg")
    response = client_as(alice).post(reverse("reception:order_photo", args=[order.pk]),
                                     {"image": upload, "caption": "左前门", "back": "inspection"})
    assert response.status_code == 400
    assert response.context["photo_form"].errors["image"]
    assert not OrderPhoto.objects.exists()


def test_a_decision_without_approve_or_decline_keeps_the_note_in_its_row(client_as, frank, station, order):
    request = _discount_waiting_for(order, frank)
    response = client_as(frank).post(reverse("reception:approval_decide", args=[request.pk]), {"note": "价格太低"})
    assert response.status_code == 400
    row = form_html(response.content.decode(), f'action="{reverse("reception:approval_decide", args=[request.pk])}"')
    assert "Approve or decline?" in row and 'value="价格太低"' in row
    request.refresh_from_db()
    assert request.status == DiscountApproval.Status.PENDING


def test_a_decision_on_a_request_already_decided_is_shown_on_top(client_as, frank, order):
    request = _discount_waiting_for(order, frank)
    DiscountApproval.objects.filter(pk=request.pk).update(status=DiscountApproval.Status.DECLINED)
    response = client_as(frank).post(reverse("reception:approval_decide", args=[request.pk]),
                                     {"approve": "1", "note": "同意"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="decision-error"' in body and "This request has already been decided." in body
    request.refresh_from_db()
    assert request.status == DiscountApproval.Status.DECLINED


def _discount_waiting_for(order, approver):
    from reception.factories import DiscountApprovalFactory, WorkOrderLineFactory

    return DiscountApprovalFactory(order=order, line=WorkOrderLineFactory(order=order), approver=approver,
                                   requested_by=order.advisor)


# --- forms of their own page -------------------------------------------------------------------------------------


def test_reception_with_a_lower_mileage_keeps_the_concerns(client_as, alice, vehicle):
    response = client_as(alice).post(reverse("reception:order_receive"), {
        "vehicle": vehicle.pk, "mileage_in": 5, "fuel_level": "50", "concerns": "刹车异响"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "lower than the last reading" in body and "刹车异响</textarea>" in body
    assert not WorkOrder.objects.exists()


def test_an_order_edit_with_a_bad_date_keeps_the_notes(client_as, alice, order):
    response = client_as(alice).post(reverse("reception:order_edit", args=[order.pk]),
                                     {"promised_at": "tomorrow", "fuel_level": "50", "notes": "洗车"})
    assert response.status_code == 400
    assert response.context["form"].errors["promised_at"] and "洗车</textarea>" in response.content.decode()
    order.refresh_from_db()
    assert order.notes != "洗车"


def test_an_appointment_in_the_past_is_refused_at_the_start(client_as, alice, vehicle):
    start = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT09:00")
    response = client_as(alice).post(reverse("reception:appointment_create"), {
        "vehicle": vehicle.pk, "advisor": alice.pk, "start": start, "duration_minutes": 60, "channel": "phone",
        "concern": "空调不凉"})
    assert response.status_code == 400
    assert "cannot start in the past" in response.context["form"].errors["start"][0]
    assert "空调不凉</textarea>" in response.content.decode()
    assert not Appointment.objects.exists()


def test_a_customer_edit_with_a_wrong_mobile_keeps_the_name(client_as, alice, customer):
    response = client_as(alice).post(reverse("reception:customer_edit", args=[customer.pk]), {
        "kind": "individual", "name": "王建国", "mobile": "12345", "preferred_language": "zh-hans",
        "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0"})
    assert response.status_code == 400
    assert response.context["form"].errors["mobile"]
    assert 'value="王建国"' in response.content.decode()
    assert Customer.objects.get(pk=customer.pk).name == "王先生"


def test_a_lower_mileage_without_a_supervisor_is_refused_at_the_mileage(client_as, alice, vehicle):
    response = client_as(alice).post(reverse("reception:vehicle_mileage", args=[vehicle.pk]), {"mileage": "1500"})
    assert response.status_code == 400
    assert "lower than the last reading" in response.context["form"].errors["mileage"][0]
    assert 'value="1500"' in response.content.decode()
    assert not MileageReading.objects.filter(km=1500).exists()


def test_the_same_owner_again_is_refused_at_the_owner(client_as, alice, vehicle, customer):
    response = client_as(alice).post(reverse("reception:vehicle_owner", args=[vehicle.pk]), {"owner": customer.pk})
    assert response.status_code == 400
    assert "already owns" in response.context["form"].errors["owner"][0]
    html = response.content.decode()  # the picked customer stays picked, shown by name
    assert f'name="owner" value="{customer.pk}"' in html and 'value="王先生"' in html


def test_a_catalogue_code_that_exists_is_refused_at_the_code(client_as, make_staff, station, oil_change):
    lead = make_staff("workshop_lead")
    response = client_as(lead).post(reverse("reception:catalogue_create"), {
        "code": oil_change.code, "name_zh": "换机油", "name_en": "", "category": "", "standard_hours": "0.5",
        "rate_customer": "300", "rate_warranty": "200", "rate_insurance": "280", "rate_internal": "150"})
    assert response.status_code == 400
    assert "already in the catalogue" in response.context["form"].errors["code"][0]
    assert 'value="换机油"' in response.content.decode()
    assert LabourOperation.objects.count() == 1


def test_a_checklist_point_without_a_label_is_refused_at_the_label(client_as, carol):
    client = client_as(carol)
    before = client.get(reverse("reception:checklist")).context["items"].count()
    response = client.post(reverse("reception:checklist"), {"area": "exterior", "label": "", "position": "7"})
    assert response.status_code == 400
    assert response.context["form"].errors["label"] and 'value="7"' in response.content.decode()
    assert ChecklistItem.objects.count() == before


def test_signing_by_scan_without_the_scan_is_refused_at_the_scan(client_as, alice, order, oil_change):
    orders.line_add_labour(order=order, by=alice, operation=oil_change)
    response = client_as(alice).post(reverse("reception:order_sign", args=[order.pk]), {"method": "scan"})
    assert response.status_code == 400
    assert response.context["form"].errors["scan"]
    order.refresh_from_db()
    assert order.status == WorkOrder.Status.DRAFT
