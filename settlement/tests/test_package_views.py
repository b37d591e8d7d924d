"""Views of service packages and coupons (issue 19 item 8)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reception.factories import WorkOrderFactory, labour_line
from settlement.models import Coupon, PackageSale, PackageUse
from settlement.services import counter_sales, packages


@pytest.fixture
def order(station, alice):
    return WorkOrderFactory(station=station, advisor=alice, signed=True)


def test_selling_a_package_and_the_liability_page(client, alice, order):
    client.force_login(alice)
    response = client.post(reverse("settlement:package_new"), {
        "customer": order.customer_id, "name": "机油保养3次", "uses_total": "3", "price": "999.00",
        "valid_until": (timezone.localdate() + timedelta(days=365)).isoformat()})
    assert response.status_code == 302
    sale = PackageSale.objects.get()
    assert sale.price == Decimal("999.00") and sale.sold_by == alice
    packages.package_use(sale=sale, line=labour_line(order), by=alice)
    page = client.get(reverse("settlement:packages"))
    assert page.status_code == 200
    assert page.context["liability"]["owed"] == Decimal("666.00")
    assert "666.00" in page.content.decode()


def test_a_refused_sale_comes_back_at_its_field(client, alice, order):
    client.force_login(alice)
    response = client.post(reverse("settlement:package_new"), {
        "customer": order.customer_id, "name": "过期", "uses_total": "3", "price": "999.00",
        "valid_until": (timezone.localdate() - timedelta(days=1)).isoformat()})
    assert response.status_code == 400
    assert "valid_until" in response.context["form"].errors
    assert not PackageSale.objects.exists()


def test_using_a_package_and_redeeming_a_coupon_on_an_order(client, alice, order):
    sale = counter_sales.package_sell(station=order.station, customer=order.customer, by=alice, name="保养", uses_total=2,
                                 price=Decimal("600.00"), valid_until=timezone.localdate() + timedelta(days=30))
    line = labour_line(order, hours="1.00", price="300.00")
    other = labour_line(order, hours="2.00", price="300.00")
    client.force_login(alice)
    url = reverse("settlement:order_packages", args=[order.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "use", "use-sale": sale.pk, "use-line": line.pk})
    assert response.status_code == 302
    assert PackageUse.objects.get().value == Decimal("300.00")
    Coupon.objects.create(station=order.station, code="VIP30", kind="amount", value=Decimal("30.00"),
                          valid_from=timezone.localdate(), valid_until=timezone.localdate(), created_by=alice)
    response = client.post(url, {"action": "coupon", "coupon-code": "vip30"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.discount_pct == Decimal("5.00")  # 30 / 600 on the only customer-pay line left
    response = client.post(url, {"action": "coupon", "coupon-code": "vip30"})
    assert response.status_code == 400
    assert "code" in response.context["coupon_form"].errors


def test_the_manager_issues_a_coupon_and_everyone_in_settlement_sees_it(client, carol, alice):
    client.force_login(carol)
    day = timezone.localdate().isoformat()
    response = client.post(reverse("settlement:coupon_new"), {
        "code": "new100", "kind": "amount", "value": "100", "min_spend": "800", "line_kinds": "",
        "valid_from": day, "valid_until": day})
    assert response.status_code == 302
    assert Coupon.objects.get().code == "NEW100"
    again = client.post(reverse("settlement:coupon_new"), {
        "code": "NEW100", "kind": "amount", "value": "100", "min_spend": "0", "valid_from": day, "valid_until": day})
    assert again.status_code == 400 and "code" in again.context["form"].errors
    client.force_login(alice)
    assert "NEW100" in client.get(reverse("settlement:coupons")).content.decode()


def test_the_front_desk_order_page_links_an_open_order_to_its_packages(client, alice, order):
    client.force_login(alice)
    page = client.get(reverse("reception:order_detail", args=[order.pk])).content.decode()
    assert reverse("settlement:order_packages", args=[order.pk]) in page
