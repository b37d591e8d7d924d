"""A day's vouchers take in counter sales and package money (预收款 at sale, revenue at each use), hand-computed."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from parts.factories import PartFactory
from parts.models import StockMove
from parts.services.stock import stock_move_post, warehouse_main
from reception.factories import WorkOrderFactory, labour_line
from settlement.models import CounterPayment, CounterSale, PackageUse, VoucherDay
from settlement.services.counter_sales import (
    counter_line_package_add,
    counter_line_part_add,
    counter_payment_record,
    counter_sale_confirm,
    counter_sale_create,
)
from settlement.services.packages import package_use
from settlement.services.vouchers import voucher_day_generate
from settlement.tests.vouchers import voucher_totals

D = Decimal


@pytest.fixture
def counter_day(station, make_staff, alice):
    """Yesterday: a parts sale (2 × 50.00 at a cost of 30.00, 13 % VAT: 113.00, paid by WeChat), a package sale
    (3 services for 999.00 + 129.87 VAT = 1128.87, paid in cash) and one of its services used (999 ÷ 3 = 333.00)."""
    lead = make_staff("parts_lead", username="larry")
    cashier = make_staff("cashier", username="cassie")
    part = PartFactory(station=station, list_price=D("50.00"))
    stock_move_post(warehouse=warehouse_main(station=station), part=part, kind=StockMove.Kind.OPENING,
                    quantity=D("5"), by=lead, unit_cost=D("30.00"))
    parts_sale = counter_sale_create(station=station, by=lead)
    counter_line_part_add(sale=parts_sale, by=lead, part=part, quantity=D("2"))
    parts_sale = counter_sale_confirm(sale=parts_sale, by=lead)
    counter_payment_record(sale=parts_sale, by=cashier, method="wechat", amount=D("113.00"))

    order = WorkOrderFactory(station=station, advisor=alice, signed=True)
    package_sale = counter_sale_create(station=station, by=lead, customer=order.customer)
    counter_line_package_add(sale=package_sale, by=lead, name="机油保养3次", uses_total=3, price=D("999.00"),
                             valid_until=timezone.localdate() + timedelta(days=365))
    package_sale = counter_sale_confirm(sale=package_sale, by=lead)
    counter_payment_record(sale=package_sale, by=cashier, method="cash", amount=D("1128.87"))
    package_use(sale=package_sale.lines.get().package_sale, line=labour_line(order), by=alice)

    noon = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=1), time(12)))
    CounterSale.objects.update(confirmed_at=noon)
    CounterPayment.objects.update(received_at=noon)
    PackageUse.objects.update(used_at=noon)
    StockMove.objects.filter(kind=StockMove.Kind.ISSUE).update(at=noon)
    return noon.date()


def test_a_counter_day_gives_exact_balanced_vouchers(counter_day, station, carol):
    vd = voucher_day_generate(station=station, day=counter_day, by=carol)
    assert (vd.first_number, vd.last_number) == (1, 3)
    # sales: 113.00 + 1128.87 receivable, 333.00 released = 1574.87 a side
    assert voucher_totals(vd, 1) == {
        "1122.01": (D("1241.87"), D("0")),          # receivable: customers, 113.00 + 1128.87
        "6001.02": (D("0"), D("100.00")),           # parts revenue, 2 × 50.00
        "2221.01.02": (D("0"), D("142.87")),        # output VAT, 13.00 + 129.87
        "2203.01": (D("333.00"), D("999.00")),      # 预收账款: credited at sale, one third released
        "6001.04": (D("0"), D("333.00")),           # package revenue, the one use
    }
    # receipts: the two counter payments
    assert voucher_totals(vd, 2) == {
        "1012.01": (D("113.00"), D("0")),           # WeChat
        "1001": (D("1128.87"), D("0")),             # cash
        "1122.01": (D("0"), D("1241.87")),
    }
    # cost of the two parts sold over the counter, 2 × 30.00
    assert voucher_totals(vd, 3) == {"6401.02": (D("60.00"), D("0")), "1405": (D("0"), D("60.00"))}
    assert vd.debit == vd.credit == D("1574.87") + D("1241.87") + D("60.00") == D("2876.74")


def test_the_database_refuses_an_unbalanced_day(counter_day, station, carol):
    vd = voucher_day_generate(station=station, day=counter_day, by=carol)
    with pytest.raises(IntegrityError), transaction.atomic():
        VoucherDay.objects.filter(pk=vd.pk).update(credit=vd.credit - D("0.01"))
