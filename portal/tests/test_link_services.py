from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from complaints.factories import FollowUpCallFactory
from complaints.models import Complaint, FollowUpCall
from core.errors import DomainError
from core.models import Notification
from portal.models import LinkApproval, OrderLink
from portal.services import link as links
from portal.services.link_actions import link_complaint, link_decide, link_survey
from portal.services.link_page import proposals, step_of
from portal.tests.conftest import png_bytes
from reception.models import WorkOrderEvent, WorkOrderLine
from workshop.models import Finding

pytestmark = pytest.mark.django_db


def test_a_token_is_long_random_and_only_its_hash_is_stored(order):
    link = links.link_issue(order=order)
    token = links.link_token(link)
    assert len(token) == 64  # 256 bits of HMAC output over a 256-bit random nonce
    assert token not in (link.nonce, link.token_hash)
    assert link.token_hash == links.token_hash(token)
    assert links.link_for_token(token) == link
    assert links.link_issue(order=order) == link  # one link per order


def test_each_order_gets_its_own_token(order, station, alice):
    from reception.factories import WorkOrderFactory

    other = WorkOrderFactory(signed=True, station=station, advisor=alice)
    a, b = links.link_issue(order=order), links.link_issue(order=other)
    assert links.link_token(a) != links.link_token(b)
    assert links.link_for_token(links.link_token(b)).order == other


def test_revoked_and_expired_links_open_nothing_and_reissue_changes_the_address(order, alice):
    link = links.link_issue(order=order)
    old = links.link_token(link)
    links.link_revoke(order=order, by=alice)
    assert links.link_for_token(old) is None
    assert WorkOrderEvent.objects.filter(order=order, kind="link_revoked", by=alice).exists()
    with pytest.raises(DomainError):
        links.link_revoke(order=order, by=alice)
    new = links.link_token(links.link_reissue(order=order, by=alice))
    assert new != old and links.link_for_token(old) is None and links.link_for_token(new) is not None
    order.status, order.delivered_at = "delivered", timezone.now() - timedelta(days=31)
    order.save(update_fields=["status", "delivered_at"])
    assert links.link_for_token(new) is None
    order.delivered_at = timezone.now() - timedelta(days=29)
    order.save(update_fields=["delivered_at"])
    assert links.link_for_token(new) is not None


def test_the_gate_wants_the_mobiles_last_four_digits_and_locks_after_too_many_tries(order):
    token = links.link_token(links.link_issue(order=order))
    assert links.gate_check(token=token, digits="0000") is None
    assert links.gate_check(token=token, digits="5678") is not None
    for _ in range(links.GATE_TRIES):
        assert links.gate_check(token=token, digits="1111") is None
    assert links.gate_locked(token)
    assert links.gate_check(token=token, digits="5678") is None  # even the right digits, while locked


def test_rate_limits_count_per_token_and_per_address(order, settings):
    for _ in range(links.HITS_PER_TOKEN):
        assert not links.rate_limited(token="t1", address=f"10.0.0.{_ % 200}")
    assert links.rate_limited(token="t1", address="10.9.9.9")
    for n in range(links.HITS_PER_ADDRESS):
        assert not links.rate_limited(token=f"x{n}", address="10.1.1.1")
    assert links.rate_limited(token="fresh", address="10.1.1.1")


def test_a_finding_sends_the_link_for_a_decision_and_the_ready_step_sends_it_again(order, make_finding, alice):
    make_finding()
    sms = Notification.objects.filter(channel="sms", recipient_customer=order.customer)
    assert sms.count() == 1
    token = links.link_token(OrderLink.objects.get(order=order))
    assert f"/c/{token}/" in sms.get().body
    assert "5678" not in sms.get().body.split("/c/")[1]  # nothing personal in the address
    WorkOrderEvent.objects.create(order=order, kind="transition", old_status="quality_check", new_status="ready",
                                  by=alice)
    WorkOrderEvent.objects.create(order=order, kind="transition", old_status="quality_check", new_status="ready",
                                  by=alice)
    assert sms.count() == 2  # once per reason
    make_finding("雨刮", "W1")
    assert sms.count() == 3  # each finding asks for a decision


