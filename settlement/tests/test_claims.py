"""The warranty claim lifecycle: every allowed and every forbidden transition, appraisal, the rejected amount."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import DomainError, TransitionError
from reception.factories import WorkOrderFactory, labour_line, part_line
from settlement.models import Statement, WarrantyClaim
from settlement.services.claims import (
    CLAIM_TRANSITIONS,
    claim_appraise,
    claim_bill_rejected_to_customer,
    claim_create_from_order,
    claim_transition,
    claim_update,
)
from settlement.services.settle import order_settle

pytestmark = pytest.mark.django_db
S = WarrantyClaim.Status
D = Decimal
ALL = list(S.values)
ALLOWED = set(CLAIM_TRANSITIONS)


@pytest.fixture
def warranty_order(station, alice, issued):
    order = WorkOrderFactory(ready=True, station=station, advisor=alice)
    order.concerns.create(text="冷却液泄漏")
    labour_line(order, hours="2.00", price="240.00", payer="warranty", description="更换水泵")  # 480.00
    pump = part_line(order, qty="1", price="520.00", payer="warranty", description="水泵总成")
    labour_line(order, hours="0.50", price="300.00")  # customer pay, not claimed
    issued({pump: 1})
    return order


@pytest.fixture
def claim(warranty_order, clerk):
    return claim_create_from_order(order=warranty_order, by=clerk)


def _ready_to_submit(claim, clerk, techlead):
    claim_update(claim=claim, by=clerk, symptom_code="C12", cause_code="W03", fault_description="水泵漏水",
                 repair_description="更换水泵总成")
    claim_appraise(claim=claim, by=techlead, verdict="warranty", note="水泵轴封失效，属质量问题")


def _put_in(claim, status):
    WarrantyClaim.objects.filter(pk=claim.pk).update(status=status)
    claim.refresh_from_db()
    return claim


def test_a_claim_is_created_from_the_warranty_lines_only(claim):
    assert claim.status == S.DRAFT and claim.number.startswith("SPST")
    assert claim.claimed_labour == D("480.00") and claim.claimed_parts == D("520.00")
    assert claim.claimed_amount == D("1000.00")
    assert sorted(claim.lines.values_list("description", flat=True)) == sorted(["水泵总成", "更换水泵"])
    assert claim.fault_description == "冷却液泄漏"


def test_settling_an_order_with_warranty_lines_opens_a_draft_claim(warranty_order, cashier):
    order_settle(order=warranty_order, by=cashier)
    assert warranty_order.warranty_claims.get().status == S.DRAFT


def test_an_order_without_warranty_lines_has_nothing_to_claim(ready_order, clerk):
    with pytest.raises(DomainError):
        claim_create_from_order(order=ready_order, by=clerk)


def test_submission_needs_the_technical_leads_appraisal_and_the_codes(claim, clerk, techlead):
    with pytest.raises(TransitionError, match="technical lead"):
        claim_transition(claim=claim, to=S.SUBMITTED, by=clerk)
    claim_appraise(claim=claim, by=techlead, verdict="warranty", note="轴封失效")
    with pytest.raises(TransitionError, match="codes"):
        claim_transition(claim=claim, to=S.SUBMITTED, by=clerk)
    claim_update(claim=claim, by=clerk, symptom_code="C12", cause_code="W03", fault_description="x",
                 repair_description="y")
    claim = claim_transition(claim=claim, to=S.SUBMITTED, by=clerk)
    assert claim.status == S.SUBMITTED and claim.submitted_at


def test_a_not_warranty_verdict_stops_submission(claim, clerk, techlead):
    claim_update(claim=claim, by=clerk, symptom_code="C12", cause_code="W03", fault_description="x",
                 repair_description="y")
    claim_appraise(claim=claim, by=techlead, verdict="not_warranty", note="人为损坏")
    with pytest.raises(TransitionError):
        claim_transition(claim=claim, to=S.SUBMITTED, by=clerk)


@pytest.mark.parametrize("position", ["warranty_clerk", "service_advisor", "cashier"])
def test_only_the_technical_lead_appraises(claim, make_staff, position):
    with pytest.raises(TransitionError):
        claim_appraise(claim=claim, by=make_staff(position), verdict="warranty", note="ok")


def test_appraisal_needs_findings_and_a_draft(claim, techlead):
    with pytest.raises(DomainError):
        claim_appraise(claim=claim, by=techlead, verdict="warranty", note=" ")
    _put_in(claim, S.SUBMITTED)
    with pytest.raises(DomainError):
        claim_appraise(claim=claim, by=techlead, verdict="warranty", note="late")


@pytest.mark.parametrize("frm,to", sorted((f, t) for f in ALL for t in ALL if (f, t) not in ALLOWED))
def test_forbidden_claim_transitions_are_refused(claim, clerk, techlead, frm, to):
    _ready_to_submit(claim, clerk, techlead)
    _put_in(claim, frm)
    with pytest.raises(TransitionError):
        claim_transition(claim=claim, to=to, by=clerk, note="n", amount=D("1"))
    claim.refresh_from_db()
    assert claim.status == frm


@pytest.mark.parametrize("frm,to", sorted(ALLOWED))
def test_allowed_claim_transitions_succeed_with_what_they_need(claim, clerk, techlead, frm, to):
    _ready_to_submit(claim, clerk, techlead)
    _put_in(claim, frm)
    if frm in (S.APPROVED, S.PARTLY_APPROVED):
        WarrantyClaim.objects.filter(pk=claim.pk).update(approved_amount=D("800.00"))
        claim.refresh_from_db()
    amount = {S.PARTLY_APPROVED: D("600.00"), S.PAID: D("800.00")}.get(to)
    claim = claim_transition(claim=claim, to=to, by=clerk, note="主机厂意见", amount=amount)
    assert claim.status == to
    assert claim.events.filter(old_status=frm, new_status=to, by=clerk).exists()


@pytest.mark.parametrize("frm,to", sorted(ALLOWED))
def test_only_warranty_staff_move_claims(claim, clerk, techlead, make_staff, frm, to):
    _ready_to_submit(claim, clerk, techlead)
    _put_in(claim, frm)
    with pytest.raises(TransitionError):
        claim_transition(claim=claim, to=to, by=make_staff("cashier"), note="n", amount=D("1"))


def test_decisions_set_the_approved_amount(claim, clerk, techlead):
    _ready_to_submit(claim, clerk, techlead)
    claim_transition(claim=claim, to=S.SUBMITTED, by=clerk)
    with pytest.raises(TransitionError):  # partly approved needs an amount strictly between 0 and the claim
        claim_transition(claim=claim, to=S.PARTLY_APPROVED, by=clerk, note="工时超标", amount=D("1000.00"))
    with pytest.raises(TransitionError):  # and a reason
        claim_transition(claim=claim, to=S.PARTLY_APPROVED, by=clerk, amount=D("700.00"))
    claim = claim_transition(claim=claim, to=S.PARTLY_APPROVED, by=clerk, note="工时超标", amount=D("700.00"))
    assert claim.approved_amount == D("700.00") and claim.rejected_amount == D("300.00")
    with pytest.raises(TransitionError):  # paid must match what was approved
        claim_transition(claim=claim, to=S.PAID, by=clerk, amount=D("650.00"))
    claim = claim_transition(claim=claim, to=S.PAID, by=clerk, amount=D("700.00"))
    assert claim.paid_amount == D("700.00") and claim.paid_at


def test_a_rejection_needs_a_reason_and_approves_nothing(claim, clerk, techlead):
    _ready_to_submit(claim, clerk, techlead)
    claim_transition(claim=claim, to=S.SUBMITTED, by=clerk)
    with pytest.raises(TransitionError):
        claim_transition(claim=claim, to=S.REJECTED, by=clerk)
    claim = claim_transition(claim=claim, to=S.REJECTED, by=clerk, note="超出保修期")
    assert claim.approved_amount == 0 and claim.rejected_amount == D("1000.00")


def test_the_rejected_amount_is_billed_only_with_the_customers_recorded_approval(
        warranty_order, cashier, clerk, techlead):
    order_settle(order=warranty_order, by=cashier)
    claim = warranty_order.warranty_claims.get()
    _ready_to_submit(claim, clerk, techlead)
    claim_transition(claim=claim, to=S.SUBMITTED, by=clerk)
    claim = claim_transition(claim=claim, to=S.REJECTED, by=clerk, note="超出保修期")
    with pytest.raises(DomainError) as exc:
        claim_bill_rejected_to_customer(claim=claim, by=clerk, customer_channel=" ")
    assert exc.value.field == "customer_channel"
    assert not Statement.objects.filter(order=warranty_order, kind="supplement").exists()
    claim = claim_bill_rejected_to_customer(claim=claim, by=clerk, customer_channel="电话")
    supplement = claim.customer_statement
    assert supplement.kind == "supplement" and supplement.payer == "customer"
    assert supplement.due == D("1130.00")  # 1000.00 net + 13 % VAT
    assert claim.customer_approval_channel == "电话" and claim.customer_approval_at
    with pytest.raises(DomainError):
        claim_bill_rejected_to_customer(claim=claim, by=clerk, customer_channel="电话")


def test_nothing_to_bill_when_the_claim_was_approved_in_full(claim, clerk, techlead):
    _ready_to_submit(claim, clerk, techlead)
    claim_transition(claim=claim, to=S.SUBMITTED, by=clerk)
    claim = claim_transition(claim=claim, to=S.APPROVED, by=clerk)
    with pytest.raises(DomainError):
        claim_bill_rejected_to_customer(claim=claim, by=clerk, customer_channel="电话")


def test_only_a_draft_is_edited(claim, clerk):
    _put_in(claim, S.SUBMITTED)
    with pytest.raises(DomainError):
        claim_update(claim=claim, by=clerk, symptom_code="x", cause_code="y", fault_description="",
                     repair_description="")
