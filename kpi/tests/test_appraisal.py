from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from core.errors import DomainError
from kpi.factories import make_order
from kpi.models import Appraisal, AppraisalSettings
from kpi.services.appraisal import appraisal_refresh, appraisal_review_set, system_score, weighted_score
from kpi.services.rollup import rollup_days

MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)


def review_all(appraisal, score, by):
    for kind in ("self", "supervisor", "customer", "peer"):
        appraisal = appraisal_review_set(appraisal=appraisal, kind=kind, score=Decimal(score), comment="", by=by)
    return appraisal


def test_system_score_is_the_mean_of_the_figures_that_have_data():
    # CSI 80, settlement accuracy 90%, one complaint (100 − 20 = 80); no appointments yet
    figures = {"csi": "80", "settlement_accuracy": "0.9", "show_rate": None, "complaints": "1"}
    assert system_score(figures) == Decimal("83.33")


def test_weighted_score_uses_the_station_weights_and_needs_all_four_reviews(station):
    weights = AppraisalSettings(station=station)  # defaults 40/10/25/15/10
    reviews = {"self": Decimal(90), "supervisor": Decimal(70), "customer": Decimal(80), "peer": Decimal(60)}
    # 0.4×100 + 0.1×90 + 0.25×70 + 0.15×80 + 0.1×60 = 40 + 9 + 17.5 + 12 + 6 = 84.5
    assert weighted_score(system=Decimal(100), reviews=reviews, weights=weights) == Decimal("84.50")
    del reviews["peer"]
    assert weighted_score(system=Decimal(100), reviews=reviews, weights=weights) is None


def test_the_appraisal_takes_the_advisors_own_figures_from_the_rollups(station, alice, carol):
    make_order(station=station, advisor=alice, opened="2026-03-02 09:00", delivered="2026-03-03 10:00",
               lines=[{"kind": "labour", "hours": "2", "unit_price": "300"}])
    rollup_days(start=date(2026, 3, 1), end=date(2026, 3, 31))
    appraisal = appraisal_refresh(advisor=alice, month=MARCH)
    assert Decimal(appraisal.figures["cars_in"]) == Decimal("1")  # SQLite sums drop the scale: compare values
    assert Decimal(appraisal.figures["revenue"]) == Decimal("600")
    assert Decimal(appraisal.figures["hours_sold"]) == Decimal("2")
    assert appraisal.figures["show_rate"] is None
    assert appraisal.passed is None  # reviews missing


def test_two_failed_months_in_a_row_are_flagged_and_notified(
    station, alice, carol, django_capture_on_commit_callbacks
):
    lead = alice.reports_to
    march = review_all(appraisal_refresh(advisor=alice, month=MARCH), "20", carol)
    assert march.passed is False and not march.flagged
    with django_capture_on_commit_callbacks(execute=True):
        april = review_all(appraisal_refresh(advisor=alice, month=APRIL), "30", carol)
    assert april.passed is False and april.flagged
    from core.models import Notification

    notified = set(Notification.objects.values_list("recipient_staff__username", flat=True))
    assert {lead.username, carol.username} <= notified
    assert Notification.objects.filter(recipient_staff=lead).count() == 1


def test_a_pass_between_two_fails_is_not_flagged(station, alice, carol):
    review_all(appraisal_refresh(advisor=alice, month=MARCH), "95", carol)
    april = review_all(appraisal_refresh(advisor=alice, month=APRIL), "10", carol)
    assert april.passed is False and not april.flagged


def test_a_review_score_must_be_between_0_and_100(station, alice, carol):
    appraisal = appraisal_refresh(advisor=alice, month=MARCH)
    with pytest.raises(DomainError):
        appraisal_review_set(appraisal=appraisal, kind="peer", score=Decimal(101), comment="", by=carol)


def test_the_lead_prepares_the_month_and_enters_reviews_in_the_app(station, alice, client_as):
    lead = alice.reports_to
    client = client_as(lead)
    response = client.post(reverse("kpi:appraisals"), {"month": "2026-03"})
    assert response.status_code == 302
    appraisal = Appraisal.objects.get(advisor=alice, month=MARCH)
    response = client.post(reverse("kpi:appraisal_detail", args=[appraisal.pk]),
                           {"kind": "supervisor", "score": "88", "comment": "好"})
    assert response.status_code == 302
    assert appraisal.reviews.get(kind="supervisor").entered_by == lead
    page = client.get(reverse("kpi:appraisals") + "?month=2026-03")
    assert alice.display_name in page.content.decode()


def test_the_flag_shows_on_the_appraisal_page(station, alice, carol, client_as):
    review_all(appraisal_refresh(advisor=alice, month=MARCH), "20", carol)
    april = review_all(appraisal_refresh(advisor=alice, month=APRIL), "20", carol)
    response = client_as(carol).get(reverse("kpi:appraisal_detail", args=[april.pk]))
    assert 'id="flag"' in response.content.decode()


def test_another_stations_appraisal_is_not_found(station, mallory, client_as, carol):
    appraisal = appraisal_refresh(advisor=mallory, month=MARCH)
    assert client_as(carol).get(reverse("kpi:appraisal_detail", args=[appraisal.pk])).status_code == 404


def test_weights_must_add_up_to_100(client_as, carol, station):
    data = {"weight_system": "50", "weight_self": "10", "weight_supervisor": "25", "weight_customer": "15",
            "weight_peer": "10", "pass_mark": "70"}
    response = client_as(carol).post(reverse("kpi:appraisal_settings"), data)
    assert response.status_code == 400 and not AppraisalSettings.objects.exists()
    data["weight_system"] = "40"
    assert client_as(carol).post(reverse("kpi:appraisal_settings"), data).status_code == 302
    assert AppraisalSettings.objects.get(station=station).weight_system == 40
