"""The estimate signed on the customer's phone (the first signature of an order received at the desk), the invoice
numbers and the copies kept as issued among the documents, and the opt-out from reminders on the page."""

from __future__ import annotations

import base64
from decimal import Decimal

import pytest

from core.models import ContactConsent
from portal.models import LinkApproval
from portal.services import link as links
from portal.services.link_actions import link_sign_estimate
from portal.services.link_page import estimate_to_sign
from portal.tests.conftest import png_bytes
from reception.factories import WorkOrderFactory, WorkOrderLineFactory
from reception.models import EstimateVersion, WorkOrder, WorkOrderEvent, WorkOrderLine

pytestmark = pytest.mark.django_db
P = WorkOrderLine.Approval


@pytest.fixture
def received(station, alice):
    """An order taken at the desk and not signed: two proposed lines, 1.5 h × 300.00 and a 200.00 sublet."""
    order = WorkOrderFactory(station=station, advisor=alice)
    order.customer.mobile = "13812345678"
    order.customer.save(update_fields=["mobile"])
    labour = WorkOrderLineFactory(order=order, labour=True, description="更换机油机滤", approval=P.PROPOSED)
    sublet = WorkOrderLineFactory(order=order, description="四轮定位（外加工）", approval=P.PROPOSED)
    return order, labour, sublet


def _open(client, order) -> str:
    token = links.link_token(links.link_issue(order=order))
    assert client.post(f"/c/{token}/", {"digits": "5678"}).status_code == 302
    return token


def test_the_estimate_is_shown_with_vat_and_signed_with_one_line_declined(received, alice):
    order, labour, sublet = received
    rows = estimate_to_sign(order)
    assert [(r.description, r.amount, r.proposed) for r in rows] == [
        ("更换机油机滤", Decimal("508.50"), True), ("四轮定位（外加工）", Decimal("226.00"), True)]  # ×1.13
    approval = link_sign_estimate(order=order, declined={sublet.pk}, signature_png=png_bytes((0, 0, 0)),
                                  user_agent="Mozilla/5.0 (iPhone)")
    order.refresh_from_db()
    assert order.signed_at is not None and order.status == WorkOrder.Status.OPEN
    assert list(order.lines.values_list("pk", "approval")) == [(labour.pk, P.APPROVED)]  # declined before signing
    version = EstimateVersion.objects.get(order=order)
    assert (version.approval_channel, version.approved_by_id) == ("link", alice.pk)
    assert "iPhone" in version.note and version.signature.name
    assert approval.decisions == {"estimate_version": version.number, "declined_lines": [sublet.pk]}
    assert WorkOrderEvent.objects.filter(order=order, kind="estimate_signed").exists()
    assert WorkOrderEvent.objects.filter(order=order, kind="link_signed").exists()
    assert estimate_to_sign(order) is None  # nothing left to sign


def test_signing_needs_a_signature_and_keeps_one_line_and_only_this_orders_lines(received, station):
    from core.errors import DomainError

    order, labour, sublet = received
    other = WorkOrderLineFactory(order=WorkOrderFactory(station=station), labour=True, approval=P.PROPOSED)
    for declined, signature, field in [(set(), None, "signature"), ({other.pk}, png_bytes(), "estimate"),
                                       ({labour.pk, sublet.pk}, png_bytes(), "estimate")]:
        with pytest.raises(DomainError) as exc:
            link_sign_estimate(order=order, declined=declined, signature_png=signature)
        assert exc.value.field == field
    order.refresh_from_db()
    assert order.signed_at is None and order.lines.count() == 2 and not LinkApproval.objects.exists()


def test_the_page_signs_the_estimate_and_a_missing_signature_comes_back_at_the_pad(client, received):
    order, labour, sublet = received
    token = _open(client, order)
    page = client.get(f"/c/{token}/").content.decode()
    assert 'id="sign-form"' in page and "508.50" in page and f'name="line_{sublet.pk}"' in page
    refused = client.post(f"/c/{token}/sign/", {f"line_{sublet.pk}": "decline", "signature": ""})
    assert refused.status_code == 400 and 'role="alert"' in refused.content.decode()
    signature = "data:image/png;base64," + base64.b64encode(png_bytes((0, 0, 0))).decode()
    done = client.post(f"/c/{token}/sign/", {f"line_{sublet.pk}": "decline", f"line_{labour.pk}": "approve",
                                             "signature": signature})
    assert done.status_code == 302
    order.refresh_from_db()
    assert order.signed_at is not None and list(order.lines.values_list("pk", flat=True)) == [labour.pk]
    assert 'id="sign-form"' not in client.get(f"/c/{token}/").content.decode()


def test_the_customer_stops_reminders_from_the_page(client, received):
    order, _labour, _sublet = received
    token = _open(client, order)
    assert client.post(f"/c/{token}/optout/").status_code == 302
    order.customer.refresh_from_db()
    assert order.customer.contact_consent is False
    row = ContactConsent.objects.get(customer=order.customer)
    assert (row.granted, row.source, row.note) == (False, "page", order.number)
    assert "optout" not in client.get(f"/c/{token}/").content.decode().split('id="contact"')[1].split("</section>")[0]


def test_the_documents_are_the_copies_kept_as_issued_with_the_invoice_number(client, station, alice, make_staff,
                                                                             settings, django_capture_on_commit_callbacks):
    import io
    from datetime import date

    from pypdf import PdfReader

    from settlement.models import Invoice
    from settlement.services.settle import order_settle

    settings.ISSUED_DOCUMENTS_ON_ISSUE = True
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    cashier = make_staff("cashier", username="cathy")
    order = WorkOrderFactory(ready=True, station=station, advisor=alice)
    WorkOrderLineFactory(order=order, description="四轮定位（外加工）", approval=P.APPROVED)
    order.customer.name, order.customer.mobile = "王建国", "13812345678"
    order.customer.save(update_fields=["name", "mobile"])
    with django_capture_on_commit_callbacks(execute=True):
        statement = order_settle(order=order, by=cashier)[0]
    Invoice.objects.create(station=station, statement=statement, order=order, payer=statement.payer,
                           number="04490001", issued_on=date(2026, 12, 1), amount=statement.due, recorded_by=cashier,
                           title="王建国")
    order.customer.name = "王建军"  # renamed after the issue
    order.customer.save(update_fields=["name"])
    token = _open(client, order)
    page = client.get(f"/c/{token}/").content.decode()
    assert "04490001" in page.split('id="documents"')[1]
    pdf = client.get(f"/c/{token}/doc/settlement/").content
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "王建国" in text and "王建军" not in text
