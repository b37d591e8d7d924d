"""Bad input in the workshop: the page comes back (400) with the error next to the field, what was given still there,
and nothing saved."""

import pytest
from django.urls import reverse

from reception.factories import WorkOrderFactory
from reception.models import WorkOrder
from workshop.models import CHECKLIST, Comeback, Finding, QualityCheck
from workshop.services.clock import clock_off, clock_on
from workshop.services.findings import finding_create, finding_decide

pytestmark = pytest.mark.django_db
S = WorkOrder.Status


def form_html(body: str, marker: str) -> str:
    """The form that holds ``marker``, up to its end: where the error must stand."""
    at = body.index(marker)
    start = body.rindex("<form", 0, at)
    return body[start:body.index("</form>", at)]


@pytest.fixture
def finding(dispatched, bob, labour_op):
    return finding_create(order=dispatched.order, by=bob, description="前刹车片磨损到极限", labour_operation=labour_op,
                          found_on=dispatched)


def test_a_decision_without_the_answer_keeps_the_channel_and_the_note_in_its_row(client_as, alice, finding):
    url = reverse("workshop:finding_decide", args=[finding.pk])
    response = client_as(alice).post(url, {"channel": "message", "note": "客户微信回复", "next": "/reception/"})
    assert response.status_code == 400
    row = form_html(response.content.decode(), f'action="{url}"')
    assert 'id="decision-retry"' in row and "This field is required." in row
    assert 'value="message" checked' in row and 'value="客户微信回复"' in row
    assert 'name="next" value="/reception/"' in row  # the next try still goes back where the advisor came from
    finding.refresh_from_db()
    assert finding.decision == Finding.Decision.PENDING


def test_a_decision_on_a_finding_already_answered_is_shown_on_top(client_as, alice, finding):
    finding_decide(finding=finding, approve=True, channel="phone", by=alice)
    response = client_as(alice).post(reverse("workshop:finding_decide", args=[finding.pk]),
                                     {"decision": "decline", "channel": "phone", "note": "又改主意"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="decision-error"' in body and "already recorded" in body
    finding.refresh_from_db()
    assert finding.decision == Finding.Decision.APPROVED


def test_a_finding_with_too_few_hours_keeps_the_description(client_as, bob, dispatched, labour_op):
    response = client_as(bob).post(reverse("workshop:finding_create", args=[dispatched.pk]), {
        "description": "左前轮胎鼓包", "labour_operation": labour_op.pk, "hours": "0.01"})
    assert response.status_code == 400
    assert response.context["form"].errors["hours"]
    assert "左前轮胎鼓包</textarea>" in response.content.decode()
    assert not Finding.objects.exists()


def test_passing_with_the_checklist_unticked_is_refused_above_the_checklist(client_as, quinn, bob, dispatched):
    clock_on(line=dispatched, technician=bob)
    clock_off(line=dispatched, technician=bob)
    WorkOrder.objects.filter(pk=dispatched.order_id).update(status=S.QUALITY_CHECK)
    first = f"check_{CHECKLIST[0][0]}"
    response = client_as(quinn).post(reverse("workshop:qc_order", args=[dispatched.order_id]),
                                     {"result": "pass", first: "on", "washed": "on"})
    assert response.status_code == 400
    body = response.content.decode()
    alert = body.split('<div class="alert alert-danger">')[1].split("</div>")[0]
    assert "Tick every item of the checklist" in alert
    assert body.index("Tick every item of the checklist") < body.index(f'name="{first}"')  # above the checklist
    assert f'name="{first}" id="id_{first}" autocomplete="off" checked' in body  # ticks kept
    assert 'name="washed" id="id_washed" checked' in body
    assert not QualityCheck.objects.exists()


def test_a_comeback_without_a_cause_keeps_the_note(client_as, quinn, order, station, alice):
    from datetime import timedelta

    from django.utils import timezone

    earlier = WorkOrderFactory(signed=True, station=station, vehicle=order.vehicle, customer=order.customer,
                               status=S.DELIVERED,
                               advisor=alice)
    WorkOrder.objects.filter(pk=earlier.pk).update(delivered_at=timezone.now() - timedelta(days=3))
    response = client_as(quinn).post(reverse("workshop:comeback_link", args=[order.pk]),
                                     {"earlier_order": earlier.pk, "note": "同一异响"})
    assert response.status_code == 400
    assert response.context["form"].errors["cause"]
    assert "同一异响</textarea>" in response.content.decode()
    assert not Comeback.objects.exists()
