"""Goodwill beyond the handler's authority (issue 16, item 10): while it waits for the person it went to, the handler is
offered no step that would be refused; the decider's form starts from the proposal; once decided, the complaint comes
back to the handler, who feeds back (客户接受 works), and the escalation notifications are read for everyone."""

from decimal import Decimal

import pytest
from django.urls import reverse

from complaints.models import Complaint
from complaints.services import complaints as svc
from core.models import Notification

pytestmark = pytest.mark.django_db


def _escalated(alice, frank, new_complaint) -> Complaint:
    c = new_complaint()
    svc.complaint_acknowledge(complaint=c, by=alice)
    svc.complaint_analyse(complaint=c, by=alice, root_cause="Loose clip", responsible_department="workshop")
    svc.complaint_handle(complaint=c, by=alice, remedy="New bumper clip and a free wash", goodwill=Decimal("3000"))
    c.refresh_from_db()
    assert c.owner == frank and c.state == Complaint.State.HANDLING
    return c


def _unread_escalation_notes(c: Complaint):
    return Notification.objects.filter(related_id=c.pk, key__startswith=svc.ESCALATION_KEY,
                                       status=Notification.Status.SENT)


def test_while_the_manager_decides_the_handler_is_offered_no_step(client, alice, frank, new_complaint):
    c = _escalated(alice, frank, new_complaint)
    client.force_login(alice)
    response = client.get(reverse("complaints:detail", args=[c.pk]))
    body = response.content.decode()
    assert response.context["next_steps"] == []
    assert reverse("complaints:handle", args=[c.pk]) not in body
    assert reverse("complaints:feedback", args=[c.pk]) not in body
    assert 'id="waiting-for-owner"' in body


def test_the_deciders_form_carries_the_proposal_over(client, alice, frank, new_complaint):
    c = _escalated(alice, frank, new_complaint)
    client.force_login(frank)
    response = client.get(reverse("complaints:detail", args=[c.pk]))
    form = response.context["handle_form"]
    assert form["remedy"].value() == "New bumper clip and a free wash"
    assert Decimal(str(form["goodwill"].value())) == Decimal("3000")
    body = response.content.decode()
    assert "New bumper clip and a free wash</textarea>" in body and 'value="3000.00"' in body
    assert 'id="goodwill-proposal"' in body


def test_once_decided_the_handler_feeds_back_and_the_escalation_notes_are_read(client, alice, frank, new_complaint):
    c = _escalated(alice, frank, new_complaint)
    assert _unread_escalation_notes(c).filter(recipient_staff=frank).exists()
    assert _unread_escalation_notes(c).filter(recipient_staff=alice).exists()
    client.force_login(frank)
    client.post(reverse("complaints:handle", args=[c.pk]),
                {"remedy": "New bumper clip and a free wash", "goodwill": "2000"})
    c.refresh_from_db()
    assert c.state == Complaint.State.FEEDBACK
    assert c.goodwill_amount == Decimal("2000") and c.goodwill_approved_by == frank
    assert c.goodwill_proposed == 0 and c.owner == alice
    assert not _unread_escalation_notes(c).exists()  # read for frank and for alice

    client.force_login(alice)
    body = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert reverse("complaints:feedback", args=[c.pk]) in body
    client.post(reverse("complaints:contact", args=[c.pk]), {"channel": "phone", "summary": "Told the customer"})
    client.post(reverse("complaints:feedback", args=[c.pk]), {"accepted": "yes"})
    c.refresh_from_db()
    assert c.state == Complaint.State.IMPROVING


def test_a_manager_acting_on_a_deadline_escalation_marks_its_notes_read(alice, frank, new_complaint):
    from datetime import timedelta

    c = new_complaint()
    svc.complaint_check_deadlines(complaint=c, now=c.response_due + timedelta(minutes=1))
    c.refresh_from_db()
    assert c.owner == frank and _unread_escalation_notes(c).count() == 2
    svc.complaint_acknowledge(complaint=c, by=frank)
    assert not _unread_escalation_notes(c).exists()
