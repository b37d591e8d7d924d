"""A line paid by a package is revenue once: at the use, from the deferred revenue — on no statement, so no second
revenue, no second VAT and no internal receivable (``settlement.services.packages``). Hand-computed."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from reception.factories import WorkOrderFactory, labour_line, part_line
from reception.models import WorkOrder
from settlement.models import CounterPayment, CounterSale, PackageUse, Statement
from settlement.services.counter_sales import (
    counter_line_package_add,
    counter_payment_record,
    counter_sale_confirm,
    counter_sale_create,
)
from settlement.services.packages import package_use
from settlement.services.receivables import open_statements
from settlement.services.reconcile import reconcile
from settlement.services.settle import order_settle
from settlement.services.vouchers import voucher_day_generate
from settlement.tests.vouchers import voucher_totals

D = Decimal


def _package(station, order, lead, cashier):
    """¥999.00 net for 3 services, 13 % VAT: 129.87, 1128.87 paid in cash."""
    sale = counter_sale_create(station=station, by=lead, customer=order.customer)
    counter_line_package_add(sale=sale, by=lead, name="机油保养3次", uses_total=3, price=D("999.00"),
                             valid_until=timezone.localdate() + timedelta(days=365))
    sale = counter_sale_confirm(sale=sale, by=lead)
    counter_payment_record(sale=sale, by=cashier, method="cash", amount=D("1128.87"))
    return sale.lines.get().package_sale


@pytest.fixture
def package_day(station, make_staff, alice, cashier, issued):
    """Yesterday: the package sold; an order with a labour line (1 h × 300.00) paid by one of its services
    (999 ÷ 3 = 333.00) and two filters for the customer (2 × 68.00 = 136.00, VAT 17.68, 153.68), settled."""
    lead = make_staff("parts_lead", username="larry")
    order = WorkOrderFactory(station=station, advisor=alice, signed=True)
    package = _package(station, order, lead, cashier)
    covered = labour_line(order, hours="1.00", price="300.00")
    filters = part_line(order, qty="2", price="68.00")
    issued({filters: 2})
    package_use(sale=package, line=covered, by=alice)
    WorkOrder.objects.filter(pk=order.pk).update(status=WorkOrder.Status.READY)
    order.refresh_from_db()
    order_settle(order=order, by=cashier)

    noon = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=1), time(12)))
    CounterSale.objects.update(confirmed_at=noon)
    CounterPayment.objects.update(received_at=noon)
    PackageUse.objects.update(used_at=noon)
    Statement.objects.update(issued_at=noon)
    return order, covered, noon.date()


def test_the_covered_line_is_on_no_statement(package_day):
    order, covered, _day = package_day
    statements = list(Statement.objects.filter(order=order))
    assert [(s.payer, s.labour, s.parts, s.net, s.vat, s.gross) for s in statements] == [
        ("customer", D("0.00"), D("136.00"), D("136.00"), D("17.68"), D("153.68"))]
    assert covered.pk not in [x["id"] for x in statements[0].lines]
    assert not open_statements(Statement.objects.filter(order=order, payer="internal")).exists()


def test_a_package_day_counts_the_covered_line_once(package_day, station, carol):
    _order, _covered, day = package_day
    vd = voucher_day_generate(station=station, day=day, by=carol)
    assert (vd.first_number, vd.last_number) == (1, 2)
    # sales: receivables 1128.87 + 153.68, the use 333.00 released = 1615.55 a side
    assert voucher_totals(vd, 1) == {
        "1122.01": (D("1282.55"), D("0")),          # receivable: customers, the package + the filters
        "6001.02": (D("0"), D("136.00")),           # parts revenue, the filters only
        "2221.01.02": (D("0"), D("147.55")),        # output VAT, 129.87 at sale + 17.68; none on the covered line
        "2203.01": (D("333.00"), D("999.00")),      # 预收账款: credited at sale, one service released
        "6001.04": (D("0"), D("333.00")),           # package revenue: the covered line, once
    }                                               # no 6001.01 labour revenue, no 1221.01 internal receivable
    assert voucher_totals(vd, 2) == {"1001": (D("1128.87"), D("0")), "1122.01": (D("0"), D("1128.87"))}
    assert vd.debit == vd.credit == D("1615.55") + D("1128.87") == D("2744.42")


def test_an_order_wholly_paid_by_a_package_settles_without_a_statement_and_stays_settled(
        station, make_staff, alice, cashier, client_as):
    lead = make_staff("parts_lead", username="larry")
    order = WorkOrderFactory(station=station, advisor=alice, signed=True)
    covered = labour_line(order, hours="1.00", price="300.00")
    package_use(sale=_package(station, order, lead, cashier), line=covered, by=alice)
    WorkOrder.objects.filter(pk=order.pk).update(status=WorkOrder.Status.READY)
    order.refresh_from_db()
    assert reconcile(order=order).ok
    html = client_as(cashier).get(reverse("settlement:order", args=[order.pk])).content.decode()
    assert 'id="prepaid-lines"' in html and covered.description in html
    assert order_settle(order=order, by=cashier) == []
    order.refresh_from_db()
    assert order.status == WorkOrder.Status.SETTLED
    covered.hours = D("2.00")
    with pytest.raises(DomainError):
        covered.save()


def test_an_order_with_no_lines_is_still_refused(station, alice):
    order = WorkOrderFactory(station=station, advisor=alice, ready=True)
    assert not reconcile(order=order).ok
