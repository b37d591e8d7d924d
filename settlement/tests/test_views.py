"""Settlement pages through the test client: settle, pay, credit, deliver, claims; panels for the front desk."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from reception.models import WorkOrder
from settlement.factories import WarrantyClaimFactory
from settlement.models import Payment, Statement, WarrantyClaim

pytestmark = pytest.mark.django_db
D = Decimal


def test_the_settlement_page_shows_differences_and_refuses_to_settle_until_resolved(
        client_as, cashier, ready_order, issued):
    filt = ready_order.lines.get(kind="part")
    issued({filt: 1})
    client = client_as(cashier)
    page = client.get(reverse("settlement:order", kwargs={"pk": ready_order.pk})).content.decode()
    assert f'id="part-line-{filt.pk}"' in page and "disabled" in page
    response = client.post(reverse("settlement:settle", kwargs={"pk": ready_order.pk}), follow=True)
    assert "机油滤清器" in response.content.decode()  # the refusal names the part
    assert WorkOrder.objects.get(pk=ready_order.pk).status == "ready"
    client.post(reverse("settlement:resolve", kwargs={"pk": ready_order.pk, "line_pk": filt.pk}),
                {"resolution": "adjusted"})
    response = client.post(reverse("settlement:settle", kwargs={"pk": ready_order.pk}), follow=True)
    assert WorkOrder.objects.get(pk=ready_order.pk).status == "settled"
    statement = Statement.objects.get(order=ready_order)
    assert statement.number in response.content.decode()


def test_the_cashier_records_a_cash_payment_with_change(client_as, cashier, ready_order):
    client = client_as(cashier)
    client.post(reverse("settlement:settle", kwargs={"pk": ready_order.pk}))
    statement = Statement.objects.get(order=ready_order)
    url = reverse("settlement:payment_new", kwargs={"pk": statement.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"method": "cash", "amount": "1227.18", "tendered": "1300"}, follow=True)
    assert "72.82" in response.content.decode()
    assert Payment.objects.get().change == D("72.82")


def test_overpayment_is_shown_at_the_amount_field(client_as, cashier, ready_order):
    client = client_as(cashier)
    client.post(reverse("settlement:settle", kwargs={"pk": ready_order.pk}))
    statement = Statement.objects.get(order=ready_order)
    response = client.post(reverse("settlement:payment_new", kwargs={"pk": statement.pk}),
                           {"method": "card", "amount": "5000"})
    assert response.status_code == 400
    assert "amount" in response.context["form"].errors
    assert not Payment.objects.exists()


def test_a_credit_note_through_the_pages(client_as, cashier, carol, ready_order):
    client = client_as(cashier)
    client.post(reverse("settlement:settle", kwargs={"pk": ready_order.pk}))
    statement = Statement.objects.get(order=ready_order)
    url = reverse("settlement:credit_note", kwargs={"pk": ready_order.pk, "statement_pk": statement.pk})
    client.post(url, {"reason": "开票信息有误"})
    request = statement.credit_requests.get()  # asked for; issued once the manager approves (four eyes)
    client_as(carol).post(reverse("settlement:credit_request_decide", args=[request.pk]), {"approve": "1"})
    credit = Statement.objects.get(kind="credit_note")
    assert credit.original == statement and credit.due == -statement.due


def test_delivery_through_the_page_after_payment(client_as, cashier, alice, ready_order):
    client_as(cashier).post(reverse("settlement:settle", kwargs={"pk": ready_order.pk}))
    statement = Statement.objects.get(order=ready_order)
    client_as(cashier).post(reverse("settlement:payment_new", kwargs={"pk": statement.pk}),
                            {"method": "wechat", "amount": str(statement.due), "reference": "WX001"})
    client = client_as(alice)
    url = reverse("settlement:delivery", kwargs={"pk": ready_order.pk})
    data = {"work_explained": "on", "invoice_explained": "on", "old_parts": "returned",
            "next_service_km": "42000", "deliver": "1"}
    client.post(url, data)
    order = WorkOrder.objects.get(pk=ready_order.pk)
    assert order.status == "delivered" and order.delivery.handed_over_by == alice


def test_delivery_refused_while_the_customer_owes(client_as, cashier, alice, ready_order):
    client_as(cashier).post(reverse("settlement:settle", kwargs={"pk": ready_order.pk}))
    client = client_as(alice)
    response = client.post(reverse("settlement:delivery", kwargs={"pk": ready_order.pk}),
                           {"work_explained": "on", "invoice_explained": "on", "old_parts": "none",
                            "next_service_km": "42000", "deliver": "1"}, follow=True)
    assert "1,227.18" in response.content.decode() or "1227.18" in response.content.decode()
    assert WorkOrder.objects.get(pk=ready_order.pk).status == "settled"


def test_the_warranty_clerk_and_technical_lead_work_a_claim_through_the_pages(
        client_as, cashier, clerk, techlead, ready_order):
    from reception.factories import labour_line

    labour_line(ready_order, hours="1.00", price="240.00", payer="warranty", description="更换节温器")
    client_as(cashier).post(reverse("settlement:settle", kwargs={"pk": ready_order.pk}))
    claim = WarrantyClaim.objects.get(order=ready_order)
    client = client_as(clerk)
    assert client.get(reverse("settlement:claims")).status_code == 200
    client.post(reverse("settlement:claim_edit", kwargs={"pk": claim.pk}),
                {"symptom_code": "T01", "cause_code": "C07", "fault_description": "水温过高",
                 "repair_description": "更换节温器"})
    client_as(techlead).post(reverse("settlement:claim_appraise", kwargs={"pk": claim.pk}),
                             {"verdict": "warranty", "note": "节温器卡滞"})
    client = client_as(clerk)
    client.post(reverse("settlement:claim_transition", kwargs={"pk": claim.pk}), {"to": "submitted"})
    client.post(reverse("settlement:claim_transition", kwargs={"pk": claim.pk}),
                {"to": "rejected", "note": "超出保修期"})
    client.post(reverse("settlement:claim_bill_customer", kwargs={"pk": claim.pk}), {"customer_channel": "电话"})
    claim.refresh_from_db()
    assert claim.status == "rejected" and claim.customer_statement.due == D("271.20")
    page = client.get(reverse("settlement:claim_detail", kwargs={"pk": claim.pk})).content.decode()
    assert claim.customer_statement.number in page


def test_the_claim_list_shows_ageing(client_as, clerk, ready_order):
    from django.utils import timezone

    WarrantyClaimFactory(station=ready_order.station, order=ready_order, number="SP-OLD", created_by=clerk,
                                 claimed_amount=D("500"), created_at=timezone.now() - timezone.timedelta(days=75))
    response = client_as(clerk).get(reverse("settlement:claims"))
    ageing = response.context["ageing"]
    assert [row["count"] for row in ageing] == [0, 0, 1, 0]


def test_insurance_claim_through_the_page(client_as, clerk, ready_order):
    client_as(clerk).post(reverse("settlement:insurance", kwargs={"pk": ready_order.pk}),
                          {"insurer": "人保", "policy_number": "P1", "claim_number": "C1", "assessed_amount": "2000",
                           "deductible": "300"})
    assert ready_order.insurance_claim.insurer_share == D("1700.00")


def test_the_cashier_desk_lists_orders_to_settle(client_as, cashier, ready_order):
    response = client_as(cashier).get(reverse("settlement:desk"))
    assert ready_order.number in response.content.decode()


def test_the_order_panel_for_the_front_desk_renders(alice, ready_order):
    request = RequestFactory().get("/")
    request.user = alice
    html = render_to_string("settlement/_order_panel.html", {"order": ready_order, "request": request})
    assert reverse("settlement:order", kwargs={"pk": ready_order.pk}) in html
    assert reverse("settlement:print_preview", kwargs={"pk": ready_order.pk, "doc": "work-order"}) in html


def test_the_desk_panel_renders_empty_and_loads_itself(alice):
    request = RequestFactory().get("/")
    request.user = alice
    html = render_to_string("settlement/_desk_panel.html", {"request": request})
    assert reverse("settlement:desk_panel") in html


def test_another_stations_cashier_sees_nothing(client_as, make_staff, other_station, ready_order):
    stranger = make_staff("cashier", station=other_station, username="otto")
    assert client_as(stranger).get(reverse("settlement:order", kwargs={"pk": ready_order.pk})).status_code == 404


def _claim_on(ready_order, client_as, cashier):
    from reception.factories import labour_line

    labour_line(ready_order, hours="1.00", price="240.00", payer="warranty", description="更换节温器")
    client_as(cashier).post(reverse("settlement:settle", kwargs={"pk": ready_order.pk}))
    return WarrantyClaim.objects.get(order=ready_order)


def test_a_refused_claim_step_comes_back_with_the_error_at_the_field_and_the_typed_text_kept(
        client_as, cashier, clerk, ready_order):
    claim = _claim_on(ready_order, client_as, cashier)
    client = client_as(clerk)
    # Submitting needs the codes and the technical appraisal: the service refuses; the page says why, in place.
    response = client.post(reverse("settlement:claim_transition", kwargs={"pk": claim.pk}), {"to": "submitted"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-target="submitted"' in page and "invalid-feedback" in page
    claim.refresh_from_db()
    assert claim.status == "draft"
    # A bad amount: the Django field error stands next to the amount box, the note typed is still there.
    response = client.post(reverse("settlement:claim_edit", kwargs={"pk": claim.pk}),
                           {"symptom_code": "T01" * 10, "cause_code": "C07", "fault_description": "水温过高",
                            "repair_description": "更换节温器"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "is-invalid" in page and "T01T01T01" in page and "水温过高" in page
    claim.refresh_from_db()
    assert claim.cause_code == "" and claim.fault_description == ""  # nothing half-saved


def test_billing_the_customer_without_their_agreement_is_refused_at_the_field(
        client_as, cashier, clerk, techlead, ready_order):
    from settlement.services.claims import claim_appraise, claim_transition, claim_update

    claim = _claim_on(ready_order, client_as, cashier)
    claim_update(claim=claim, by=clerk, symptom_code="T01", cause_code="C07", fault_description="水温过高",
                 repair_description="更换节温器")
    claim_appraise(claim=claim, by=techlead, verdict="warranty", note="节温器卡滞")
    claim_transition(claim=claim, to="submitted", by=clerk)
    claim_transition(claim=claim, to="rejected", by=clerk, note="超出保修期")
    response = client_as(clerk).post(reverse("settlement:claim_bill_customer", kwargs={"pk": claim.pk}),
                                     {"customer_channel": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="bill-form"' in page and "invalid-feedback d-block" in page
    assert not Statement.objects.filter(order=ready_order, payer="customer", kind="supplement").exists()


def test_a_photo_that_is_not_an_image_is_refused_at_the_field(client_as, cashier, clerk, ready_order):
    from django.core.files.uploadedfile import SimpleUploadedFile

    claim = _claim_on(ready_order, client_as, cashier)
    response = client_as(clerk).post(reverse("settlement:claim_photo", kwargs={"pk": claim.pk}), {
        "image": SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg"), "caption": "水泵漏水处"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="水泵漏水处"' in page and "is-invalid" in page
    assert not claim.photos.exists()


def test_a_refused_difference_resolution_stays_on_its_row_with_the_reason_typed(client_as, cashier, ready_order, issued):
    filt = ready_order.lines.get(kind="part")
    issued({filt: 1})
    response = client_as(cashier).post(reverse("settlement:resolve", kwargs={"pk": ready_order.pk, "line_pk": filt.pk}),
                                       {"resolution": "no-such-way", "note": "客户自带一个"})
    assert response.status_code == 400
    page = response.content.decode()
    row = page[page.index(f'id="part-line-{filt.pk}"'):]
    row = row[:row.index("</tr>")]
    assert "invalid-feedback" in row and 'value="客户自带一个"' in row
    assert not filt.reconciliations.exists()


def test_the_insurers_payment_is_refused_at_the_amount_with_the_amount_kept(client_as, cashier, clerk, ready_order):
    from settlement.services.insurance import insurance_claim_save

    ready_order.lines.update(payer="insurance")
    insurance_claim_save(order=ready_order, by=clerk, insurer="平安保险", policy_number="P1", claim_number="C1",
                         assessor="王定损", assessed_amount=Decimal("1227.18"), deductible=Decimal("0"), notes="")
    client_as(cashier).post(reverse("settlement:settle", kwargs={"pk": ready_order.pk}))
    response = client_as(clerk).post(reverse("settlement:insurance_paid", kwargs={"pk": ready_order.pk}),
                                     {"amount": "-5"})
    assert response.status_code == 400
    page = response.content.decode()
    form = page[page.index('id="insurer-paid-form"'):]
    assert 'value="-5"' in form[:form.index("</form>")] and "invalid-feedback" in form[:form.index("</form>")]
