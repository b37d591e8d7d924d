"""Warranty claims (索赔申请): created from an order's warranty lines, appraised by the technical lead
(索赔技术鉴定), submitted to the manufacturer, decided, paid. One state table (CLAIM_TRANSITIONS), moved by ``core.statemachine``
through ``claim_transition``; the machine is registered as "warranty_claim" in SettlementConfig.ready().
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError, TransitionError
from core.money import to_cents
from core.numbering import next_number
from core.statemachine import Machine, Rule, transition
from org import permissions as perm
from org.models import Staff
from reception.models import Payer, WorkOrder, WorkOrderLine
from reception.services.pricing import amount_of
from settlement.models import WarrantyClaim, WarrantyClaimEvent, WarrantyClaimLine, WarrantyClaimPhoto
from settlement.services.statements import supplement_issue

CLAIM_PREFIX = "SP"  # 索赔
S = WarrantyClaim.Status
ZERO = Decimal("0.00")

CLAIM_TRANSITIONS: dict[tuple[str, str], Rule] = {
    (S.DRAFT, S.SUBMITTED): Rule(perm.WARRANTY_MANAGE, stamp="submitted_at"),  # guard: claim_ready_to_submit
    (S.SUBMITTED, S.APPROVED): Rule(perm.WARRANTY_MANAGE, stamp="decided_at"),
    (S.SUBMITTED, S.PARTLY_APPROVED): Rule(perm.WARRANTY_MANAGE, stamp="decided_at", note_required=True),
    (S.SUBMITTED, S.REJECTED): Rule(perm.WARRANTY_MANAGE, stamp="decided_at", note_required=True),
    (S.APPROVED, S.PAID): Rule(perm.WARRANTY_MANAGE, stamp="paid_at"),
    (S.PARTLY_APPROVED, S.PAID): Rule(perm.WARRANTY_MANAGE, stamp="paid_at"),
}


def _log(claim: WarrantyClaim, *, by: Staff, old: str, new: str, kind: str = "transition", note: str = "") -> None:
    """One row of the claim's history; ``kind`` is registered (log "warranty_claim") in SettlementConfig.ready()."""
    WarrantyClaimEvent.objects.create(claim=claim, old_status=old, new_status=new, kind=kind, note=note, by=by)


def _record(claim: WarrantyClaim, *, old: str, new: str, by: Staff, note: str) -> None:
    _log(claim, by=by, old=old, new=new, note=note)


CLAIM = Machine(
    name="warranty_claim",
    model=WarrantyClaim,
    status_field="status",
    rules=CLAIM_TRANSITIONS,
    record=_record,
    may=perm.has_action,
    kwarg="claim",
    cannot=gettext_lazy("A claim cannot go from “%(old)s” to “%(new)s”."),
    note_missing=gettext_lazy("Please give the manufacturer's reason."),
)


def claim_allowed_targets(*, claim: WarrantyClaim, by: Staff) -> list[str]:
    return CLAIM.targets(claim, by)


def claim_ready_to_submit(*, claim: WarrantyClaim, by: Staff) -> None:
    """Guard for DRAFT→SUBMITTED (registered in SettlementConfig.ready())."""
    if claim.appraisal_verdict != WarrantyClaim.Verdict.WARRANTY:
        raise TransitionError(_("The technical lead must confirm a warranty defect before the claim is submitted."))
    if not (claim.symptom_code and claim.cause_code):
        raise TransitionError(_("Enter the symptom and cause codes before submitting."), field="symptom_code")
    if not claim.lines.exists():
        raise TransitionError(_("The claim has no lines."))


@transaction.atomic
def claim_create_from_order(*, order: WorkOrder, by: Staff, if_missing: bool = False) -> WarrantyClaim | None:
    """A draft claim with the order's approved warranty lines (labour and parts)."""
    if if_missing and order.warranty_claims.exists():
        return None
    lines = [
        line for line in order.lines.select_related("labour_operation", "part")
        if line.payer == Payer.WARRANTY and line.approval == WorkOrderLine.Approval.APPROVED
    ]
    if not lines:
        raise DomainError(_("The order has no warranty lines to claim."))
    claim = WarrantyClaim.objects.create(
        station=order.station, order=order, created_by=by,
        number=next_number(station=order.station, kind="warranty_claim", prefix=CLAIM_PREFIX),
        fault_description="\n".join(c.text for c in order.concerns.all()),
    )
    labour = parts = ZERO
    for line in lines:
        amount = amount_of(line)
        code = line.labour_operation.code if line.labour_operation_id else (line.part.part_number if line.part_id else "")
        WarrantyClaimLine.objects.create(
            claim=claim, order_line=line, kind=line.kind, code=code, description=line.description,
            quantity=line.hours if line.kind == WorkOrderLine.Kind.LABOUR else line.quantity, amount=amount,
        )
        if line.kind == WorkOrderLine.Kind.LABOUR:
            labour += amount
        else:
            parts += amount
    claim.claimed_labour, claim.claimed_parts, claim.claimed_amount = labour, parts, labour + parts
    claim.save(update_fields=["claimed_labour", "claimed_parts", "claimed_amount"])
    _log(claim, by=by, old="", new=S.DRAFT, kind="created")
    return claim


@transaction.atomic
def claim_update(*, claim: WarrantyClaim, by: Staff, symptom_code: str, cause_code: str, fault_description: str,
                 repair_description: str) -> WarrantyClaim:
    if claim.status != S.DRAFT:
        raise DomainError(_("Only a draft claim can be edited."))
    claim.symptom_code, claim.cause_code = symptom_code.strip(), cause_code.strip()
    claim.fault_description, claim.repair_description = fault_description, repair_description
    claim.save(update_fields=["symptom_code", "cause_code", "fault_description", "repair_description"])
    _log(claim, by=by, old=claim.status, new=claim.status, kind="edited")
    return claim


