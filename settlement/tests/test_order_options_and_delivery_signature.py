"""#16 item 4: the usual 4S options of a work order (keep old parts, wash, customer waiting) — set at reception and
with the estimate, shown on the order page and the workshop's job views, printed on the work order (任务委托书) — and
the customer's signature at delivery (交车签字), recorded with who and when and printed on the delivery note."""

from __future__ import annotations

import base64
import io
import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from core.factories import image_bytes
from reception.factories import VehicleFactory, labour_line
from reception.models import WorkOrder, WorkOrderEvent
from settlement.models import Delivery
from settlement.services.settle import order_settle
from workshop.factories import JobAssignmentFactory

pytestmark = pytest.mark.django_db


def _zh(client):
    client.post("/i18n/setlang/", {"language": "zh-hans"})
    return client


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _images(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


# --- the options -------------------------------------------------------------------------------------------------


def test_the_options_are_chosen_at_reception_and_shown_on_the_order_page(client_as, alice, station):
    vehicle = VehicleFactory(station=station, mileage=1000)
    client = _zh(client_as(alice))
    response = client.post(reverse("reception:order_receive"), {
        "vehicle": vehicle.pk, "mileage_in": 1200, "fuel_level": "50", "concerns": "保养",
        "keep_old_parts": "on", "customer_waiting": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    order = WorkOrder.objects.get()
    assert order.keep_old_parts and order.customer_waiting and not order.wash
    page = client.get(reverse("reception:order_detail", args=[order.pk])).content.decode()
    options = page[page.index('id="order-options"'):page.index("</dd>", page.index('id="order-options"'))]
    assert "旧件带走" in options and "客户在店等候" in options and "洗车" not in options


def test_the_options_change_with_the_estimate_and_the_change_is_recorded(client_as, alice, station):
    from reception.factories import WorkOrderFactory

    order = WorkOrderFactory(station=station, advisor=alice)
    response = _zh(client_as(alice)).post(reverse("reception:order_edit", args=[order.pk]),
                                     {"fuel_level": "50", "notes": "", "wash": "on"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.wash and not order.keep_old_parts and not order.customer_waiting
    event = WorkOrderEvent.objects.filter(order=order, kind="updated").latest("id")
    assert event.by == alice and "洗车" in event.note


def test_the_workshop_sees_the_options_on_dispatch_my_jobs_and_qc(client_as, make_staff, carol, station, alice):
    from reception.factories import WorkOrderFactory

    lead = make_staff("workshop_lead", username="dave", reports_to=carol)
    tech = make_staff("technician", username="bert", reports_to=lead)
    qc = make_staff("qc_inspector", username="quinn", reports_to=lead)
    order = WorkOrderFactory(signed=True, station=station, advisor=alice, status=WorkOrder.Status.OPEN,
                             wash=True, customer_waiting=True)
    line = labour_line(order, hours="1.00", price="200.00")
    JobAssignmentFactory(station=station, order=order, line=line, technician=tech, assigned_by=lead)
    with translation.override("en"):
        for user, url in ((lead, reverse("workshop:dispatch_line", args=[line.pk])),
                          (tech, reverse("workshop:my_jobs"))):
            body = client_as(user).get(url).content.decode()
            assert 'data-option="wash"' in body and 'data-option="customer_waiting"' in body, url
            assert 'data-option="keep_old_parts"' not in body
        WorkOrder.objects.filter(pk=order.pk).update(status=WorkOrder.Status.QUALITY_CHECK)
        body = client_as(qc).get(reverse("workshop:qc_order", args=[order.pk])).content.decode()
        assert 'data-option="customer_waiting"' in body


def test_the_work_order_pdf_prints_the_options_ticked(client_as, alice, ready_order, tmp_path):
    WorkOrder.objects.filter(pk=ready_order.pk).update(keep_old_parts=True, wash=False, customer_waiting=True)
    response = client_as(alice).get(reverse("settlement:work_order_pdf", kwargs={"pk": ready_order.pk}) + "?lang=zh-hans")
    assert response.status_code == 200
    text = re.sub(r"\s+", "", _text(response.content, tmp_path))
    assert "✓旧件带走" in text and "✓客户在店等候" in text
    assert "洗车" in text and "✓洗车" not in text  # printed as an empty box: not chosen


# --- the signature at delivery ------------------------------------------------------------------------------------


def _drawn() -> str:
    return "data:image/png;base64," + base64.b64encode(image_bytes("PNG", (120, 40), color=(10, 10, 10))).decode()


def _checklist(**extra) -> dict:
    return {"work_explained": "on", "invoice_explained": "on", "old_parts": "returned", "next_service_km": "40000",
            "notes": "", **extra}


@pytest.fixture
def settled(ready_order, carol):
    order_settle(order=ready_order, by=carol)
    return ready_order


def test_the_customer_signs_at_delivery_and_the_delivery_note_prints_it(client_as, cashier, settled, tmp_path):
    client = client_as(cashier)
    url = reverse("settlement:delivery_note_pdf", kwargs={"pk": settled.pk})
    assert _images(client.get(url).content) == 0  # no signature yet: an empty line to sign on
    response = client.post(reverse("settlement:delivery", args=[settled.pk]), _checklist(signature=_drawn()))
    assert response.status_code == 302
    delivery = Delivery.objects.get(order=settled)
    assert delivery.signature and delivery.signature_taken_by == cashier and delivery.signed_at
    assert re.match(r"^signatures/\d{4}/\d{2}/[0-9a-f]{32}\.png$", delivery.signature.name)
    event = WorkOrderEvent.objects.get(order=settled, kind="delivery_signed")
    assert event.by == cashier
    pdf = client.get(url + "?lang=zh-hans").content
    assert _images(pdf) == 1
    assert "交车单" in _text(pdf, tmp_path) and "客户已签字" in _text(pdf, tmp_path)
    served = client.get(reverse("private_file", kwargs={"kind": "delivery-signature", "pk": delivery.pk}))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    page = client.get(reverse("settlement:delivery", args=[settled.pk])).content.decode()
    assert 'id="delivery-signature-image"' in page


def test_a_signature_that_is_not_a_picture_is_refused_at_the_pad_and_the_checklist_kept(client_as, cashier, settled):
    html = base64.b64encode(b"<html><script>alert(1)</script></html>").decode()
    response = client_as(cashier).post(reverse("settlement:delivery", args=[settled.pk]),
                                       _checklist(signature=f"data:image/png;base64,{html}", notes="钥匙两把"))
    assert response.status_code == 400
    assert response.context["form"].errors["signature"]
    body = response.content.decode()
    assert "钥匙两把" in body and body.index('id="delivery-signature"') < body.index("invalid-feedback d-block",
                                                                                        body.index('id="delivery-signature"'))
    assert not Delivery.objects.filter(order=settled).exists()
