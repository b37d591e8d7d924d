"""Bad input in customer care: the page comes back (400) with the error next to the field, what was typed still
there, and nothing saved."""

from datetime import date

import pytest
from django.urls import reverse

from complaints.models import CallAttempt, Complaint, ComplaintContact, FollowUpCall
from complaints.services import complaints as svc
from complaints.services.followups import followup_create_for_order, followup_record_attempt

pytestmark = pytest.mark.django_db


def form_html(body: str, action: str) -> str:
    """The form posting to ``action``: where the error must stand."""
    at = body.index(f'action="{action}"')
    start = body.rindex("<form", 0, at)
    return body[start:body.index("</form>", at)]


def _improving(new_complaint, alice, **kw):
    c = new_complaint(**kw)
    svc.complaint_acknowledge(complaint=c, by=alice)
    svc.complaint_analyse(complaint=c, by=alice, root_cause="卡扣松动", responsible_department="workshop",
                          severity=c.severity)
    svc.complaint_handle(complaint=c, by=alice, remedy="重新固定")
    svc.complaint_log_contact(complaint=c, by=alice, channel="phone", summary="已告知客户", customer_accepts=True)
    svc.complaint_feedback_done(complaint=c, by=alice, accepted=True)
    c.refresh_from_db()
    return c


def test_closing_beyond_ones_authority_keeps_the_corrective_action(client_as, alice, new_complaint):
    c = _improving(new_complaint, alice, severity=3)
    url = reverse("complaints:close", args=[c.pk])
    response = client_as(alice).post(url, {"corrective_action": "每周检查卡扣", "corrective_owner": alice.pk,
                                           "corrective_due": "2026-12-31", "satisfaction": 4})
    assert response.status_code == 400
    form = form_html(response.content.decode(), url)
    assert "beyond your authority" in form and "每周检查卡扣</textarea>" in form
    c.refresh_from_db()
    assert c.state == Complaint.State.IMPROVING


def test_negative_goodwill_is_refused_at_the_goodwill_and_the_remedy_stays(client_as, alice, new_complaint):
    c = new_complaint()
    svc.complaint_acknowledge(complaint=c, by=alice)
    svc.complaint_analyse(complaint=c, by=alice, root_cause="卡扣松动", responsible_department="workshop", severity=1)
    url = reverse("complaints:handle", args=[c.pk])
    response = client_as(alice).post(url, {"remedy": "免费重新检查", "goodwill": "-50"})
    assert response.status_code == 400
    assert response.context["handle_form"].errors["goodwill"]
    assert "免费重新检查</textarea>" in form_html(response.content.decode(), url)
    c.refresh_from_db()
    assert c.state == Complaint.State.HANDLING and not c.remedy


def test_a_contact_on_a_closed_complaint_is_refused_on_top(client_as, alice, new_complaint):
    c = _improving(new_complaint, alice)
    svc.complaint_close(complaint=c, by=alice, corrective_action="x", corrective_owner=alice,
                        corrective_due=date(2026, 12, 31), satisfaction=5)
    before = ComplaintContact.objects.count()
    response = client_as(alice).post(reverse("complaints:contact", args=[c.pk]),
                                     {"channel": "phone", "summary": "客户又来电"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="step-error"' in body and "This complaint is closed." in body
    assert ComplaintContact.objects.count() == before


def test_a_reassign_to_someone_of_another_station_is_refused_at_the_owner(client_as, alice, new_complaint,
                                                                          make_staff, other_station):
    c = new_complaint()
    stranger = make_staff("service_advisor", station=other_station, username="stranger")
    url = reverse("complaints:reassign", args=[c.pk])
    response = client_as(alice).post(url, {"owner": stranger.pk})
    assert response.status_code == 400
    assert "Pick one of the suggestions" in form_html(response.content.decode(), url)
    c.refresh_from_db()
    assert c.owner == alice


def test_intake_without_a_customer_keeps_what_was_typed(client_as, alice):
    response = client_as(alice).post(reverse("complaints:intake"), {
        "source": "visit", "category": "price", "severity": 1, "subject": "账单太贵", "description": "比报价多三百"})
    assert response.status_code == 400
    assert response.context["form"].errors["lookup"]
    body = response.content.decode()
    assert 'value="账单太贵"' in body and "比报价多三百</textarea>" in body
    assert not Complaint.objects.exists()


def test_an_attempt_on_a_call_finished_meanwhile_is_refused_on_top(client_as, care, delivered_order):
    call = followup_create_for_order(order=delivered_order)
    followup_record_attempt(call=call, by=care, outcome="refused")  # a colleague, while this page was open
    response = client_as(care).post(reverse("complaints:call_attempt", args=[call.pk]),
                                    {"outcome": "no_answer", "note": "占线"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="call-error"' in body and "already finished" in body
    assert not CallAttempt.objects.filter(note="占线").exists()


def test_a_survey_without_the_answers_keeps_the_comments(client_as, care, delivered_order):
    call = followup_create_for_order(order=delivered_order)
    url = reverse("complaints:call_survey", args=[call.pk])
    response = client_as(care).post(url, {"overall": "4", "comments": "服务不错但等太久"})
    assert response.status_code == 400
    form = form_html(response.content.decode(), url)
    assert "This field is required." in form and "服务不错但等太久</textarea>" in form
    assert 'value="4"' in form.split("checked")[0][-80:]  # the overall score given stays chosen
    call.refresh_from_db()
    assert call.status == FollowUpCall.Status.PENDING
