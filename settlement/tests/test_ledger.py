"""Issue 18 items 2–4 with hand-computed figures: the day's vouchers, ageing, remittances, fleet credit limit."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import DomainError
from parts.factories import PartFactory, StockMoveFactory, WarehouseFactory
from reception.factories import CustomerFactory, LabourOperationFactory, WorkOrderFactory
from reception.services.orders import line_add_labour, line_add_part
from settlement.factories import PaymentFactory, StatementFactory
from settlement.models import Allocation, CreditLimitApproval, Statement, VoucherDay
from settlement.services.fleet import credit_limit_decide, credit_limit_request, fleet_contract_save
from settlement.services.payments import payment_record
from settlement.services.receivables import ageing, fleet_exposure, open_amount
from settlement.services.remittances import remittance_apply
from settlement.services.settle import order_settle
from settlement.services.vouchers import account_mapping_set, voucher_day_generate, voucher_rows
from settlement.views.ledger_files import csv_bytes

D = Decimal
pytestmark = pytest.mark.django_db


def _yesterday_noon() -> datetime:
    day = timezone.localdate() - timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=12))


@pytest.fixture
def settled_day(ready_order, cashier, station):
    """Yesterday: the ready order (450 labour + 136 parts + 500 sublet = 1,086.00 net, VAT 141.18, 1,227.18) settled
    and paid 1,000.00 by WeChat and 227.18 in cash; 2 filters issued at 40.00 cost and 1 returned."""
    statement = order_settle(order=ready_order, by=cashier)[0]
    payment_record(statement=statement, by=cashier, method="wechat", amount=D("1000.00"))
    payment_record(statement=statement, by=cashier, method="cash", amount=D("227.18"), tendered=D("300"))
    wh = WarehouseFactory(station=station)
    StockMoveFactory(warehouse=wh, kind="issue", quantity=D("-2"), unit_cost=D("40.0000"), at=_yesterday_noon())
    StockMoveFactory(warehouse=wh, kind="return", quantity=D("1"), unit_cost=D("40.0000"), at=_yesterday_noon())
    Statement.objects.filter(pk=statement.pk).update(issued_at=_yesterday_noon())
    statement.payments.update(received_at=_yesterday_noon())
    return statement


def _by_number(vd: VoucherDay) -> dict[int, list[tuple[str, Decimal, Decimal]]]:
    out: dict[int, list] = {}
    for line in vd.lines:
        out.setdefault(line["number"], []).append((line["code"], D(line["debit"]), D(line["credit"])))
    return out


def test_day_vouchers_balance_and_match_settlements_and_payments(settled_day, carol, station):
    vd = voucher_day_generate(station=station, day=timezone.localdate() - timedelta(days=1), by=carol)
    vouchers = _by_number(vd)
    assert sorted(vouchers) == [1, 2, 3]
    assert vouchers[1] == [("1122.01", D("1227.18"), D("0")), ("6001.01", D("0"), D("450.00")),
                           ("6001.02", D("0"), D("136.00")), ("6001.03", D("0"), D("500.00")),
                           ("2221.01.02", D("0"), D("141.18"))]
    assert vouchers[2] == [("1012.01", D("1000.00"), D("0")), ("1122.01", D("0"), D("1000.00")),
                           ("1001", D("227.18"), D("0")), ("1122.01", D("0"), D("227.18"))]
    assert vouchers[3] == [("6401.02", D("40.00"), D("0")), ("1405", D("0"), D("40.00"))]
    for lines in vouchers.values():
        assert sum(d for _c, d, _k in lines) == sum(k for _c, _d, k in lines)
    # the day's totals: the statements' gross (1,227.18) + the payments (1,227.18) + parts cost (40.00)
    assert vd.debit == vd.credit == D("2494.36")


def test_re_export_gives_the_same_numbers_and_the_next_day_continues(settled_day, carol, station, cashier):
    day = timezone.localdate() - timedelta(days=1)
    first = voucher_day_generate(station=station, day=day, by=carol)
    # a mapping changed afterwards does not change the day already generated
    account_mapping_set(station=station, by=carol, key="cash", code="1001.01", name="库存现金-前台")
    again = voucher_day_generate(station=station, day=day, by=carol)
    assert again.pk == first.pk and again.lines == first.lines
    assert csv_bytes(again) == csv_bytes(first)
    earlier = voucher_day_generate(station=station, day=day - timedelta(days=1), by=carol)
    assert earlier.lines == []  # nothing that day: no voucher, no number used
    assert VoucherDay.objects.filter(station=station).count() == 2


def test_csv_layout(settled_day, carol, station):
    vd = voucher_day_generate(station=station, day=timezone.localdate() - timedelta(days=1), by=carol)
    rows = list(csv.reader(io.StringIO(csv_bytes(vd).decode("utf-8-sig"))))
    assert rows[0] == ["日期", "凭证字", "凭证号", "摘要", "科目代码", "科目名称", "借方", "贷方"]
    assert rows[1][1:3] == ["记", "1"] and rows[1][4:] == ["1122.01", "应收账款-客户", "1227.18", ""]
    assert len(rows) == 1 + len(voucher_rows(vd))


def test_today_cannot_be_exported(station, carol):
    with pytest.raises(DomainError):
        voucher_day_generate(station=station, day=timezone.localdate(), by=carol)


def test_mapping_refuses_a_code_with_letters(station, carol):
    with pytest.raises(DomainError) as err:
        account_mapping_set(station=station, by=carol, key="cash", code="10O1", name="现金")
    assert err.value.field == "code"


# --- ageing ----------------------------------------------------------------------------------------------------


def _statement(station, cashier, *, payer="customer", due, days_ago, customer=None):
    order = WorkOrderFactory(station=station, status="settled",
                             **({"customer": customer, "vehicle__owner": customer} if customer else {}))
    issued = timezone.now() - timedelta(days=days_ago)
    return StatementFactory(station=station, order=order, payer=payer, due=D(due), gross=D(due),
                            issued_by=cashier, issued_at=issued)


def test_ageing_buckets_for_a_prepared_set(station, cashier, make_staff):
    fleet = CustomerFactory(station=station, kind="fleet")
    _statement(station, cashier, payer="warranty", due="1000.00", days_ago=10)
    _statement(station, cashier, payer="warranty", due="500.00", days_ago=45)
    _statement(station, cashier, payer="insurance", due="2000.00", days_ago=75)
    _statement(station, cashier, payer="internal", due="300.00", days_ago=120)
    part_paid = _statement(station, cashier, payer="customer", due="800.00", days_ago=31)
    PaymentFactory(statement=part_paid, amount=D("200.00"), received_by=cashier)
    paid = _statement(station, cashier, payer="customer", due="99.00", days_ago=5)
    PaymentFactory(statement=paid, received_by=cashier)
    on_account = _statement(station, cashier, payer="customer", due="1500.00", days_ago=95, customer=fleet)
    PaymentFactory(statement=on_account, method="fleet_credit", received_by=cashier)  # still owed by the fleet
    result = ageing(Statement.objects.filter(station=station))
    table = {row["kind"]: row["cells"] for row in result.table()}
    assert table["warranty"] == [D("1000.00"), D("500.00"), 0, 0]
    assert table["insurance"] == [0, 0, D("2000.00"), 0]
    assert table["internal"] == [0, 0, 0, D("300.00")]
    assert table["customer"] == [0, D("600.00"), 0, 0]
    assert table["fleet"] == [0, 0, 0, D("1500.00")]
    assert result.totals == {"0_30": D("1000.00"), "31_60": D("1100.00"), "61_90": D("2000.00"),
                             "over_90": D("1800.00")}
    assert result.total == D("5900.00")


def test_another_station_is_not_in_the_ageing(station, other_station, cashier):
    _statement(other_station, cashier, payer="warranty", due="1000.00", days_ago=10)
    assert ageing(Statement.objects.filter(station=station)).total == 0


# --- a payment applied to several documents ------------------------------------------------------------------


def test_remittance_applied_to_three_documents(station, cashier):
    a = _statement(station, cashier, payer="warranty", due="1000.00", days_ago=40)
    b = _statement(station, cashier, payer="warranty", due="500.00", days_ago=20)
    c = _statement(station, cashier, payer="warranty", due="300.00", days_ago=5)
    r = remittance_apply(station=station, by=cashier, payer_kind="warranty", method="transfer", amount="1600.00",
                         reference="FTMS-2026-11", allocations=[(a, D("1000.00")), (b, D("500.00")),
                                                                 (c, D("100.00"))])
    assert [x.amount for x in r.allocations.order_by("id")] == [D("1000.00"), D("500.00"), D("100.00")]
    assert all(x.payment and x.by == cashier for x in r.allocations.all())
    assert (open_amount(a), open_amount(b), open_amount(c)) == (0, 0, D("200.00"))
    assert c.order.events.filter(kind="payment").exists()  # who and when on the order's history


def test_remittance_never_over_applies(station, cashier):
    a = _statement(station, cashier, payer="warranty", due="1000.00", days_ago=40)
    b = _statement(station, cashier, payer="warranty", due="500.00", days_ago=20)
    with pytest.raises(DomainError):  # more applied than received
        remittance_apply(station=station, by=cashier, payer_kind="warranty", method="transfer", amount="1000.00",
                         reference="X1", allocations=[(a, D("800.00")), (b, D("300.00"))])
    with pytest.raises(DomainError):  # more than the document still owes
        remittance_apply(station=station, by=cashier, payer_kind="warranty", method="transfer", amount="2000.00",
                         reference="X2", allocations=[(b, D("500.01"))])
    with pytest.raises(DomainError):  # another payer's document
        remittance_apply(station=station, by=cashier, payer_kind="insurance", method="transfer", amount="10.00",
                         reference="X3", allocations=[(b, D("10.00"))])
    assert not Allocation.objects.exists()


def test_fleet_remittance_clears_the_account(station, cashier, carol):
    fleet = CustomerFactory(station=station, kind="fleet")
    fleet_contract_save(station=station, by=carol, customer=fleet, number="FC-1", credit_limit="5000")
    s = _statement(station, cashier, due="1500.00", days_ago=3, customer=fleet)
    payment_record(statement=s, by=cashier, method="fleet_credit", amount=D("1500.00"))
    assert fleet_exposure(fleet.pk) == D("1500.00") and open_amount(s) == D("1500.00")
    remittance_apply(station=station, by=cashier, payer_kind="fleet", method="transfer", amount="1500.00",
                     reference="B-77", allocations=[(s, D("1500.00"))])
    assert fleet_exposure(fleet.pk) == 0 and open_amount(s) == 0
    assert Allocation.objects.get(statement=s).payment is None
    assert s.order.events.filter(kind="remittance").exists()


# --- fleet contract: credit limit, approval, prices ---------------------------------------------------------


def test_credit_limit_refused_then_approved(station, cashier, carol):
    fleet = CustomerFactory(station=station, kind="fleet")
    fleet_contract_save(station=station, by=carol, customer=fleet, number="FC-2", credit_limit="2000")
    first = _statement(station, cashier, due="1500.00", days_ago=3, customer=fleet)
    second = _statement(station, cashier, due="800.00", days_ago=1, customer=fleet)
    payment_record(statement=first, by=cashier, method="fleet_credit", amount=D("1500.00"))
    with pytest.raises(DomainError) as err:  # 1,500 + 800 = 2,300 > 2,000
        payment_record(statement=second, by=cashier, method="fleet_credit", amount=D("800.00"))
    assert err.value.field == "amount" and "500.00" in str(err.value)
    approval = credit_limit_request(statement=second, by=cashier, amount="800.00")
    assert approval.excess == D("300.00")
    with pytest.raises(DomainError):  # not one's own request
        credit_limit_decide(approval=approval, by=cashier, approve=True)
    credit_limit_decide(approval=approval, by=carol, approve=True)
    payment_record(statement=second, by=cashier, method="fleet_credit", amount=D("800.00"))
    assert fleet_exposure(fleet.pk) == D("2300.00")
    assert CreditLimitApproval.objects.get().used
    assert second.order.events.filter(kind="credit_limit_decided").exists()


def test_a_declined_approval_keeps_the_refusal(station, cashier, carol):
    fleet = CustomerFactory(station=station, kind="fleet")
    fleet_contract_save(station=station, by=carol, customer=fleet, number="FC-3", credit_limit="100")
    s = _statement(station, cashier, due="800.00", days_ago=1, customer=fleet)
    approval = credit_limit_request(statement=s, by=cashier, amount="800.00")
    credit_limit_decide(approval=approval, by=carol, approve=False)
    with pytest.raises(DomainError):
        payment_record(statement=s, by=cashier, method="fleet_credit", amount=D("800.00"))


def test_contract_prices_the_customers_lines(station, alice, carol):
    fleet = CustomerFactory(station=station, kind="fleet")
    fleet_contract_save(station=station, by=carol, customer=fleet, number="FC-4", credit_limit="0",
                        labour_rate="240.00", parts_discount_pct="12")
    order = WorkOrderFactory(station=station, customer=fleet, vehicle__owner=fleet, advisor=alice)
    op = LabourOperationFactory(station=station)
    assert line_add_labour(order=order, by=alice, operation=op).unit_price == D("240.00")
    assert line_add_labour(order=order, by=alice, operation=op, payer="warranty").unit_price != D("240.00")
    line = line_add_part(order=order, by=alice, part=PartFactory(station=station), quantity=D("1"))
    assert line.discount_pct == D("12")


def test_contract_only_for_fleet_customers(station, carol):
    person = CustomerFactory(station=station)
    with pytest.raises(DomainError) as err:
        fleet_contract_save(station=station, by=carol, customer=person, number="FC-5", credit_limit="1")
    assert err.value.field == "customer"


def test_ageing_as_of_a_date(station, cashier):
    _statement(station, cashier, payer="warranty", due="100.00", days_ago=0)
    assert ageing(Statement.objects.filter(station=station), as_of=date.today() - timedelta(days=5)).total == 0
