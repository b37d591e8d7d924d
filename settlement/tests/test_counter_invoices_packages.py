"""Counter sales go through the invoice path (ceiling: what was paid), and a prepaid package is a counter sale line
whose PackageSale is made when the sale is confirmed (issue 19, items 8 and 12)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from parts.factories import PartFactory
from parts.models import PartsEvent, StockMove
from parts.services.stock import stock_move_post, warehouse_main
from reception.factories import CustomerFactory
from settlement.invoice_selectors import counter_sales_to_invoice
from settlement.models import CounterSale, CounterSaleLine, Invoice, PackageSale
from settlement.services.counter_sales import (
    counter_line_package_add,
    counter_line_part_add,
    counter_payment_record,
    counter_sale_confirm,
    counter_sale_create,
    package_sell,
)
from settlement.services.invoices import counter_invoice_record

D = Decimal
USCC = "91110000600037341L"  # a valid 统一社会信用代码


@pytest.fixture
def lead(make_staff):
    return make_staff("parts_lead", username="larry")


@pytest.fixture
def cashier(make_staff):
    return make_staff("cashier", username="cassie")


@pytest.fixture
def customer(station):
    return CustomerFactory(station=station, name="李四", email="li@example.com")


@pytest.fixture
def paid_sale(station, lead, cashier, customer):
    """2 × 50.00 parts = 100.00 + 13 % VAT = 113.00; 100.00 of it paid."""
    part = PartFactory(station=station, list_price=D("50.00"))
    stock_move_post(warehouse=warehouse_main(station=station), part=part, kind=StockMove.Kind.OPENING,
                    quantity=D("5"), by=lead, unit_cost=D("30.00"))
    sale = counter_sale_create(station=station, by=lead, customer=customer)
    counter_line_part_add(sale=sale, by=lead, part=part, quantity=D("2"))
    sale = counter_sale_confirm(sale=sale, by=lead)
    counter_payment_record(sale=sale, by=cashier, method="wechat", amount=D("100.00"))
    return sale


def _invoice(sale, by, amount, number="00000001", **party):
    party = {"title": "李四", "electronic": False, **party}
    return counter_invoice_record(sale=sale, by=by, number=number, issued_on=timezone.localdate(),
                                  amount=D(amount), **party)


# --- invoices ------------------------------------------------------------------------------------------------------


def test_a_counter_sale_is_invoiced_up_to_what_was_paid(paid_sale, cashier):
    assert counter_sales_to_invoice(cashier, paid_sale.station)[0].to_invoice == D("100.00")
    with pytest.raises(DomainError) as refused:
        _invoice(paid_sale, cashier, "100.01")
    assert refused.value.field == "amount" and "100.00" in refused.value.message
    invoice = _invoice(paid_sale, cashier, "60.00", tax_id=USCC)
    assert (invoice.counter_sale, invoice.statement, invoice.order, invoice.payer) == (paid_sale, None, None,
                                                                                       "customer")
    with pytest.raises(DomainError) as refused:
        _invoice(paid_sale, cashier, "40.01", number="00000002")
    assert refused.value.field == "amount"
    _invoice(paid_sale, cashier, "40.00", number="00000002")
    assert counter_sales_to_invoice(cashier, paid_sale.station) == []
    assert PartsEvent.objects.filter(kind="counter_sale.invoice", reference=paid_sale.number).count() == 2


def test_the_counter_invoice_checks_the_party_and_the_number_like_a_statements(paid_sale, cashier):
    with pytest.raises(DomainError) as refused:
        _invoice(paid_sale, cashier, "10.00", tax_id="91110000600037341X")
    assert refused.value.field == "tax_id"
    with pytest.raises(DomainError) as refused:
        _invoice(paid_sale, cashier, "10.00", invoice_type="special")
    assert refused.value.field == "tax_id"  # 专票 needs the taxpayer number and the rest
    _invoice(paid_sale, cashier, "10.00")
    with pytest.raises(DomainError) as refused:
        _invoice(paid_sale, cashier, "10.00")
    assert refused.value.field == "number"


def test_a_draft_counter_sale_is_not_invoiced(station, lead, cashier):
    sale = counter_sale_create(station=station, by=lead)
    with pytest.raises(DomainError):
        _invoice(sale, cashier, "1.00")


def test_the_database_refuses_an_invoice_of_two_documents_or_none(paid_sale, cashier):
    invoice = _invoice(paid_sale, cashier, "10.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(counter_sale=None)


def test_the_cashier_records_a_counter_invoice_in_the_browser(client_as, paid_sale, cashier):
    client = client_as(cashier)
    url = reverse("settlement:counter_invoice_new", args=[paid_sale.pk])
    page = client.get(url)
    assert page.status_code == 200 and "李四" in page.content.decode()  # the customer's name offered as title
    form = {"number": "12345678", "issued_on": timezone.localdate().isoformat(), "amount": "100.00",
            "invoice_type": "normal", "title": "李四", "tax_id": "91110000600037341X", "email": "li@example.com"}
    bad = client.post(url, form)
    assert bad.status_code == 400 and not Invoice.objects.exists()
    html = bad.content.decode()
    assert 'id="id_tax_id"' in html and "invalid-feedback" in html and "12345678" in html  # at the field, input kept
    assert client.post(url, {**form, "tax_id": USCC}).status_code == 302
    invoice = Invoice.objects.get()
    assert (invoice.counter_sale_id, invoice.amount, invoice.tax_id) == (paid_sale.pk, D("100.00"), USCC)
    listed = client.get(reverse("settlement:invoices_to_issue")).content.decode()
    assert paid_sale.number not in listed


# --- packages ------------------------------------------------------------------------------------------------------


def test_a_package_line_becomes_a_package_sale_when_the_sale_is_confirmed(station, lead, cashier, customer):
    until = timezone.localdate() + timedelta(days=365)
    sale = counter_sale_create(station=station, by=lead, customer=customer)
    line = counter_line_package_add(sale=sale, by=lead, name="机油保养3次", uses_total=3, price=D("999.00"),
                                    valid_until=until)
    assert not PackageSale.objects.exists()  # nothing sold before the sale is confirmed
    sale = counter_sale_confirm(sale=sale, by=lead)
    package = PackageSale.objects.get()
    assert (package.counter_line, package.customer, package.price, package.uses_total) == (line, customer,
                                                                                           D("999.00"), 3)
    assert (sale.net, sale.vat, sale.gross) == (D("999.00"), D("129.87"), D("1128.87"))  # 999 × 13 % = 129.87
    payment = counter_payment_record(sale=sale, by=cashier, method="cash", amount=sale.gross)
    assert payment.receipt_number.startswith("SK")


def test_a_package_is_sold_to_a_known_customer_with_its_terms(station, lead):
    walk_in = counter_sale_create(station=station, by=lead, walk_in_name="王")
    until = timezone.localdate() + timedelta(days=30)
    with pytest.raises(DomainError) as refused:
        counter_line_package_add(sale=walk_in, by=lead, name="保养", uses_total=2, price=D("100"), valid_until=until)
    assert refused.value.field == "customer"
    sale = counter_sale_create(station=station, by=lead, customer=CustomerFactory(station=station))
    for kwargs, field in [({"uses_total": 0}, "uses_total"), ({"price": D("0")}, "price"),
                          ({"valid_until": timezone.localdate() - timedelta(days=1)}, "valid_until")]:
        with pytest.raises(DomainError) as refused:
            counter_line_package_add(sale=sale, by=lead, **{"name": "保养", "uses_total": 2, "price": D("100"),
                                                             "valid_until": until, **kwargs})
        assert refused.value.field == field
    assert not CounterSaleLine.objects.exists()


def test_a_failed_confirmation_sells_no_package(station, lead, customer):
    part = PartFactory(station=station, list_price=D("50.00"))  # none in stock
    sale = counter_sale_create(station=station, by=lead, customer=customer)
    counter_line_package_add(sale=sale, by=lead, name="保养", uses_total=2, price=D("100"),
                             valid_until=timezone.localdate() + timedelta(days=30))
    counter_line_part_add(sale=sale, by=lead, part=part, quantity=D("1"))
    with pytest.raises(DomainError):
        counter_sale_confirm(sale=sale, by=lead)
    assert not PackageSale.objects.exists()
    assert CounterSale.objects.get().status == CounterSale.Status.DRAFT


def test_the_packages_page_sells_through_a_counter_sale_and_sends_the_cashier_to_take_the_money(
        client_as, station, cashier, customer):
    response = client_as(cashier).post(reverse("settlement:package_new"), {
        "customer": customer.pk, "name": "保养2次", "uses_total": "2", "price": "200.00",
        "valid_until": (timezone.localdate() + timedelta(days=90)).isoformat()})
    package = PackageSale.objects.get()
    sale = package.counter_line.sale
    assert response.status_code == 302 and response["Location"] == reverse("settlement:counter_payment",
                                                                           args=[sale.pk])
    assert (sale.status, sale.gross, sale.paid) == (CounterSale.Status.CONFIRMED, D("226.00"), D("0"))


def test_package_sell_is_the_counter_sale_path(station, lead, customer):
    package = package_sell(station=station, customer=customer, by=lead, name="保养", uses_total=1, price=D("80"),
                           valid_until=timezone.localdate())
    assert package.counter_line.kind == CounterSaleLine.Kind.PACKAGE
    assert package.counter_line.sale.gross == D("90.40")


def test_the_counter_adds_a_package_line_on_the_sale_page_and_a_walk_in_is_refused(client_as, station, lead,
                                                                                    customer):
    client = client_as(lead)
    sale = counter_sale_create(station=station, by=lead, customer=customer)
    url = reverse("settlement:counter_package_add", args=[sale.pk])
    until = (timezone.localdate() + timedelta(days=90)).isoformat()
    form = {"package-name": "保养2次", "package-uses_total": "2", "package-price": "200.00",
            "package-valid_until": until}
    assert client.post(url, form).status_code == 302
    line = sale.lines.get()
    assert (line.kind, line.package_uses, line.amount) == (CounterSaleLine.Kind.PACKAGE, 2, D("200.00"))
    walk_in = counter_sale_create(station=station, by=lead, walk_in_name="王")
    refused = client.post(reverse("settlement:counter_package_add", args=[walk_in.pk]), form)
    assert refused.status_code == 400 and not walk_in.lines.exists()
