"""The ledger pages as users meet them: who posts what, refusals at the field, files, PDFs, scoping, bounded pages."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reception.factories import CustomerFactory, WorkOrderFactory
from settlement.factories import StatementFactory
from settlement.models import AccountMapping, Allocation, CreditLimitApproval, FleetContract, FleetDriver, VoucherDay
from settlement.services.fleet import credit_limit_request, fleet_contract_save
from tests.querycount import assert_flat

D = Decimal
pytestmark = pytest.mark.django_db


def _open(station, cashier, *, payer="warranty", due="100.00", days_ago=10, customer=None):
    order = WorkOrderFactory(station=station, status="settled",
                             **({"customer": customer, "vehicle__owner": customer} if customer else {}))
    return StatementFactory(station=station, order=order, payer=payer, due=D(due), gross=D(due), issued_by=cashier,
                            issued_at=timezone.now() - timedelta(days=days_ago))


@pytest.fixture
def fleet(station, carol):
    customer = CustomerFactory(station=station, kind="fleet", name="顺丰车队")
    return fleet_contract_save(station=station, by=carol, customer=customer, number="FC-9", credit_limit="1000")


def test_receivables_page_shows_the_ageing(client_as, station, cashier):
    _open(station, cashier, due="250.00", days_ago=45)
    response = client_as(cashier).get(reverse("settlement:receivables"))
    assert response.status_code == 200
    row = [line for line in response.content.decode().split("<tr") if 'data-kind="warranty"' in line][0]
    assert "250.00" in row


def test_remittance_through_the_page(client_as, station, cashier):
    a, b = _open(station, cashier, due="100.00"), _open(station, cashier, due="60.00")
    client = client_as(cashier)
    url = reverse("settlement:remittance", kwargs={"kind": "warranty"})
    response = client.post(url, {"payer_kind": "warranty", "method": "transfer", "amount": "150.00",
                                 "reference": "FTMS-1", f"alloc-{a.pk}": "100.00", f"alloc-{b.pk}": "50.00"})
    assert response.status_code == 302
    assert sorted(Allocation.objects.values_list("amount", flat=True)) == [D("50.00"), D("100.00")]


def test_over_application_comes_back_with_what_was_typed(client_as, station, cashier):
    a = _open(station, cashier, due="100.00")
    response = client_as(cashier).post(
        reverse("settlement:remittance", kwargs={"kind": "warranty"}),
        {"payer_kind": "warranty", "method": "transfer", "amount": "150.00", "reference": "R",
         f"alloc-{a.pk}": "120.00"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="120.00"' in page and 'value="150.00"' in page and "is-invalid" in page
    assert not Allocation.objects.exists()


def test_vouchers_generated_and_downloaded(client_as, station, carol, cashier):
    s = _open(station, cashier, payer="customer", due="339.00", days_ago=1)
    type(s).objects.filter(pk=s.pk).update(net=D("300.00"), labour=D("300.00"), vat=D("39.00"), gross=D("339.00"))
    client = client_as(carol)
    day = timezone.localdate() - timedelta(days=1)
    assert client.post(reverse("settlement:vouchers"), {"day": day.isoformat()}).status_code == 302
    vd = VoucherDay.objects.get(station=station, day=day)
    csv_text = client.get(reverse("settlement:voucher_csv", kwargs={"pk": vd.pk})).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == "日期,凭证字,凭证号,摘要,科目代码,科目名称,借方,贷方"
    book = load_workbook(io.BytesIO(client.get(reverse("settlement:voucher_xlsx", kwargs={"pk": vd.pk})).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert sum(D(str(r[6] or 0)) for r in rows[1:]) == sum(D(str(r[7] or 0)) for r in rows[1:]) == D("339.00")
    assert client.post(reverse("settlement:vouchers"), {"day": timezone.localdate().isoformat()}).status_code == 400


def test_account_code_refused_at_its_row(client_as, station, carol):
    client = client_as(carol)
    response = client.post(reverse("settlement:accounts"), {"key": "cash", "code": "现金", "name": "库存现金"})
    assert response.status_code == 400 and 'value="现金"' in response.content.decode()
    assert client.post(reverse("settlement:accounts"),
                       {"key": "cash", "code": "1001.01", "name": "库存现金-前台"}).status_code == 302
    assert AccountMapping.objects.get(station=station, key="cash").code == "1001.01"


def test_contract_created_and_driver_added(client_as, station, carol):
    customer = CustomerFactory(station=station, kind="fleet")
    client = client_as(carol)
    response = client.post(reverse("settlement:fleet_new"), {
        "customer": customer.pk, "number": "FC-100", "labour_rate": "260", "parts_discount_pct": "10",
        "credit_limit": "50000", "is_active": "on"})
    assert response.status_code == 302
    contract = FleetContract.objects.get(customer=customer)
    url = reverse("settlement:fleet_driver_add", kwargs={"pk": contract.pk})
    assert client.post(url, {"name": "王师傅", "mobile": "abc"}).status_code == 400
    assert client.post(url, {"name": "王师傅", "mobile": "13800001111"}).status_code == 302
    assert FleetDriver.objects.get().contract == contract
    page = client.get(reverse("settlement:fleet_contract", kwargs={"pk": contract.pk})).content.decode()
    assert "王师傅" in page and "50,000.00" in page


def test_another_stations_customer_cannot_get_a_contract(client_as, station, other_station, carol):
    foreign = CustomerFactory(station=other_station, kind="fleet")
    response = client_as(carol).post(reverse("settlement:fleet_new"), {
        "customer": foreign.pk, "number": "FC-X", "parts_discount_pct": "0", "credit_limit": "1"})
    assert response.status_code == 400 and not FleetContract.objects.exists()


def test_other_station_contract_is_404(client_as, other_station, make_staff):
    customer = CustomerFactory(station=other_station, kind="fleet")
    manager_b = make_staff("station_manager", station=other_station, username="bm")
    contract = fleet_contract_save(station=other_station, by=manager_b, customer=customer, number="B-1",
                                   credit_limit="1")
    cashier_a = make_staff("cashier", username="ca")
    assert client_as(cashier_a).get(reverse("settlement:fleet_contract", kwargs={"pk": contract.pk})).status_code \
        == 404


def test_pdfs_render(client_as, station, cashier, fleet):
    _open(station, cashier, payer="customer", due="500.00", customer=fleet.customer)
    client = client_as(cashier)
    for url in (reverse("settlement:payer_pdf", kwargs={"kind": "fleet"}) + f"?customer={fleet.customer_id}",
                reverse("settlement:fleet_pdf", kwargs={"pk": fleet.pk})):
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_credit_request_and_decision_pages(client_as, station, cashier, carol, fleet):
    s = _open(station, cashier, payer="customer", due="1500.00", customer=fleet.customer)
    response = client_as(cashier).post(reverse("settlement:credit_request", kwargs={"pk": s.pk}),
                                       {"amount": "1500.00"})
    assert response.status_code == 302
    approval = CreditLimitApproval.objects.get()
    assert approval.excess == D("500.00")
    client = client_as(carol)
    assert str(approval.statement.number) in client.get(reverse("settlement:credit_approvals")).content.decode()
    client.post(reverse("settlement:credit_decide", kwargs={"pk": approval.pk}), {"decision": "approve"})
    approval.refresh_from_db()
    assert approval.status == "approved" and approval.decided_by == carol


def test_pages_in_chinese(client_as, station, cashier):
    client = client_as(cashier)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("settlement:receivables"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "按付款方的应收账款" in page and "厂家（索赔）" in page


# --- pages do not grow with data ---------------------------------------------------------------------------------


def test_payer_page_is_flat_and_paged(client_as, station, cashier):
    client = client_as(cashier)
    assert_flat(client, reverse("settlement:payer", kwargs={"kind": "warranty"}),
                lambda n: [_open(station, cashier) for _ in range(n)])
    for _ in range(45):
        _open(station, cashier)
    page = client.get(reverse("settlement:payer", kwargs={"kind": "warranty"})).content.decode()
    assert page.count("data-statement=") == 50 and 'rel="next"' in page


def test_receivables_and_fleet_lists_are_flat(client_as, station, cashier, carol):
    assert_flat(client_as(cashier), reverse("settlement:receivables"),
                lambda n: [_open(station, cashier, days_ago=10 * i) for i in range(n)])

    def contracts(n):
        for _ in range(n):
            c = CustomerFactory(station=station, kind="fleet")
            fleet_contract_save(station=station, by=carol, customer=c, number=f"FC-{c.pk}", credit_limit="10")
    assert_flat(client_as(carol), reverse("settlement:fleet"), contracts)


def test_credit_approvals_and_vouchers_are_flat(client_as, station, cashier, carol, fleet):
    def approvals(n):
        for _ in range(n):
            credit_limit_request(statement=_open(station, cashier, payer="customer", due="2000.00",
                                                 customer=fleet.customer), by=cashier, amount="2000.00")
    assert_flat(client_as(carol), reverse("settlement:credit_approvals"), approvals)
    start = timezone.localdate() - timedelta(days=400)

    def days(n):
        base = VoucherDay.objects.count()
        for i in range(n):
            VoucherDay.objects.create(station=station, day=start + timedelta(days=base + i), first_number=1,
                                      last_number=0, generated_by=carol)
    assert_flat(client_as(carol), reverse("settlement:vouchers"), days)
