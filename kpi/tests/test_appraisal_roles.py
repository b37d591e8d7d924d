"""The appraisal of technicians, parts staff and customer relations: the figures each role is scored on (computed by
hand from rollup rows), and the same two-failed-months flag, notified to the role's lead."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import Notification
from kpi.models import Appraisal, StationDay, StationMonth, TechnicianDay
from kpi.services.appraisal import appraisal_refresh, appraisal_review_set, appraisals_prepare
from org.factories import StaffFactory, StationFactory

pytestmark = pytest.mark.django_db
MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)


def review_all(appraisal, score, by):
    for kind in ("self", "supervisor", "customer", "peer"):
        appraisal = appraisal_review_set(appraisal=appraisal, kind=kind, score=Decimal(score), comment="", by=by)
    return appraisal


@pytest.fixture
def shop():
    station = StationFactory()
    return (station, StaffFactory(station=station, position="station_manager", username="sm"),
            StaffFactory(station=station, position="workshop_lead", username="wl"))


def _tech_day(station, tech, day):
    # productivity 6/8 = 75; efficiency 5/4 = 125% → 100 at most; one comeback → 100 − 20 = 80
    TechnicianDay.objects.create(station=station, technician=tech, day=day, hours_attended=8, hours_clocked=6,
                                 hours_sold_clocked=5, hours_clocked_completed=4, comebacks=1)


def test_technician_figures_and_two_failed_months_flag(shop, django_capture_on_commit_callbacks):
    station, manager, lead = shop
    tech = StaffFactory(station=station, position="technician", username="tech")
    _tech_day(station, tech, date(2026, 3, 10))
    _tech_day(station, tech, date(2026, 4, 10))
    [march] = appraisals_prepare(station=station, month=MARCH, role="technician")
    assert march.role == "technician"
    assert (Decimal(march.figures["productivity"]), Decimal(march.figures["efficiency"])) == (
        Decimal("0.75"), Decimal("1.25"))
    assert march.system_score == Decimal("85.00")  # (75 + 100 + 80) / 3
    # all reviews 20: 0.4 × 85 + 0.6 × 20 = 46 < 70
    march = review_all(march, "20", manager)
    assert march.score == Decimal("46.00") and march.passed is False and not march.flagged
    with django_capture_on_commit_callbacks(execute=True):
        april = review_all(appraisal_refresh(advisor=tech, month=APRIL), "20", manager)
    assert april.passed is False and april.flagged
    notified = set(Notification.objects.values_list("recipient_staff__username", flat=True))
    assert {"sm", "wl"} <= notified


def _month_row(station, **values):
    for model in (StationDay, StationMonth):
        model.objects.create(station=station, day=MARCH, **values)


def test_parts_staff_take_the_station_parts_figures(shop):
    station, _manager, _lead = shop
    clerk = StaffFactory(station=station, position="parts_clerk")
    # first fill 8/10 = 80; turnover 3000 / 1000 = 3 of the target 6 → 50; obsolete 100/1000 = 10% → 90
    _month_row(station, part_lines_requested=10, part_lines_filled=8, parts_issued_cost=3000, stock_value=1000,
               stock_days=1, obsolete_value=100)
    appraisal = appraisal_refresh(advisor=clerk, month=MARCH)
    assert appraisal.role == "parts"
    assert Decimal(appraisal.figures["turnover"]) == Decimal("3")
    assert appraisal.system_score == Decimal("73.33")  # (80 + 50 + 90) / 3


def test_customer_relations_take_the_follow_up_and_complaint_figures(shop, client):
    station, manager, _lead = shop
    care = StaffFactory(station=station, position="customer_relations", display_name="李回访")
    # coverage 9/10 = 90, success 7/10 = 70, complaints in time 1/2 = 50
    _month_row(station, orders_out=10, followups_attempted=9, followups_reached=7, complaints_due=2,
               complaints_closed_in_time=1)
    client.force_login(manager)
    url = reverse("kpi:appraisals")
    client.post(url, {"station": station.pk, "month": "2026-03", "role": "care"})
    appraisal = Appraisal.objects.get(advisor=care)
    assert appraisal.role == "care" and appraisal.system_score == Decimal("70.00")
    page = client.get(url, {"station": station.pk, "month": "2026-03", "role": "care"}).content.decode()
    assert "李回访" in page and "70.00" in page
    # the advisors' tab does not list them
    assert "李回访" not in client.get(url, {"station": station.pk, "month": "2026-03"}).content.decode()
    detail = client.get(reverse("kpi:appraisal_detail", args=[appraisal.pk])).content.decode()
    assert "李回访" in detail
