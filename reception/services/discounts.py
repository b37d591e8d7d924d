"""Discounts within the authority limit (org.services): above it, the next person up approves."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from org.models import Staff
from org.services import Authority, may_decide, next_approver
from reception.models import DiscountApproval, WorkOrder, WorkOrderLine
from reception.services.authority import LineState, reduction_beyond_authority
from reception.services.orders import ensure_editable
from reception.services.workflow import record_event


def has_pending_approvals(*, order: WorkOrder) -> bool:
    """Is a discount on this order still waiting for someone's decision? (Settlement refuses then.)"""
    return DiscountApproval.objects.filter(order=order, status=DiscountApproval.Status.PENDING).exists()


def _apply(*, line: WorkOrderLine, pct: Decimal, by: Staff) -> None:
    order = line.order
    line.discount_pct = pct
    if order.signed_at is not None and line.approval == WorkOrderLine.Approval.APPROVED:
        # a lower price is still a change of the signed estimate: the customer sees and approves a new version
        line.approval = WorkOrderLine.Approval.PROPOSED
    line.save(update_fields=["discount_pct", "approval", "updated_at"])
    record_event(order=order, by=by, kind="discount", note=f"{line.description}: {pct}%")


@transaction.atomic
def discount_request(*, line: WorkOrderLine, by: Staff, pct: Decimal, reason: str = "") -> DiscountApproval | None:
    """Set a line's discount. Within the user's limit it applies at once (returns None); above it a DiscountApproval
    goes to the next person up the chain who may decide it, and the line keeps its old discount meanwhile."""
    pct = Decimal(pct)
    if not Decimal("0") <= pct <= Decimal("100"):
        raise DomainError(_("A discount is between 0 and 100 %."), field="discount_pct")
    ensure_editable(line.order)
    if DiscountApproval.objects.filter(line=line, status=DiscountApproval.Status.PENDING).exists():
        raise DomainError(_("A discount on this line is already waiting for approval."), field="discount_pct")
    before = LineState.of(line)
    beyond = reduction_beyond_authority(line=line, by=by, before=before, after=replace(before, discount_pct=pct),
                                        shown_only=False)
    if beyond is None:
        _apply(line=line, pct=pct, by=by)
        return None
    approver = next_approver(staff=by, kind=Authority.DISCOUNT, amount=beyond.pct)
    request = DiscountApproval.objects.create(
        order=line.order, line=line, discount_pct=pct, requested_by=by, approver=approver, reason=reason[:255]
    )
    record_event(order=line.order, by=by, kind="discount_requested",
                 note=_("%(pct)s%% on %(line)s, asked of %(who)s")
                 % {"pct": pct, "line": line.description, "who": approver or _("head office")})
    return request


def may_decide_request(*, request: DiscountApproval, by: Staff) -> bool:
    if request.status != DiscountApproval.Status.PENDING or by.pk == request.requested_by_id:
        return False
    if request.approver_id == by.pk:
        return True
    # someone above the named approver with enough authority may decide too (e.g. when the approver is away):
    # authority over the whole reduction against what the customer was shown, as when it was asked for
    line = request.line
    before = LineState.of(line)
    within = reduction_beyond_authority(line=line, by=by, before=before,
                                        after=replace(before, discount_pct=request.discount_pct),
                                        shown_only=False) is None
    return within and may_decide(staff=by, kind=Authority.DISCOUNT, amount=request.discount_pct) and (
        by.station_id in (None, request.order.station_id)
    )


@transaction.atomic
def discount_decide(*, request: DiscountApproval, by: Staff, approve: bool, note: str = "") -> DiscountApproval:
    request = DiscountApproval.objects.select_for_update().select_related("line", "order").get(pk=request.pk)
    if request.status != DiscountApproval.Status.PENDING:
        raise DomainError(_("This request has already been decided."))
    if not may_decide_request(request=request, by=by):
        raise DomainError(_("You may not decide this discount."))
    request.status = DiscountApproval.Status.APPROVED if approve else DiscountApproval.Status.DECLINED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_note = note[:255]
    request.save()
    if approve:
        _apply(line=request.line, pct=request.discount_pct, by=by)
    record_event(order=request.order, by=by, kind="discount_decided",
                 note=f"{request.get_status_display()}: {request.discount_pct}% {note}".strip())
    return request


def approvals_waiting_for(user: Staff):
    """Pending discount requests this person is asked to decide."""
    return (DiscountApproval.objects.filter(approver=user, status=DiscountApproval.Status.PENDING)
            .select_related("order", "line", "requested_by", "order__vehicle"))


def approvals_waiting_brief(user: Staff):
    """The same requests as the front desk lists them: order number, line, percentage and who asked, nothing else."""
    return (DiscountApproval.objects.filter(approver=user, status=DiscountApproval.Status.PENDING)
            .select_related("order", "line", "requested_by")
            .only("discount_pct", "order__number", "line__description",
                  *(f"requested_by__{f}" for f in Staff.NAME_FIELDS)))


def pending_for_order(order, *, lines=None) -> list[DiscountApproval]:
    """The order's discounts waiting for approval, newest first, each with its line taken from ``lines`` (the order's
    lines already read) when given: the order page reads none of them again."""
    pending = list(order.discount_approvals.filter(status=DiscountApproval.Status.PENDING).select_related("approver")
                   .only("order", "line", "discount_pct", "requested_at", *Staff.name_fields("approver")))
    by_id = {line.pk: line for line in lines or ()}
    for approval in pending:
        if approval.line_id in by_id:
            approval.line = by_id[approval.line_id]
    return pending
