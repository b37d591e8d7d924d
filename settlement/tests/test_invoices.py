"""VAT invoices (发票): the taxpayer number checked with python-stdnum, the invoiced amounts capped at what each
payer settled, the cashier's form refusing at the field, and the station's list of invoices to issue.

The ready order: 1.5 h × 300.00 + 2 × 68.00 + 500.00 sublet = 1,086.00 net, VAT 13 % 141.18, due 1,227.18."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.errors import DomainError
from reception.factories import part_line
from reception.models import WorkOrderEvent
from settlement.models import Invoice
from settlement.services.invoices import customer_invoice_details_save, invoice_record, tax_id_clean
from settlement.services.settle import order_settle

pytestmark = pytest.mark.django_db

USCC = "91110000600037341L"  # a valid 统一社会信用代码 (check character L)
TODAY = datetime.date.today()


@pytest.fixture
def memory_storage(settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


def _record(statement, by, amount, number, **extra):
    party = {"invoice_type": "normal", "electronic": False, "title": "张三", **extra}
    return invoice_record(statement=statement, by=by, number=number, issued_on=TODAY, amount=Decimal(amount), **party)


def test_the_taxpayer_number_is_checked_with_its_check_character():
    assert tax_id_clean("9111 0000 6000 3734 1l") == USCC  # spaces dropped, upper case
    for wrong in ("91110000600037341X", "9111000060003734", "91110000600037341I"):
        with pytest.raises(DomainError) as refused:
            tax_id_clean(wrong)
        assert refused.value.field == "tax_id"


def test_invoices_never_exceed_what_each_payer_settled(ready_order, cashier, issued):
    warranty = part_line(ready_order, qty="1", price="420.00", payer="warranty", description="水泵总成")
    issued({warranty: 1})
    statements = {s.payer: s for s in order_settle(order=ready_order, by=cashier)}
    customer, carmaker = statements["customer"], statements["warranty"]
    assert customer.due == Decimal("1227.18") and carmaker.due == Decimal("474.60")  # 420 × 1.13
    _record(customer, cashier, "1000.00", "00000001")
    with pytest.raises(DomainError) as refused:
        _record(customer, cashier, "227.19", "00000002")  # one cent too many: 1,227.18 − 1,000.00 = 227.18 left
    assert refused.value.field == "amount" and "227.18" in refused.value.message
    _record(customer, cashier, "227.18", "00000002")
    with pytest.raises(DomainError):
        _record(customer, cashier, "0.01", "00000003")
    # the carmaker's statement has its own ceiling, untouched by the customer's invoices
    _record(carmaker, cashier, "474.60", "00000004", tax_id=USCC)
    assert sum(i.amount for i in Invoice.objects.filter(order=ready_order, payer="customer")) == Decimal("1227.18")
    assert WorkOrderEvent.objects.filter(order=ready_order, kind="invoice").count() == 3


def test_a_number_is_used_once_and_a_special_invoice_needs_the_bank(ready_order, cashier):
    statement = order_settle(order=ready_order, by=cashier)[0]
    _record(statement, cashier, "100.00", "12345678")
    with pytest.raises(DomainError) as twice:
        _record(statement, cashier, "100.00", "12345678")
    assert twice.value.field == "number"
    with pytest.raises(DomainError) as no_bank:
        invoice_record(statement=statement, by=cashier, number="12345679", issued_on=TODAY, amount=Decimal("100"),
                       invoice_type="special", electronic=False, title="上海某某物流有限公司", tax_id=USCC,
                       address="上海市浦东新区", phone="021-5555 0000", bank="", account="")
    assert no_bank.value.field == "bank"
    with pytest.raises(DomainError) as no_mail:
        _record(statement, cashier, "100.00", "12345680", electronic=True)
    assert no_mail.value.field == "email"


def test_the_customers_details_are_offered_on_the_form(client_as, ready_order, cashier):
    customer_invoice_details_save(customer=ready_order.customer, by=cashier, invoice_type="special", electronic=False,
                                  title="上海某某物流有限公司", tax_id=USCC, address="上海市浦东新区张江路1号",
                                  phone="021-55550000", bank="工商银行张江支行", account="1001 2345 6789")
    statement = order_settle(order=ready_order, by=cashier)[0]
    html = client_as(cashier).get(reverse("settlement:invoice_new", kwargs={"pk": statement.pk})).content.decode()
    assert "上海某某物流有限公司" in html and USCC in html and "1,227.18" in html


def test_a_wrong_taxpayer_number_comes_back_at_the_field_with_what_was_typed(client_as, ready_order, cashier):
    statement = order_settle(order=ready_order, by=cashier)[0]
    url = reverse("settlement:invoice_new", kwargs={"pk": statement.pk})
    data = {"number": "24312000000012345678", "issued_on": TODAY.isoformat(), "amount": "1227.18",
            "invoice_type": "normal", "title": "上海某某物流有限公司", "tax_id": "91110000600037341X"}
    response = client_as(cashier).post(url, data)
    assert response.status_code == 400
    assert "check character" in response.context["form"].errors["tax_id"][0]
    assert "上海某某物流有限公司" in response.content.decode()
    assert not Invoice.objects.exists()
    response = client_as(cashier).post(url, {**data, "tax_id": USCC})
    assert response.status_code == 302
    assert Invoice.objects.get().tax_id == USCC


def test_an_e_invoice_file_is_a_pdf_or_an_ofd_and_nothing_else(memory_storage, client_as, ready_order, cashier):
    statement = order_settle(order=ready_order, by=cashier)[0]
    url = reverse("settlement:invoice_new", kwargs={"pk": statement.pk})
    data = {"issued_on": TODAY.isoformat(), "amount": "500.00", "invoice_type": "normal", "title": "张三",
            "electronic": "on", "email": "zhang@example.com"}
    page = SimpleUploadedFile("fapiao.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = client_as(cashier).post(url, {**data, "number": "1", "file": page})
    assert response.status_code == 400 and "file" in response.context["form"].errors
    ofd = io.BytesIO()
    with zipfile.ZipFile(ofd, "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD/>")
    response = client_as(cashier).post(url, {**data, "number": "2", "file": SimpleUploadedFile("x.ofd", ofd.getvalue())})
    assert response.status_code == 302
    invoice = Invoice.objects.get()
    assert invoice.file.name.startswith("invoices/") and invoice.file.name.endswith(".ofd")
    served = client_as(cashier).get(reverse("private_file", kwargs={"kind": "invoice-file", "pk": invoice.pk}))
    assert served.status_code == 200 and b"".join(served.streaming_content) == ofd.getvalue()


def test_the_list_of_invoices_to_issue(client_as, ready_order, cashier, mallory):
    statement = order_settle(order=ready_order, by=cashier)[0]
    url = reverse("settlement:invoices_to_issue")
    page = client_as(cashier).get(url)
    rows = list(page.context["page"])
    assert [s.pk for s in rows] == [statement.pk] and rows[0].to_invoice == Decimal("1227.18")
    assert client_as(mallory).get(url).context["page"].object_list == []  # another station's statement
    _record(statement, cashier, "1227.18", "99")
    assert list(client_as(cashier).get(url).context["page"]) == []


def test_the_advisor_keeps_the_customers_details_and_the_customer_page_shows_them(client_as, alice, ready_order):
    customer = ready_order.customer
    page = reverse("reception:customer_detail", kwargs={"pk": customer.pk})
    url = reverse("settlement:customer_invoice_details", kwargs={"pk": customer.pk}) + f"?next={page}"
    data = {"invoice_type": "special", "title": "上海某某物流有限公司", "tax_id": USCC, "address": "上海市浦东新区张江路1号",
            "phone": "021-55550000", "bank": "", "account": "1001234567890"}
    refused = client_as(alice).post(url, data)
    assert refused.status_code == 400 and "bank" in refused.context["form"].errors
    saved = client_as(alice).post(url, {**data, "bank": "工商银行张江支行"})
    assert saved.status_code == 302 and saved["Location"] == page
    customer.refresh_from_db()
    assert customer.invoice_details.tax_id == USCC and customer.invoice_details.updated_by == alice
    panel = client_as(alice).get(page).content.decode()
    assert 'id="invoice-details-panel"' in panel and USCC in panel and "工商银行张江支行" in panel
