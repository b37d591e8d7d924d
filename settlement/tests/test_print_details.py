"""Printed details (issue 16, item 25): the receipt on an A5 page, the pick list (领料单) with bin locations and its
领料人 line, and money in messages always with ¥."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from parts.models import PartsRequest, StockBalance
from parts.services.stock import warehouse_main
from settlement.services.settle import order_settle
from settlement.tests.test_pdfs import assert_bundled_font_only, get_pdf, text_of

pytestmark = pytest.mark.django_db


def _page_size(path) -> str:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return next(line for line in info.splitlines() if line.startswith("Page size:"))


def test_the_receipt_is_printed_on_an_a5_page(client_as, cashier, ready_order, tmp_path):
    from settlement.services.payments import payment_record

    statement = order_settle(order=ready_order, by=cashier)[0]
    payment = payment_record(statement=statement, by=cashier, method="cash", amount=statement.due)
    path = get_pdf(client_as(cashier), reverse("settlement:receipt_pdf", kwargs={"pk": payment.pk}), tmp_path,
                   "receipt-a5")
    width, height = (float(v) for v in _page_size(path).split(":")[1].split("pts")[0].split(" x "))
    assert (round(width), round(height)) == (595, 420)  # A5 landscape (210 × 148 mm), not A4 (595 × 842)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info  # the whole receipt on the one slip
    assert_bundled_font_only(path)


def test_the_pick_list_shows_bins_and_who_receives_the_parts(client_as, carol, bob, ready_order, tmp_path):
    line = ready_order.lines.get(kind="part")
    StockBalance.objects.create(warehouse=warehouse_main(station=ready_order.station), part=line.part,
                                station=ready_order.station, bin_location="C-07-1")
    PartsRequest.objects.create(station=ready_order.station, line=line, quantity=Decimal("2"), requested_by=bob)
    text = text_of(get_pdf(client_as(carol), reverse("settlement:pick_list_pdf", kwargs={"pk": ready_order.pk}),
                           tmp_path, "pick-list-bins"))
    assert "C-07-1" in text and "货位" in text
    assert f"{bob} · 日期" in text


def test_the_pick_list_prints_no_stray_dot_when_nobody_asked_for_the_parts(client_as, carol, ready_order, tmp_path):
    text = text_of(get_pdf(client_as(carol), reverse("settlement:pick_list_pdf", kwargs={"pk": ready_order.pk}),
                           tmp_path, "pick-list-nobody"))
    assert "领料人" in text
    assert "· 日期" not in text.split("领料人")[-1]


def test_a_payment_message_shows_the_amount_with_the_yuan_sign(client_as, cashier, ready_order):
    statement = order_settle(order=ready_order, by=cashier)[0]
    response = client_as(cashier).post(reverse("settlement:payment_new", kwargs={"pk": statement.pk}),
                                       {"method": "cash", "amount": "100.00"}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("¥100.00" in m for m in messages), messages
