"""Bad input on the manager's KPI pages: the page comes back (400) with the error next to the field, what was typed
still there, and nothing saved."""

from datetime import date

import pytest
from django.urls import reverse

from kpi.factories import AppraisalFactory
from kpi.models import AppraisalReview, AppraisalSettings, KpiSettings, Overhead, PurchaseTarget, Target


def test_a_negative_target_is_refused_at_the_target(client_as, carol, station):
    response = client_as(carol).post(reverse("kpi:targets"), {"kpi": "on_time", "value": "-5"})
    assert response.status_code == 400
    assert response.context["form"].errors["value"] == ["A target cannot be negative."]
    body = response.content.decode()
    assert 'value="-5"' in body and '<option value="on_time" selected>' in body
    assert not Target.objects.exists()


def test_an_overhead_without_a_month_keeps_the_amount(client_as, carol, station):
    response = client_as(carol).post(reverse("kpi:overhead"), {"month": "", "amount": "120000"})
    assert response.status_code == 400
    assert response.context["form"].errors["month"]
    assert 'value="120000"' in response.content.decode()
    assert not Overhead.objects.exists()


def test_a_negative_purchase_target_is_refused_at_its_own_form(client_as, carol, station):
    response = client_as(carol).post(reverse("kpi:overhead"),
                                     {"what": "purchase_target", "month": "2026-03", "amount": "-1"})
    assert response.status_code == 400
    assert response.context["purchase_form"].errors["amount"] and not response.context["form"].errors
    body = response.content.decode()
    form = body[body.index('id="purchase-target-form"'):]
    assert 'value="-1"' in form[:form.index("</form>")]
    assert not PurchaseTarget.objects.exists()


def test_kpi_settings_out_of_range_keep_what_was_typed(client_as, carol, station):
    response = client_as(carol).post(reverse("kpi:settings"), {
        "technician_hourly_cost": "abc", "followup_window_days": "5", "obsolete_months": "12"})
    assert response.status_code == 400
    assert response.context["form"].errors["technician_hourly_cost"]
    assert 'value="abc"' in response.content.decode()
    assert not KpiSettings.objects.filter(station=station).exists()


@pytest.fixture
def appraisal(station, alice):
    return AppraisalFactory(station=station, advisor=alice, month=date(2026, 3, 1))


def test_a_review_score_over_100_is_refused_at_the_score(client_as, carol, appraisal):
    response = client_as(carol).post(reverse("kpi:appraisal_detail", args=[appraisal.pk]),
                                     {"kind": "supervisor", "score": "150", "comment": "沟通耐心"})
    assert response.status_code == 400
    assert response.context["form"].errors["score"] == ["A score is between 0 and 100."]
    assert "沟通耐心</textarea>" in response.content.decode()
    assert not AppraisalReview.objects.exists()


def test_weights_that_do_not_add_up_keep_what_was_typed(client_as, carol, station):
    data = {"weight_system": "50", "weight_self": "10", "weight_supervisor": "10", "weight_customer": "10",
            "weight_peer": "10", "pass_mark": "60"}
    response = client_as(carol).post(reverse("kpi:appraisal_settings"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "The weights must add up to 100." in body and 'value="50"' in body
    assert not AppraisalSettings.objects.filter(station=station).exists()
