"""The cashier reads a counter sale's page (settlement.view) without its line and confirm forms, which stay the parts
counter's (parts.counter); the cashier's pages link to it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from parts.factories import PartFactory
from parts.models import StockMove
from parts.services.stock import stock_move_post, warehouse_main
from settlement.models import CounterSale
from settlement.services.counter_sales import counter_line_part_add, counter_sale_confirm, counter_sale_create

FORMS = ('id="add-part"', 'id="confirm-sale"', "/delete/")


@pytest.fixture
def lead(make_staff):
    return make_staff("parts_lead", username="larry")


@pytest.fixture
def sale(station, lead):
    """A draft sale of two parts at 68.00 (in stock)."""
    part = PartFactory(station=station, list_price=Decimal("68.00"))
    stock_move_post(warehouse=warehouse_main(station=station), part=part, kind=StockMove.Kind.OPENING,
                    quantity=Decimal("5"), by=lead, unit_cost=Decimal("40.00"))
    sale = counter_sale_create(station=station, by=lead)
    counter_line_part_add(sale=sale, by=lead, part=part, quantity=Decimal("2"))
    return sale


def test_the_cashier_reads_a_draft_sale_without_its_forms(client_as, sale, cashier):
    client = client_as(cashier)
    page = client.get(reverse("settlement:counter_sale", args=[sale.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and sale.number in html and 'id="sale-readonly"' in html
    assert not [form for form in FORMS if form in html]
    assert f'href="{reverse("settlement:counter_sales")}"' not in html  # the counter's list is not the cashier's
    # and the counter's actions stay refused to the cashier
    assert client.post(reverse("settlement:counter_confirm", args=[sale.pk])).status_code == 403
    assert CounterSale.objects.get(pk=sale.pk).status == CounterSale.Status.DRAFT


def test_the_counter_still_edits_the_sale(client_as, sale, lead):
    html = client_as(lead).get(reverse("settlement:counter_sale", args=[sale.pk])).content.decode()
    assert all(form in html for form in FORMS) and 'id="sale-readonly"' not in html


def test_a_confirmed_sale_links_the_cashier_to_the_payment_and_back(client_as, sale, lead, cashier):
    sale = counter_sale_confirm(sale=sale, by=lead)
    client = client_as(cashier)
    detail = reverse("settlement:counter_sale", args=[sale.pk])
    payment = reverse("settlement:counter_payment", args=[sale.pk])
    html = client.get(detail).content.decode()
    assert 'id="take-payment"' in html and payment in html and "153.68" in html  # 136.00 + 13 % VAT 17.68
    assert detail in client.get(reverse("settlement:counter_to_pay")).content.decode()
    assert detail in client.get(payment).content.decode()
    # the parts counter reads it too, without the cashier's payment button
    assert 'id="take-payment"' not in client_as(lead).get(detail).content.decode()