def test_a_revoked_link_is_not_sent(order, alice):
    links.link_issue(order=order)
    links.link_revoke(order=order, by=alice)
    assert links.link_send(order=order, reason="ready") is None


def test_the_customers_decision_goes_through_the_workshop_service_with_channel_link(order, make_finding, alice):
    yes, no = make_finding("刹车片", "B1"), make_finding("雨刮", "W1")
    assert step_of(order, pending_decision=True) == "decision"
    approval = link_decide(order=order, decisions={yes.pk: True, no.pk: False}, signature_png=png_bytes(),
                           user_agent="Mozilla/5.0 (iPhone) MicroMessenger")
    yes.refresh_from_db(), no.refresh_from_db()
    assert (yes.decision, yes.channel, yes.decided_by) == ("approved", "link", alice)
    assert (no.decision, no.channel) == ("declined", "link")
    assert "MicroMessenger" in yes.decision_note and yes.customer_answered_at is not None
    assert no.lines.get().approval == WorkOrderLine.Approval.DECLINED  # a recommendation, as at the desk
    assert yes.lines.get().approval == WorkOrderLine.Approval.APPROVED
    assert order.estimate_versions.filter(approval_channel="link").exists()
    assert approval.signature and approval.user_agent.startswith("Mozilla")
    assert approval.decisions == {str(yes.pk): True, str(no.pk): False}
    assert WorkOrderEvent.objects.filter(order=order, kind="link_signed").exists()
    with pytest.raises(DomainError, match="already"):
        link_decide(order=order, decisions={yes.pk: False}, signature_png=png_bytes())


def test_a_decision_needs_a_signature_and_only_this_orders_findings(order, make_finding, station, alice):
    from workshop.factories import FindingFactory

    mine = make_finding()
    with pytest.raises(DomainError, match="sign"):
        link_decide(order=order, decisions={mine.pk: True}, signature_png=None)
    foreign = FindingFactory(order__station=station, order__advisor=alice)
    with pytest.raises(DomainError, match="not on this order"):
        link_decide(order=order, decisions={foreign.pk: True}, signature_png=png_bytes())
    assert Finding.objects.get(pk=foreign.pk).decision == "pending"
    assert not LinkApproval.objects.exists()


def test_prices_on_the_page_include_vat(order, make_finding):
    finding = make_finding()
    line = finding.lines.get()
    (proposal,) = proposals(order)
    net = line.hours * line.unit_price
    assert proposal.total == (net * (1 + order.station.vat_rate)).quantize(Decimal("0.01"))
    assert proposal.photos == [finding.photos.get().pk]


@pytest.fixture
def delivered(order):
    order.status, order.delivered_at = "delivered", timezone.now() - timedelta(days=1)
    order.save(update_fields=["status", "delivered_at"])
    return FollowUpCallFactory(order=order, station=order.station, customer=order.customer, advisor=order.advisor)


SCORES = {"tangibles": 4, "reliability": 4, "responsiveness": 4, "assurance": 4, "empathy": 4}


def test_a_survey_on_the_link_counts_as_a_reached_follow_up(order, delivered):
    response = link_survey(order=order, overall=5, perceptions=SCORES, problem_fixed=True)
    delivered.refresh_from_db()
    assert delivered.status == FollowUpCall.Status.REACHED and response.overall == 5
    assert not Complaint.objects.filter(order=order).exists()
    with pytest.raises(DomainError):
        link_survey(order=order, overall=5, perceptions=SCORES, problem_fixed=True)


def test_a_low_score_or_not_fixed_opens_a_complaint_as_a_call_does(order, delivered):
    link_survey(order=order, overall=4, perceptions=SCORES, problem_fixed=False)
    complaint = Complaint.objects.get(order=order)
    assert complaint.source == Complaint.Source.FOLLOW_UP and complaint.possible_comeback


def test_a_free_text_complaint(order):
    with pytest.raises(DomainError):
        link_complaint(order=order, text=" ")
    complaint = link_complaint(order=order, text="洗车没洗干净，座椅有油污")
    assert complaint.source == Complaint.Source.ONLINE and "油污" in complaint.description
