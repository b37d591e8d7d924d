"""From QC pass to delivery in a real browser: settle (resolving a part difference), take a cash payment with change,
fill the hand-over checklist, deliver, and download the work order and the settlement statement as PDFs."""

from __future__ import annotations

import subprocess

import pytest

from reception.factories import WorkOrderFactory, labour_line, part_line
from reception.models import WorkOrder
from reception.services.workflow import work_order_transition
from settlement.models import Payment, Statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, browser_login, user):
    page.context.clear_cookies()
    browser_login(page, user)


def test_an_order_goes_from_qc_pass_to_delivery_in_the_browser(
        browser_page, browser_login, station, alice, make_staff, issued, tmp_path):
    page = browser_page
    cashier = make_staff("cashier", username="cathy")
    quinn = make_staff("qc_inspector", username="quinn")
    order = WorkOrderFactory(station=station, advisor=alice, status=WorkOrder.Status.QUALITY_CHECK)
    labour_line(order, hours="1.50", price="300.00", description="更换机油及机滤")
    pads = part_line(order, qty="4", price="120.00", description="前刹车片")
    issued({pads: 2})  # only two issued from stock: a difference to resolve

    work_order_transition(order=order, to=WorkOrder.Status.READY, by=quinn, note="final inspection passed")

    # The cashier finds the order on the desk and opens the settlement.
    _as(page, browser_login, cashier)
    page.goto(page.base_url + "/settlement/payments/")
    page.get_by_role("link", name=order.number).first.click()
    page.locator("#problems", has_text="前刹车片").wait_for()
    assert page.locator("#settle-button").is_disabled()
    row = page.locator(f"#part-line-{pads.pk}")
    row.locator("select[name=resolution]").select_option("adjusted")
    row.get_by_role("button", name="Resolve").click()
    page.locator(".alert", has_text="resolved").wait_for()
    page.locator("#settle-button").click()
    page.locator(".alert", has_text="settled").wait_for()
    statement = Statement.objects.get(order=order)
    assert str(statement.due) == "779.70"  # 1.5 h × 300 + 2 × 120 = 690.00 net, VAT 89.70
    page.get_by_role("link", name="Payment").click()
    page.select_option("select[name=method]", "cash")
    page.fill("input[name=amount]", str(statement.due))
    page.fill("input[name=tendered]", "800")
    page.locator("#record-payment").click()
    page.locator(".alert", has_text="Change").wait_for()
    assert Payment.objects.get().change == 800 - statement.due

    # Hand-over (交车): the checklist, then the keys.
    page.locator("#delivery-link").click()
    page.check("input[name=work_explained]")
    page.check("input[name=invoice_explained]")
    page.select_option("select[name=old_parts]", "returned")
    page.fill("input[name=next_service_km]", "45000")
    # the customer signs for the car on the pad (交车签字, #16 item 4)
    box = page.locator("#delivery-signature-pad").bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 40)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 110, steps=8)
    page.mouse.move(box["x"] + 220, box["y"] + 50, steps=8)
    page.mouse.up()
    page.locator("#deliver-button").click()
    page.locator(".alert", has_text="handed over").wait_for()
    order.refresh_from_db()
    assert order.status == WorkOrder.Status.DELIVERED and order.delivery.handed_over_by == cashier
    assert order.delivery.signature and order.delivery.signature_taken_by == cashier and order.delivery.signed_at
    page.goto(page.base_url + f"/settlement/orders/{order.pk}/delivery/")
    page.locator("#delivery-signature-image").wait_for()  # the signature, served through the checked file view
    assert page.evaluate("document.getElementById('delivery-signature-image').naturalWidth") > 0

    # The print preview shows the PDF; the download button saves it.
    for doc, expected in (("work-order", "任务委托书"), ("settlement", statement.number)):
        page.goto(page.base_url + f"/settlement/orders/{order.pk}/settlement/print/{doc}/")
        assert page.locator("#pdf-frame").get_attribute("src").endswith(".pdf?lang=zh-hans")
        with page.expect_download() as info:
            page.locator("#download-link").click()
        target = tmp_path / f"{doc}.pdf"
        info.value.save_as(target)
        assert target.read_bytes().startswith(b"%PDF")
        text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
        assert expected in text and order.number in text
