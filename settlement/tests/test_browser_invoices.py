"""The cashier records a VAT invoice in a real browser: open the settled order, record the invoice, see it listed;
a wrong taxpayer number is refused next to its field with what was typed kept."""

from __future__ import annotations

import os

import pytest

from reception.factories import WorkOrderFactory, labour_line
from settlement.models import Invoice
from settlement.services.settle import order_settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SETTLEMENT_SCREENSHOT_DIR")  # set to keep screenshots of the pages and look at them


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_the_cashier_records_an_invoice(browser_page, browser_login, station, alice, make_staff, issued):
    page = browser_page
    cashier = make_staff("cashier", username="cathy")
    order = WorkOrderFactory(ready=True, station=station, advisor=alice)
    labour_line(order, hours="2.00", price="300.00", description="更换正时皮带")
    statement = order_settle(order=order, by=cashier)[0]
    assert str(statement.due) == "678.00"  # 2 h × 300 = 600.00 net, VAT 13 % 78.00

    browser_login(page, cashier)
    page.goto(page.base_url + f"/settlement/orders/{order.pk}/settlement/")
    page.locator("#order-invoices").get_by_role("link", name=statement.number).click()
    page.locator("#invoice-form").wait_for()
    assert page.input_value("input[name=amount]") == "678.00"
    page.fill("input[name=number]", "24312000000000000042")
    page.select_option("select[name=invoice_type]", "special")
    page.fill("input[name=title]", "上海某某物流有限公司")
    page.fill("input[name=tax_id]", "91110000600037341X")  # the check character should be L
    page.fill("input[name=address]", "上海市浦东新区张江路1号")
    page.fill("input[name=phone]", "021-55550000")
    page.fill("input[name=bank]", "工商银行张江支行")
    page.fill("input[name=account]", "1001234567890")
    page.locator("#record-invoice").click()
    error = page.locator("#id_tax_id").locator("xpath=..").locator(".invalid-feedback")
    error.wait_for()
    assert "check character" in error.inner_text()
    assert page.input_value("input[name=title]") == "上海某某物流有限公司"  # what was typed stays
    assert not Invoice.objects.exists()
    _shot(page, "invoice-refused")

    page.fill("input[name=tax_id]", "91110000600037341L")
    page.locator("#record-invoice").click()
    page.locator(".alert", has_text="24312000000000000042").wait_for()
    row = page.locator("#order-invoices tbody tr", has_text="24312000000000000042")
    assert "上海某某物流有限公司" in row.inner_text() and "678.00" in row.inner_text()
    _shot(page, "order-with-invoice")
    invoice = Invoice.objects.get()
    assert invoice.tax_id == "91110000600037341L" and invoice.recorded_by == cashier and invoice.payer == "customer"

    page.goto(page.base_url + "/settlement/invoices/")
    page.locator("#invoices-to-issue", has_text="Every settled amount is invoiced.").wait_for()