@transaction.atomic
def claim_add_photo(*, claim: WarrantyClaim, by: Staff, image, caption: str = "") -> WarrantyClaimPhoto:
    if claim.status != S.DRAFT:
        raise DomainError(_("Photos are added while the claim is a draft."))
    photo = WarrantyClaimPhoto.objects.create(claim=claim, image=image, caption=caption, uploaded_by=by)
    _log(claim, by=by, old=claim.status, new=claim.status, kind="photo", note=caption)
    return photo


@transaction.atomic
def claim_appraise(*, claim: WarrantyClaim, by: Staff, verdict: str, note: str) -> WarrantyClaim:
    """The technical lead's appraisal (索赔技术鉴定): is this a warranty defect?"""
    if not perm.has_action(by, perm.WARRANTY_APPRAISE):
        raise TransitionError(_("Only the technical lead appraises warranty claims."))
    claim = WarrantyClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != S.DRAFT:
        raise DomainError(_("A claim is appraised before it is submitted."))
    if verdict not in WarrantyClaim.Verdict.values:
        raise DomainError(_("Choose the appraisal result."), field="verdict")
    if not note.strip():
        raise DomainError(_("Describe the findings of the appraisal."), field="note")
    claim.appraisal_verdict, claim.appraisal_note = verdict, note
    claim.appraised_by, claim.appraised_at = by, timezone.now()
    claim.save(update_fields=["appraisal_verdict", "appraisal_note", "appraised_by", "appraised_at"])
    _log(claim, by=by, old=claim.status, new=claim.status, kind="appraisal", note=f"{verdict}: {note}")
    return claim


def claim_transition(
    *, claim: WarrantyClaim, to: str, by: Staff, note: str = "", amount: Decimal | None = None,
    reference: str = "",
) -> WarrantyClaim:
    """Move a claim along CLAIM_TRANSITIONS. ``amount``: the approved amount (partly approved) or the amount paid."""

    def amounts(claim: WarrantyClaim) -> list[str]:
        """The decision's and the payment's amounts, checked once the table has allowed the move."""
        fields = []
        if to == S.APPROVED:
            claim.approved_amount = claim.claimed_amount
            fields.append("approved_amount")
        elif to == S.PARTLY_APPROVED:
            approved = to_cents(Decimal(amount if amount not in (None, "") else -1))
            if not ZERO < approved < claim.claimed_amount:
                raise TransitionError(
                    _("A partly approved amount is more than zero and less than the claimed %(claimed)s.")
                    % {"claimed": claim.claimed_amount}, field="amount",
                )
            claim.approved_amount = approved
            fields.append("approved_amount")
        elif to == S.REJECTED:
            claim.approved_amount = ZERO
            fields.append("approved_amount")
        elif to == S.PAID:
            paid = claim.approved_amount if amount in (None, "") else to_cents(Decimal(amount))
            if paid != claim.approved_amount:
                raise TransitionError(
                    _("The manufacturer approved %(approved)s; record the payment of that amount.")
                    % {"approved": claim.approved_amount}, field="amount",
                )
            claim.paid_amount = paid
            fields.append("paid_amount")
        if note and to in (S.APPROVED, S.PARTLY_APPROVED, S.REJECTED):
            claim.decision_note = note
            fields.append("decision_note")
        if reference:
            claim.manufacturer_reference = reference
            fields.append("manufacturer_reference")
        return fields

    return transition(CLAIM, obj=claim, to=to, by=by, note=note, prepare=amounts)


@transaction.atomic
def claim_bill_rejected_to_customer(
    *, claim: WarrantyClaim, by: Staff, customer_channel: str, customer_agreed_at=None
) -> WarrantyClaim:
    """Bill the amount the manufacturer refused to the customer — only with the customer's recorded approval."""
    claim = WarrantyClaim.objects.select_for_update().get(pk=claim.pk)
    if not perm.has_action(by, perm.WARRANTY_MANAGE):
        raise TransitionError(_("Your position may not make this change."))
    rejected = claim.rejected_amount
    if rejected <= 0:
        raise DomainError(_("Nothing of this claim was rejected."))
    if claim.customer_statement_id:
        raise DomainError(_("The rejected amount has already been billed to the customer."))
    if not customer_channel.strip():
        raise DomainError(
            _("Record how the customer agreed to pay the rejected amount (phone, in person, signature)."),
            field="customer_channel",
        )
    if not claim.order.statements.filter(kind="statement").exists():
        raise DomainError(_("Settle the order before billing the customer."))
    amount = to_cents(rejected * (1 + claim.station.vat_rate))
    statement = supplement_issue(
        order=claim.order, by=by, payer=Payer.CUSTOMER, amount=amount,
        reason=_("Warranty claim %(number)s: amount not accepted by the manufacturer") % {"number": claim.number},
    )
    claim.customer_approval_channel = customer_channel.strip()
    claim.customer_approval_at = customer_agreed_at or timezone.now()
    claim.customer_statement = statement
    claim.save(update_fields=["customer_approval_channel", "customer_approval_at", "customer_statement"])
    _log(claim, by=by, old=claim.status, new=claim.status, kind="billed_to_customer",
         note=f"{statement.number} {amount} ({customer_channel})")
    return claim
