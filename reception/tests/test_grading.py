"""Customer grading: hand-computed grades for a station's customers, one statement for the whole station."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.errors import DomainError
from reception.factories import CustomerFactory, VehicleFactory, WorkOrderFactory, WorkOrderLineFactory
from reception.models import Customer, WorkOrder
from reception.services.grading import _months_before, customer_grade, customers_regrade, grading_rules_update

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def visit(customer, days_ago, lines=(), status=WorkOrder.Status.DELIVERED):
    """A visit ``days_ago`` with lines (price, qty, discount %, payer, approval), delivered (or left open)."""
    order = WorkOrderFactory(station=customer.station, vehicle=VehicleFactory(station=customer.station, owner=customer))
    for price, qty, disc, payer, approval in lines:
        WorkOrderLineFactory(order=order, unit_price=Decimal(price), quantity=Decimal(qty), discount_pct=Decimal(disc),
                             payer=payer, approval=approval)
    when = NOW - timedelta(days=days_ago)
    WorkOrder.objects.filter(pk=order.pk).update(status=status, delivered_at=when if status == "delivered" else None)
    return order


def customer(station, *, created_days_ago=400):
    c = CustomerFactory(station=station)
    Customer.objects.filter(pk=c.pk).update(created_at=NOW - timedelta(days=created_days_ago))
    return c


@pytest.fixture
def book(station, other_station):
    c = {name: customer(station) for name in "ABCDEFH"}
    c["G"] = customer(station, created_days_ago=7)
    for days in (30, 90, 150, 330):  # four visits within 12 months, small spend -> VIP by visits
        visit(c["A"], days, [("100.00", "1", "0", "customer", "approved")])
    # 2 x 3,000 + 5,000 less 10% = 10,500 customer-paid within the window -> VIP by spend
    visit(c["B"], 60, [("3000.00", "2", "0", "customer", "approved"), ("5000.00", "1", "10", "customer", "approved")])
    # 9,999.99 customer-paid; the warranty line and the declined line do not count -> regular
    visit(c["C"], 60, [("9999.99", "1", "0", "customer", "approved"), ("5000.00", "1", "0", "warranty", "approved"),
                       ("2000.00", "1", "0", "customer", "declined")])
    visit(c["D"], 300)  # 10 months: past the 9 at-risk months, short of the 18 lost months
    visit(c["E"], 580)
    # last seen 400 days ago (13 months): at risk; the big bill is outside the 12-month window, so not VIP
    visit(c["E"], 400, [("20000.00", "1", "0", "customer", "approved")])
    # F: never came, file opened 400 days ago -> at risk (counted from the file); G: opened a week ago -> regular
    visit(c["H"], 600)
    visit(c["H"], 5, status=WorkOrder.Status.OPEN)  # in the workshop now, not delivered: still lost
    stranger = CustomerFactory(station=other_station)
    visit(stranger, 600)
    return c, stranger


def test_months_before_keeps_the_day_or_the_month_end():
    assert _months_before(NOW, 12) == datetime(2025, 6, 15, 12, 0, tzinfo=UTC)
    assert _months_before(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28,
                                                                                       tzinfo=UTC)


def test_station_regraded_by_hand_computed_rules_in_one_statement(station, book):
    c, stranger = book
    with CaptureQueriesContext(connection) as queries:
        assert customers_regrade(station=station, now=NOW) == 8
    assert len([q for q in queries.captured_queries if "UPDATE" in q["sql"]]) == 1
    grades = dict(Customer.objects.filter(station=station).values_list("name", "grade"))
    assert {k: grades[v.name] for k, v in c.items()} == {
        "A": "vip", "B": "vip", "C": "regular", "D": "at_risk", "E": "at_risk", "F": "at_risk", "G": "regular",
        "H": "lost",
    }
    stranger.refresh_from_db()
    assert stranger.grade == ""  # another station's customers are not touched
    assert Customer.objects.filter(station=station, graded_at=NOW).count() == 8


def test_rules_per_station_change_the_grades(station, carol, book):
    c, _stranger = book
    grading_rules_update(station=station, by=carol, vip_spend=Decimal("10500.01"), lost_months=12)
    customers_regrade(station=station, now=NOW)
    for name, grade in {"B": "regular", "E": "lost", "F": "lost", "D": "at_risk", "A": "vip"}.items():
        c[name].refresh_from_db()
        assert c[name].grade == grade


def test_rules_refuse_at_risk_not_before_lost(station, carol):
    with pytest.raises(DomainError) as exc:
        grading_rules_update(station=station, by=carol, at_risk_months=18, lost_months=18)
    assert exc.value.field == "at_risk_months"


def test_one_customer_graded_alone(station, book):
    c, _stranger = book
    assert customer_grade(customer=c["D"], now=NOW) == "at_risk"
    assert Customer.objects.exclude(pk=c["D"].pk).exclude(grade="").count() == 0


def test_grade_badge_on_customer_page_and_regrade_button(client, station, alice, other_station):
    c = customer(station)
    visit(c, 600)
    client.force_login(alice)
    response = client.post(reverse("reception:customer_regrade", args=[c.pk]))
    assert response.status_code == 302
    page = client.get(reverse("reception:customer_detail", args=[c.pk])).content.decode()
    assert 'data-grade="lost"' in page
    foreign = CustomerFactory(station=other_station)
    assert client.post(reverse("reception:customer_regrade", args=[foreign.pk])).status_code == 404


def test_settings_page_refusal_at_the_field(client, station, carol):
    client.force_login(carol)
    url = reverse("reception:grading_settings")
    assert client.get(url).status_code == 200
    data = {"window_months": 12, "vip_visits": 4, "vip_spend": "10000", "at_risk_months": 20, "lost_months": 18}
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors["at_risk_months"]
    data["at_risk_months"] = 6
    assert client.post(url, data).status_code == 302
    assert station.grading_rules.at_risk_months == 6


def test_insurance_expiry_and_insurer_edited_on_the_vehicle_page(client, station, alice):
    vehicle = VehicleFactory(station=station)
    client.force_login(alice)
    data = {"vin": vehicle.vin, "plate": vehicle.plate, "make": vehicle.make, "model": vehicle.model,
            "year": vehicle.year, "colour": "", "warranty_start": "", "insurance_expiry": "2027-03-31",
            "insurer": "平安产险"}
    assert client.post(reverse("reception:vehicle_edit", args=[vehicle.pk]), data).status_code == 302
    vehicle.refresh_from_db()
    assert (vehicle.insurance_expiry.isoformat(), vehicle.insurer) == ("2027-03-31", "平安产险")
    assert "平安产险" in client.get(reverse("reception:vehicle_detail", args=[vehicle.pk])).content.decode()
