"""The demo's packages and coupons (issue 19 item 8), on one small station rather than the whole seed."""

from decimal import Decimal

from demo.base import DemoContext
from demo.packages import seed_packages
from reception.factories import WorkOrderFactory, labour_line
from settlement.models import Coupon, PackageSale, PackageUse


def test_the_demo_sells_uses_and_redeems_through_the_services(station, alice):
    orders = [WorkOrderFactory(station=station, advisor=alice, signed=True) for _ in range(5)]
    lines = [labour_line(order, hours="1.00", price="300.00") for order in orders]
    ctx = DemoContext(group=station.group, stations=[station], staff={alice.username: alice})
    seed_packages(ctx)
    # four orders get a package with one service used on their labour line, the fifth the 5 % labour coupon
    assert PackageSale.objects.count() == 4
    for package in PackageSale.objects.select_related("counter_line__sale"):  # sold and paid through the counter
        assert package.counter_line.sale.outstanding == Decimal("0.00")
    assert sorted(PackageUse.objects.values_list("line_id", flat=True)) == [line.pk for line in lines[:4]]
    for line in lines:
        line.refresh_from_db()
    assert [line.payer for line in lines] == ["internal"] * 4 + ["customer"]
    assert lines[4].discount_pct == Decimal("5.00")
    assert Coupon.objects.get(code="LABOUR5").used_order == orders[4]
    seed_packages(ctx)  # a second run changes nothing
    assert PackageSale.objects.count() == 4 and Coupon.objects.count() == 2
