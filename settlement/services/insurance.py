"""Accident repairs (事故车): the insurer, the loss assessment (定损), the deductible, the insurer's payment."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import to_cents
from org.models import Staff
from reception.models import WorkOrder
from reception.services.workflow import record_event
from settlement.models import InsuranceClaim, Statement


@transaction.atomic
def insurance_claim_save(
    *, order: WorkOrder, by: Staff, insurer: str, policy_number: str, claim_number: str, assessor: str = "",
    assessed_amount: Decimal | None = None, deductible: Decimal = Decimal("0"), notes: str = "",
) -> InsuranceClaim:
    """Create or update the order's insurance claim. Frozen once the order is settled (it shaped the statements)."""
    if Statement.objects.filter(order=order, kind=Statement.Kind.STATEMENT).exists():
        raise DomainError(_("The order is settled: the loss assessment can no longer change."))
    if not (insurer.strip() and policy_number.strip() and claim_number.strip()):
        raise DomainError(_("Insurer, policy number and claim number are required."), field="insurer")
    deductible = to_cents(Decimal(deductible or 0))
    if deductible < 0:
        raise DomainError(_("The deductible cannot be negative."), field="deductible")
    claim = InsuranceClaim.objects.filter(order=order).first() or InsuranceClaim(
        order=order, station=order.station, created_by=by
    )
    claim.insurer, claim.policy_number, claim.claim_number = insurer.strip(), policy_number.strip(), claim_number.strip()
    claim.assessor, claim.notes, claim.deductible = assessor, notes, deductible
    if assessed_amount not in (None, ""):
        assessed = to_cents(Decimal(assessed_amount))
        if assessed < deductible:
            raise DomainError(_("The deductible cannot exceed the loss assessment."), field="deductible")
        if assessed != claim.assessed_amount or claim.assessed_at is None:
            claim.assessed_amount, claim.assessed_at = assessed, timezone.now()
    claim.save()
    record_event(order=order, by=by, kind="insurance",
                 note=f"{claim.insurer} {claim.claim_number} {claim.assessed_amount} / {claim.deductible}")
    return claim


@transaction.atomic
def insurance_payment_record(*, claim: InsuranceClaim, by: Staff, amount: Decimal) -> InsuranceClaim:
    """The insurer paid its share (partly or in full); the claim is closed when the share is covered."""
    claim = InsuranceClaim.objects.select_for_update().get(pk=claim.pk)
    amount = to_cents(Decimal(amount))
    if claim.assessed_at is None:
        raise DomainError(_("Record the loss assessment first."))
    if amount <= 0 or amount > claim.outstanding:
        raise DomainError(
            _("The insurer owes %(outstanding)s; enter an amount up to that.") % {"outstanding": claim.outstanding},
            field="amount",
        )
    claim.paid_amount += amount
    if claim.outstanding <= 0:
        claim.paid_at = timezone.now()
    claim.save(update_fields=["paid_amount", "paid_at"])
    record_event(order=claim.order, by=by, kind="insurance_paid", note=f"{claim.insurer} {amount}")
    return claim
