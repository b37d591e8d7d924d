"""Service packages and coupons (issue 19 item 8): hand-computed sale, use, liability and coupon figures."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import DomainError
from reception.factories import WorkOrderFactory, labour_line, part_line
from reception.models import DiscountApproval, WorkOrderEvent
from settlement.models import Coupon
from settlement.services import counter_sales, packages

D = Decimal
TODAY = timezone.localdate


@pytest.fixture
def order(station, alice):
    return WorkOrderFactory(station=station, advisor=alice, signed=True)


def _sale(order, alice, *, price="999.00", uses=3, days=365, vehicle=True):
    return counter_sales.package_sell(station=order.station, customer=order.customer, by=alice, name="机油保养3次",
                                 uses_total=uses, price=D(price), valid_until=TODAY() + timedelta(days=days),
                                 vehicle=order.vehicle if vehicle else None)


def test_a_use_makes_the_line_prepaid_and_lowers_the_liability(order, alice):
    sale = _sale(order, alice)
    assert packages.package_liability(station=order.station) == {"sold": D("999.00"), "used": D("0"),
                                                                  "owed": D("999.00")}
    line = labour_line(order, hours="1.00", price="300.00")
    use = packages.package_use(sale=sale, line=line, by=alice)
    line.refresh_from_db()
    assert line.payer == "internal"
    assert use.value == D("333.00")  # 999 / 3
    assert packages.package_left(sale) == (2, D("666.00"))
    assert packages.package_liability(station=order.station)["owed"] == D("666.00")
    assert WorkOrderEvent.objects.filter(order=order, kind="package_used").count() == 1


def test_the_last_use_takes_the_remaining_cents(order, alice):
    sale = _sale(order, alice, price="1000.00")
    values = [packages.package_use(sale=sale, line=labour_line(order), by=alice).value for _ in range(3)]
    assert values == [D("333.33"), D("333.33"), D("333.34")]
    assert packages.package_liability(station=order.station) == {"sold": D("1000.00"), "used": D("1000.00"),
                                                                  "owed": D("0.00")}
    with pytest.raises(DomainError, match="has been used"):
        packages.package_use(sale=sale, line=labour_line(order), by=alice)


def test_an_expired_package_or_another_vehicle_is_refused(order, alice, station):
    sale = _sale(order, alice)
    sale.valid_until = TODAY() - timedelta(days=1)
    sale.save()
    with pytest.raises(DomainError, match="expired"):
        packages.package_use(sale=sale, line=labour_line(order), by=alice)
    other = WorkOrderFactory(station=station, advisor=alice, customer=order.customer, signed=True)
    fresh = _sale(order, alice)
    with pytest.raises(DomainError, match="another vehicle"):
        packages.package_use(sale=fresh, line=labour_line(other), by=alice)


def test_a_line_is_paid_by_a_package_only_once(order, alice):
    sale = _sale(order, alice)
    line = labour_line(order)
    packages.package_use(sale=sale, line=line, by=alice)
    with pytest.raises(DomainError):
        packages.package_use(sale=sale, line=line, by=alice)
    assert packages.package_left(sale)[0] == 2


def test_liability_is_per_station(order, alice, other_station, make_staff):
    _sale(order, alice)
    assert packages.package_liability(station=other_station)["owed"] == D("0.00")


def _coupon(station, by, **kw):
    defaults = {"code": "SPRING50", "kind": "amount", "value": D("50.00"), "min_spend": D("300.00"),
                "valid_from": TODAY() - timedelta(days=1), "valid_until": TODAY() + timedelta(days=30),
                "created_by": by}
    return Coupon.objects.create(station=station, **{**defaults, **kw})


def test_an_amount_coupon_is_a_discount_on_its_lines(order, alice):
    _coupon(order.station, alice, line_kinds="labour", value=D("25.00"))
    labour = labour_line(order, hours="2.00", price="250.00")  # 500.00
    part = part_line(order, price="68.00")
    packages.coupon_redeem(code="spring50", order=order, by=alice)
    labour.refresh_from_db()
    part.refresh_from_db()
    assert labour.discount_pct == D("5.00")  # 25 / 500, within the advisor's 5 %
    assert part.discount_pct == D("0")  # not a labour line
    coupon = Coupon.objects.get(code="SPRING50")
    assert coupon.used_order == order and coupon.used_by == alice
    with pytest.raises(DomainError, match="already been used"):
        packages.coupon_redeem(code="SPRING50", order=order, by=alice)


def test_a_coupon_beyond_the_advisors_authority_asks_up_the_chain(order, alice, carol):
    _coupon(order.station, alice, kind="percent", value=D("20.00"), min_spend=D("0"))
    line = labour_line(order, hours="1.00", price="300.00")
    packages.coupon_redeem(code="SPRING50", order=order, by=alice)
    line.refresh_from_db()
    assert line.discount_pct == D("0")
    request = DiscountApproval.objects.get(line=line)
    assert request.discount_pct == D("20.00") and request.approver == carol  # 20 % is above the front-desk lead too


def test_a_coupon_below_the_minimum_spend_or_expired_is_refused(order, alice):
    _coupon(order.station, alice)
    labour_line(order, hours="1.00", price="299.99")
    with pytest.raises(DomainError, match="at least"):
        packages.coupon_redeem(code="SPRING50", order=order, by=alice)
    _coupon(order.station, alice, code="OLD", valid_until=TODAY() - timedelta(days=1))
    with pytest.raises(DomainError, match="valid from"):
        packages.coupon_redeem(code="OLD", order=order, by=alice)
    assert Coupon.objects.filter(used_at__isnull=False).count() == 0


def test_issuing_a_coupon_checks_its_rules(station, alice):
    start = TODAY()
    coupon = packages.coupon_issue(station=station, by=alice, code=" vip10 ", kind="percent", value=D("10"),
                                   valid_from=start, valid_until=start, line_kinds="labour, part")
    assert (coupon.code, coupon.line_kinds) == ("VIP10", "labour,part")
    with pytest.raises(DomainError, match="already taken"):
        packages.coupon_issue(station=station, by=alice, code="VIP10", kind="amount", value=D("5"),
                              valid_from=start, valid_until=start)
    with pytest.raises(DomainError, match="at most 100"):
        packages.coupon_issue(station=station, by=alice, code="X", kind="percent", value=D("101"),
                              valid_from=start, valid_until=start)
    with pytest.raises(DomainError, match="Line kinds"):
        packages.coupon_issue(station=station, by=alice, code="Y", kind="amount", value=D("5"),
                              valid_from=start, valid_until=start, line_kinds="paint")
