"""Counter sales (issue 19, item 12): stock through the stock service, totals with VAT, payment, scoping, pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from core.errors import DomainError
from parts.factories import PartFactory
from parts.models import StockBalance, StockMove
from parts.services.stock import locked_balance, stock_move_post, warehouse_main
from reception.factories import CustomerFactory, VehicleFactory
from settlement.counter_selectors import vehicle_extended_warranties
from settlement.models import CounterPayment, CounterSale
from settlement.services.counter_sales import (
    counter_line_part_add,
    counter_line_warranty_add,
    counter_payment_record,
    counter_sale_confirm,
    counter_sale_create,
)


@pytest.fixture
def lead(make_staff):
    return make_staff("parts_lead", username="larry")


@pytest.fixture
def clerk(make_staff):
    return make_staff("parts_clerk", username="petra")


@pytest.fixture
def cashier(make_staff):
    return make_staff("cashier", username="cassie")


@pytest.fixture
def stocked(station, lead):
    warehouse = warehouse_main(station=station)

    def make(qty="10", list_price="68.00", **kw):
        part = PartFactory(station=station, list_price=Decimal(list_price), **kw)
        with transaction.atomic():
            locked_balance(warehouse=warehouse, part=part)
        if Decimal(qty):
            stock_move_post(warehouse=warehouse, part=part, kind=StockMove.Kind.OPENING, quantity=Decimal(qty),
                            by=lead, unit_cost=Decimal("40.00"))
        return part

    return make


def on_hand(part) -> Decimal:
    return StockBalance.objects.get(part=part).on_hand


def test_confirming_issues_exactly_the_quantities_and_computes_vat_by_hand(station, lead, stocked):
    filt, mats = stocked(qty="10", list_price="68.00"), stocked(qty="2", list_price="125.50")
    vehicle = VehicleFactory(station=station)
    sale = counter_sale_create(station=station, by=lead, customer=vehicle.owner, vehicle=vehicle)
    counter_line_part_add(sale=sale, by=lead, part=filt, quantity=Decimal("3"), discount_pct=Decimal("10"))
    counter_line_part_add(sale=sale, by=lead, part=mats, quantity=Decimal("1"))
    counter_line_warranty_add(sale=sale, by=lead, description="延保两年", price=Decimal("2980.00"), term_months=24,
                              term_km=60000, provider="原厂延保")
    sale = counter_sale_confirm(sale=sale, by=lead)
    # 68.00 × 3 × 90 % = 183.60; 125.50; 2,980.00 → net 3,289.10; VAT 13 % = 427.583 → 427.58; gross 3,716.68
    assert (sale.net, sale.vat, sale.gross) == (Decimal("3289.10"), Decimal("427.58"), Decimal("3716.68"))
    assert on_hand(filt) == Decimal("7") and on_hand(mats) == Decimal("1")
    issues = StockMove.objects.filter(kind=StockMove.Kind.ISSUE, reference=sale.number)
    assert sorted(m.quantity for m in issues) == [Decimal("-3"), Decimal("-1")]
    assert all(m.by_id == lead.pk for m in issues)
    # the extended warranty is recorded on the vehicle
    [warranty] = vehicle_extended_warranties(vehicle)
    assert (warranty.term_months, warranty.term_km, warranty.provider, warranty.active) == (24, 60000, "原厂延保", True)


def test_short_stock_is_refused_at_the_line_with_nothing_saved(station, lead, stocked):
    enough, short = stocked(qty="5"), stocked(qty="1")
    sale = counter_sale_create(station=station, by=lead)
    counter_line_part_add(sale=sale, by=lead, part=enough, quantity=Decimal("2"))
    line = counter_line_part_add(sale=sale, by=lead, part=short, quantity=Decimal("2"))
    with pytest.raises(DomainError) as exc:
        counter_sale_confirm(sale=sale, by=lead)
    assert exc.value.field == f"line-{line.pk}"
    assert "Line 2" in exc.value.message or "2" in exc.value.message
    assert on_hand(enough) == Decimal("5") and on_hand(short) == Decimal("1")
    assert not StockMove.objects.filter(reference=sale.number).exists()
    sale.refresh_from_db()
    assert sale.status == CounterSale.Status.DRAFT and sale.gross == 0


def test_discount_beyond_authority_is_refused(station, clerk, stocked):
    part = stocked()
    sale = counter_sale_create(station=station, by=clerk)
    with pytest.raises(DomainError) as exc:
        counter_line_part_add(sale=sale, by=clerk, part=part, quantity=Decimal("1"), discount_pct=Decimal("5"))
    assert exc.value.field == "discount_pct"
    assert not sale.lines.exists()


def test_a_warranty_needs_a_vehicle(station, lead):
    sale = counter_sale_create(station=station, by=lead)
    with pytest.raises(DomainError):
        counter_line_warranty_add(sale=sale, by=lead, description="延保", price=Decimal("100"), term_months=12,
                                  term_km=20000, provider="X")


def test_payments_up_to_the_total_with_cash_change(station, lead, cashier, stocked):
    part = stocked(list_price="100.00")
    sale = counter_sale_create(station=station, by=lead)
    counter_line_part_add(sale=sale, by=lead, part=part, quantity=Decimal("1"))
    with pytest.raises(DomainError):  # not before it is confirmed
        counter_payment_record(sale=sale, by=cashier, method="cash", amount=Decimal("10"))
    sale = counter_sale_confirm(sale=sale, by=lead)  # 100.00 + 13.00
    first = counter_payment_record(sale=sale, by=cashier, method="wechat", amount=Decimal("50.00"))
    cash = counter_payment_record(sale=sale, by=cashier, method="cash", amount=Decimal("63.00"),
                                  tendered=Decimal("100.00"))
    assert cash.change == Decimal("37.00") and first.receipt_number != cash.receipt_number
    sale.refresh_from_db()
    assert sale.outstanding == Decimal("0.00")
    with pytest.raises(DomainError) as exc:
        counter_payment_record(sale=sale, by=cashier, method="card", amount=Decimal("0.01"))
    assert exc.value.field == "amount"
    assert CounterPayment.objects.filter(sale=sale).count() == 2


def test_another_stations_customer_or_part_is_refused(station, other_station, lead, stocked):
    foreign = CustomerFactory(station=other_station)
    with pytest.raises(DomainError):
        counter_sale_create(station=station, by=lead, customer=foreign)
    sale = counter_sale_create(station=station, by=lead)
    with pytest.raises(DomainError):
        counter_line_part_add(sale=sale, by=lead, part=PartFactory(station=other_station), quantity=Decimal("1"))


# --- pages ---------------------------------------------------------------------------------------------------------


def test_the_counter_sells_and_the_cashier_takes_payment_in_the_browser_flow(client_as, station, lead, cashier,
                                                                              stocked):
    part = stocked(qty="4", list_price="50.00")
    client = client_as(lead)
    response = client.post(reverse("settlement:counter_sales"), {"walk_in_name": "王先生"})
    sale = CounterSale.objects.get(station=station)
    assert response.status_code == 302 and sale.walk_in_name == "王先生"
    client.post(reverse("settlement:counter_part_add", args=[sale.pk]),
                {"part_number": part.part_number, "quantity": "2", "discount_pct": "0"})
    bad = client.post(reverse("settlement:counter_part_add", args=[sale.pk]),
                      {"part_number": "NOPE", "quantity": "1"})
    assert bad.status_code == 400 and b"NOPE" in bad.content
    assert client.post(reverse("settlement:counter_confirm", args=[sale.pk])).status_code == 302
    assert on_hand(part) == Decimal("2")
    page = client.get(reverse("settlement:counter_sale", args=[sale.pk]))
    assert "¥113.00" in page.content.decode()  # 2 × 50.00 = 100.00 + 13 % VAT
    client = client_as(cashier)
    assert sale.number in client.get(reverse("settlement:counter_to_pay")).content.decode()
    response = client.post(reverse("settlement:counter_payment", args=[sale.pk]),
                           {"method": "cash", "amount": "113.00", "tendered": "120"})
    assert response.status_code == 302
    assert sale.number not in client.get(reverse("settlement:counter_to_pay")).content.decode()
    pdf = client.get(reverse("settlement:counter_receipt_pdf", args=[sale.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_short_stock_comes_back_at_the_line_on_the_page(client_as, station, lead, stocked):
    part = stocked(qty="1")
    sale = counter_sale_create(station=station, by=lead)
    line = counter_line_part_add(sale=sale, by=lead, part=part, quantity=Decimal("3"))
    response = client_as(lead).post(reverse("settlement:counter_confirm", args=[sale.pk]))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="line-{line.pk}" class="table-danger"' in html and "line-error" in html
    assert on_hand(part) == Decimal("1")


def test_another_station_gets_404(client_as, station, other_station, make_staff, lead):
    sale = counter_sale_create(station=station, by=lead)
    outsider = make_staff("parts_lead", station=other_station, username="olga")
    assert client_as(outsider).get(reverse("settlement:counter_sale", args=[sale.pk])).status_code == 404


def test_the_vehicle_page_shows_the_extended_warranty(client_as, station, lead, make_staff):
    vehicle = VehicleFactory(station=station)
    sale = counter_sale_create(station=station, by=lead, vehicle=vehicle)
    counter_line_warranty_add(sale=sale, by=lead, description="延保三年", price=Decimal("3600"), term_months=36,
                              term_km=100000, provider="原厂延保")
    counter_sale_confirm(sale=sale, by=lead)
    advisor = make_staff("service_advisor", username="sam")
    html = client_as(advisor).get(reverse("reception:vehicle_detail", args=[vehicle.pk])).content.decode()
    assert "延保三年" in html and "extended-warranty-panel" in html


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _sales(station, lead, part, count):
    for _ in range(count):
        sale = counter_sale_create(station=station, by=lead, walk_in_name="散客")
        counter_line_part_add(sale=sale, by=lead, part=part, quantity=Decimal("1"))
        counter_sale_confirm(sale=sale, by=lead)


def test_the_lists_and_the_sale_page_do_not_grow_with_rows(client_as, station, lead, cashier, stocked):
    part = stocked(qty="50")
    pages = [(lead, reverse("settlement:counter_sales")), (cashier, reverse("settlement:counter_to_pay"))]
    _sales(station, lead, part, 2)
    few = [_queries(client_as(who), url) for who, url in pages]
    _sales(station, lead, part, 6)
    many = [_queries(client_as(who), url) for who, url in pages]
    assert few == many and all(n > 0 for n in few)
    sale = counter_sale_create(station=station, by=lead)
    detail = reverse("settlement:counter_sale", args=[sale.pk])
    counter_line_part_add(sale=sale, by=lead, part=part, quantity=Decimal("1"))
    _queries(client_as(lead), detail)  # warm up: the first request of a login reads its session and station
    one = _queries(client_as(lead), detail)
    for _ in range(4):
        counter_line_part_add(sale=sale, by=lead, part=part, quantity=Decimal("1"))
    assert _queries(client_as(lead), detail) == one
