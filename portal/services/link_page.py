"""What the customer's link page shows: the live status, the estimate and the additional work with prices including
VAT, the documents issued so far, and whether the survey is open. Reads only, a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints.models import FollowUpCall, SurveyResponse
from core.money import to_cents
from reception.models import WorkOrder, WorkOrderLine
from reception.services import pricing
from settlement.models import Invoice, Payment, Statement
from workshop.models import Finding

S = WorkOrder.Status

# the customer's six steps, in order
STEPS = [
    ("received", pgettext_lazy("customer link", "Received")),
    ("diagnosing", pgettext_lazy("customer link", "Diagnosing")),
    ("decision", pgettext_lazy("customer link", "Waiting for your decision")),
    ("in_progress", pgettext_lazy("customer link", "In progress")),
    ("quality_check", pgettext_lazy("customer link", "Quality check")),
    ("ready", pgettext_lazy("customer link", "Ready for pickup")),
]
_STEP_OF_STATUS = {
    S.DRAFT: "received", S.OPEN: "diagnosing", S.IN_PROGRESS: "in_progress", S.QUALITY_CHECK: "quality_check",
    S.READY: "ready", S.SETTLED: "ready", S.DELIVERED: "ready",
}


def step_of(order: WorkOrder, *, pending_decision: bool) -> str:
    if pending_decision and order.status in (S.OPEN, S.IN_PROGRESS):
        return "decision"
    return _STEP_OF_STATUS.get(order.status, "received")


def steps(current: str) -> list[dict]:
    keys = [k for k, _label in STEPS]
    at = keys.index(current)
    return [{"key": k, "label": label, "done": i < at, "current": i == at} for i, (k, label) in enumerate(STEPS)]


def gross(amount: Decimal, vat_rate: Decimal) -> Decimal:
    return to_cents(amount * (1 + vat_rate))


@dataclass
class Item:
    description: str
    amount: Decimal  # including VAT


@dataclass
class Proposal:
    finding: Finding
    items: list[Item] = field(default_factory=list)
    photos: list[int] = field(default_factory=list)
    videos: list[int] = field(default_factory=list)
    total: Decimal = Decimal("0")


def _item(line: WorkOrderLine, vat_rate: Decimal) -> Item:
    return Item(description=line.description, amount=gross(pricing.amount_of(line), vat_rate))


def estimate_items(order: WorkOrder) -> tuple[list[Item], Decimal]:
    """The agreed lines (not the proposals, not the declined ones), each including VAT, and their total."""
    vat = order.station.vat_rate
    lines = order.lines.filter(approval=WorkOrderLine.Approval.APPROVED).order_by("position", "id")
    items = [_item(line, vat) for line in lines]
    return items, sum((i.amount for i in items), Decimal("0"))


@dataclass
class EstimateLine:
    pk: int
    description: str
    amount: Decimal  # including VAT
    proposed: bool  # the customer may still decline it before signing


def estimate_to_sign(order: WorkOrder) -> list[EstimateLine] | None:
    """The estimate waiting for the customer's first signature (an order received but never signed), line by line
    including VAT; None when there is nothing to sign."""
    if order.signed_at is not None or order.status not in (S.DRAFT, S.OPEN):
        return None
    vat = order.station.vat_rate
    lines = order.lines.exclude(approval=WorkOrderLine.Approval.DECLINED).order_by("position", "id")
    rows = [EstimateLine(pk=line.pk, description=line.description, amount=gross(pricing.amount_of(line), vat),
                         proposed=line.approval == WorkOrderLine.Approval.PROPOSED) for line in lines]
    return rows or None


def proposals(order: WorkOrder) -> list[Proposal]:
    """Every finding of the order with its lines and photo ids; pending ones first."""
    vat = order.station.vat_rate
    found = (Finding.objects.filter(order=order).prefetch_related("lines", "photos", "videos")
             .order_by("-decision", "created_at", "id"))
    out = []
    for finding in found:
        items = [_item(line, vat) for line in finding.lines.all()]
        out.append(Proposal(finding=finding, items=items, photos=[p.pk for p in finding.photos.all()],
                            videos=[v.pk for v in finding.videos.all()],
                            total=sum((i.amount for i in items), Decimal("0"))))
    out.sort(key=lambda p: p.finding.decision != Finding.Decision.PENDING)
    return out


def documents(order: WorkOrder) -> list[dict]:
    """The PDFs the customer may download: each once issued."""
    docs = []
    if order.signed_at:
        docs.append({"kind": "work-order", "label": pgettext_lazy("customer link", "Signed work order"), "pk": None})
    statements = list(Statement.objects.filter(order=order).order_by("issued_at", "id"))
    if statements:
        invoices = list(Invoice.objects.filter(order=order).order_by("issued_on", "id").values_list("number", flat=True))
        docs.append({"kind": "settlement", "label": pgettext_lazy("customer link", "Settlement statement"), "pk": None,
                     "numbers": ", ".join(s.number for s in statements), "invoices": ", ".join(invoices)})
    for payment in Payment.objects.filter(statement__order=order).order_by("id"):
        docs.append({"kind": "receipt", "label": _("Receipt %(number)s") % {"number": payment.receipt_number},
                     "pk": payment.pk})
    if order.status == S.DELIVERED:
        docs.append({"kind": "delivery-note", "label": pgettext_lazy("customer link", "Delivery note"), "pk": None})
    return docs


def survey_call(order: WorkOrder) -> FollowUpCall | None:
    """The follow-up call the survey answers, while it is still open and has no survey."""
    call = FollowUpCall.objects.filter(order=order).first()
    if call is None or call.status not in (FollowUpCall.Status.PENDING, FollowUpCall.Status.REACHED):
        return None
    if SurveyResponse.objects.filter(call=call).exists():
        return None
    return call
