"""The parts counter sells over the counter in a real browser; the cashier takes the payment (issue 19, item 12)."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from django.db import transaction

from parts.factories import PartFactory
from parts.models import StockBalance, StockMove
from parts.services.stock import locked_balance, stock_move_post, warehouse_main
from reception.factories import VehicleFactory
from settlement.models import CounterSale

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("COUNTER_SHOTS", "")  # a folder to keep screenshots in, when set


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_counter_sale_from_start_to_receipt(browser_page, browser_login, station, make_staff):
    lead, cashier = make_staff("parts_lead", username="larry"), make_staff("cashier", username="cassie")
    for user in (lead, cashier):
        user.set_password("test-pass-2026")
        user.save()
    warehouse = warehouse_main(station=station)
    part = PartFactory(station=station, part_number="PZ473-00001", name_zh="全天候脚垫", list_price=Decimal("680.00"))
    with transaction.atomic():
        locked_balance(warehouse=warehouse, part=part)
    stock_move_post(warehouse=warehouse, part=part, kind=StockMove.Kind.OPENING, quantity=Decimal("3"), by=lead,
                    unit_cost=Decimal("400"))
    vehicle = VehicleFactory(station=station, plate="沪A12345")

    page = browser_login(browser_page, lead)
    page.goto(page.base_url + "/settlement/counter/")
    page.fill("input[name=plate]", vehicle.plate)
    page.locator("#start-sale button").click()
    page.wait_for_selector("#add-part")
    page.fill("#add-part input[name=part_number]", "PZ473-00001")
    page.fill("#add-part input[name=quantity]", "1")
    page.locator("#add-part button").click()
    page.wait_for_selector("#sale-lines")
    page.fill("#add-warranty input[name=provider]", "原厂延保")
    page.fill("#add-warranty input[name=term_months]", "24")
    page.fill("#add-warranty input[name=term_km]", "60000")
    page.fill("#add-warranty input[name=price]", "2980")
    page.locator("#add-warranty button").click()
    page.wait_for_selector("#confirm-sale")
    shot(page, "counter_draft")
    page.locator("#confirm-sale").click()
    page.wait_for_selector("#gross")
    # 680.00 + 2,980.00 = 3,660.00; VAT 13 % = 475.80; 4,135.80
    assert page.locator("#gross").inner_text() == "¥4,135.80"
    assert vehicle.owner.name in page.content()  # the vehicle's owner is the customer
    shot(page, "counter_confirmed")
    assert StockBalance.objects.get(part=part).on_hand == Decimal("2")

    page.context.clear_cookies()
    page = browser_login(page, cashier)
    page.goto(page.base_url + "/settlement/counter/to-pay/")
    shot(page, "counter_to_pay")
    page.locator("#counter-to-pay a.btn-success").first.click()
    page.select_option("select[name=method]", "wechat")
    page.locator("#record-payment").click()
    page.wait_for_selector("#counter-to-pay")
    assert CounterSale.objects.get().outstanding == Decimal("0.00")
    page.goto(page.base_url + f"/reception/vehicles/{vehicle.pk}/")
    assert "原厂延保" in page.locator("#extended-warranty-panel").inner_text()
    shot(page, "vehicle_panel")
    pdf = page.request.get(page.base_url + f"/settlement/counter/{CounterSale.objects.get().pk}/receipt.pdf")
    assert pdf.ok and pdf.body()[:4] == b"%PDF"
    if SHOTS:
        with open(f"{SHOTS}/receipt.pdf", "wb") as fh:
            fh.write(pdf.body())
