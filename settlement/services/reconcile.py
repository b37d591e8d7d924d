"""Reconciliation before settlement (结算核对): sold hours, parts issued against part lines, sublet, approvals.

``reconcile(order=)`` gathers everything the cashier must see; ``ready_to_settle`` is the guard the transition
table names for READY→SETTLED and refuses while any problem remains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError, TransitionError
from core.money import to_cents
from org.models import Staff
from parts import selectors as parts_selectors
from reception.models import Payer, WorkOrder, WorkOrderLine
from reception.services import discounts
from reception.services.pricing import OrderTotals, PayerTotals, order_totals
from reception.services.workflow import record_event
from settlement.models import InsuranceClaim, PartReconciliation
from settlement.services.packages import prepaid_line_ids

ZERO = Decimal("0")
L = WorkOrderLine


def issued_quantities(*, order: WorkOrder) -> dict[int, Decimal]:
    """Net quantity issued from stock per part line (lines never issued are absent)."""
    return {int(k): Decimal(v) for k, v in parts_selectors.issued_quantity_by_line(order=order).items()}


def has_pending_discounts(*, order: WorkOrder) -> bool:
    return bool(discounts.has_pending_approvals(order=order))


@dataclass
class PartCheck:
    line: WorkOrderLine
    line_quantity: Decimal
    issued_quantity: Decimal
    resolution: PartReconciliation | None = None

    @property
    def difference(self) -> Decimal:
        return self.issued_quantity - self.line_quantity

    @property
    def matches(self) -> bool:
        return self.difference == 0

    @property
    def resolved(self) -> bool:
        return self.matches or self.resolution is not None


@dataclass
class Reconciliation:
    order: WorkOrder
    labour: list[WorkOrderLine] = field(default_factory=list)
    parts: list[PartCheck] = field(default_factory=list)
    sublet: list[WorkOrderLine] = field(default_factory=list)
    proposed: list[WorkOrderLine] = field(default_factory=list)
    declined: list[WorkOrderLine] = field(default_factory=list)
    totals: OrderTotals | None = None
    adjustments: dict[str, Decimal] = field(default_factory=dict)
    adjustment_note: str = ""
    insurance: InsuranceClaim | None = None
    prepaid: list[WorkOrderLine] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def open_differences(self) -> list[PartCheck]:
        return [p for p in self.parts if not p.resolved]

    def due(self, payer: str) -> Decimal:
        bucket = self.totals.by_payer.get(payer) if self.totals else None
        return (bucket.gross if bucket else ZERO) + self.adjustments.get(payer, ZERO)

    @property
    def payers(self) -> list[tuple[str, PayerTotals, Decimal, Decimal]]:
        """(payer, totals, adjustment, due) for each payer that owes something, in the Payer order."""
        rows = []
        for payer in Payer.values:
            bucket = self.totals.by_payer.get(payer) if self.totals else None
            adjustment = self.adjustments.get(payer, ZERO)
            if bucket is None and not adjustment:
                continue
            rows.append((payer, bucket or PayerTotals(), adjustment, self.due(payer)))
        return rows


def _latest_resolution(line: WorkOrderLine, line_qty: Decimal, issued: Decimal) -> PartReconciliation | None:
    """A resolution counts only for the quantities it was made for: a later issue reopens the difference."""
    for rec in sorted(line.reconciliations.all(), key=lambda r: (r.at, r.id), reverse=True):
        if rec.line_quantity == line_qty and rec.issued_quantity == issued:
            return rec
    return None


def insurance_split(*, order: WorkOrder, totals: OrderTotals) -> tuple[dict[str, Decimal], str, InsuranceClaim | None]:
    """The deductible moves from the insurer's statement to the customer's."""
    claim = InsuranceClaim.objects.filter(order=order).first()
    if claim is None or Payer.INSURANCE not in totals.by_payer or not claim.deductible:
        return {}, "", claim
    deductible = to_cents(claim.deductible)
    return {Payer.INSURANCE: -deductible, Payer.CUSTOMER: deductible}, deductible_note(claim), claim


def deductible_note(claim: InsuranceClaim) -> str:
    """The label of the deductible on both statements, in the active language (printouts call it again)."""
    return _("Insurance deductible (%(insurer)s, claim %(number)s)") % {
        "insurer": claim.insurer, "number": claim.claim_number,
    }


def reconcile(*, order: WorkOrder) -> Reconciliation:
    lines = list(
        WorkOrderLine.objects.filter(order=order)
        .select_related("part", "labour_operation")
        .prefetch_related("reconciliations")
    )
    result = Reconciliation(order=order)
    issued = issued_quantities(order=order)
    for line in lines:
        if line.approval == L.Approval.PROPOSED:
            result.proposed.append(line)
            continue
        if line.approval == L.Approval.DECLINED:
            result.declined.append(line)
            continue
        if line.kind == L.Kind.LABOUR:
            result.labour.append(line)
            if Decimal(line.hours) <= 0:
                result.problems.append(_("Labour line “%(line)s” has no sold hours.") % {"line": line.description})
        elif line.kind == L.Kind.PART:
            qty = Decimal(line.quantity)
            got = issued.get(line.pk, ZERO)
            result.parts.append(PartCheck(line, qty, got, _latest_resolution(line, qty, got)))
        else:
            result.sublet.append(line)
    # a line paid by a package is billed to no one: its value is recognised at the use (``packages``)
    prepaid = prepaid_line_ids(order=order)
    approved = [*result.labour, *(p.line for p in result.parts), *result.sublet]
    result.prepaid = [line for line in approved if line.pk in prepaid]
    result.totals = order_totals([line for line in approved if line.pk not in prepaid],
                                 vat_rate=order.station.vat_rate)
    result.adjustments, result.adjustment_note, result.insurance = insurance_split(order=order, totals=result.totals)

    for check in result.open_differences:
        result.problems.append(
            _("Part “%(line)s”: %(qty)s on the order, %(issued)s issued from stock.")
            % {"line": check.line.description, "qty": check.line_quantity.normalize(),
               "issued": check.issued_quantity.normalize()}
        )
    if result.proposed:
        result.problems.append(
            _("%(n)d additional item(s) still await the customer's approval.") % {"n": len(result.proposed)}
        )
    if has_pending_discounts(order=order):
        result.problems.append(_("A discount is still waiting for approval."))
    if Payer.INSURANCE in result.totals.by_payer:
        claim = result.insurance
        if claim is None or claim.assessed_at is None:
            result.problems.append(_("Insurance lines need the insurer's loss assessment (定损) before settlement."))
        elif result.totals.by_payer[Payer.INSURANCE].gross > claim.assessed_amount:
            result.problems.append(
                _("The insurance lines (%(lines)s) exceed the loss assessment (%(assessed)s).")
                % {"lines": result.totals.by_payer[Payer.INSURANCE].gross, "assessed": claim.assessed_amount}
            )
    if not result.totals.by_payer and not result.prepaid:
        result.problems.append(_("The order has no approved lines to settle."))
    return result


def ready_to_settle(*, order: WorkOrder, by: Staff) -> None:
    """Guard for READY→SETTLED: every difference resolved, nothing waiting for approval."""
    result = reconcile(order=order)
    if result.problems:
        raise TransitionError(" ".join(result.problems))


@transaction.atomic
def part_difference_resolve(*, line: WorkOrderLine, by: Staff, resolution: str, note: str = "") -> PartReconciliation:
    """Resolve one part line's difference: set the line to the issued quantity, or accept it with a reason."""
    line = WorkOrderLine.objects.select_for_update().select_related("order").get(pk=line.pk)
    order = line.order
    if order.status != WorkOrder.Status.READY:
        raise DomainError(_("Differences are resolved while the order is ready for settlement."))
    if line.kind != L.Kind.PART:
        raise DomainError(_("Only part lines are reconciled against stock issues."))
    issued = issued_quantities(order=order).get(line.pk, ZERO)
    qty = Decimal(line.quantity)
    if issued == qty:
        raise DomainError(_("This line matches the quantity issued; nothing to resolve."))
    if resolution == PartReconciliation.Resolution.ADJUSTED:
        if issued <= 0:
            raise DomainError(
                _("Nothing was issued for this line: accept the difference with a reason, or issue the part."),
                field="resolution",
            )
        line.quantity = issued
        line.save(update_fields=["quantity", "updated_at"])
        record_event(order=order, by=by, kind="reconcile",
                     note=f"{line.description}: {qty.normalize()} → {issued.normalize()}")
        qty = issued
    elif resolution == PartReconciliation.Resolution.ACCEPTED:
        if not note.strip():
            raise DomainError(_("Please give a reason for accepting the difference."), field="note")
        record_event(order=order, by=by, kind="reconcile",
                     note=f"{line.description}: {qty.normalize()} / {issued.normalize()} — {note}")
    else:
        raise DomainError(_("Choose how to resolve the difference."), field="resolution")
    return PartReconciliation.objects.create(
        order=order, line=line, line_quantity=qty, issued_quantity=issued, resolution=resolution, note=note, by=by
    )
