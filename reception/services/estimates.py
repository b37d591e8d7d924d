"""Estimate versions and the customer's signature (客户确认).

A version is a frozen copy of the order's lines and totals. Signing at reception approves version N through a
signature drawn on the tablet or a scanned signed paper and opens the order. Any later change to the lines makes the
current estimate differ from the last approved version: ``estimate_state`` then says "changed" until a new version is
approved (``estimate_snapshot(..., approval_channel=...)``, e.g. the customer approving additional work by phone).
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import CENT
from core.uploads import signature_clean
from org.models import Staff
from reception.models import EstimateVersion, WorkOrder, WorkOrderLine
from reception.services import pricing
from reception.services.discounts import has_pending_approvals
from reception.services.order_review import review_enforce
from reception.services.orders import lines_approve_proposed
from reception.services.workflow import record_event, work_order_transition

APPROVAL_CHANNELS = frozenset({"phone", "in_person", "message", "link"})
SIGN_METHODS = frozenset({"signature", "scan", "link"})  # link: drawn on the customer's own phone (portal)


def _d(value) -> str:
    """Decimals as the database stores them (two places), so an unsaved 1.5 and a loaded 1.50 compare equal."""
    return str(Decimal(value).quantize(CENT))


def _line_row(line: WorkOrderLine) -> dict:
    return {
        "id": line.pk, "kind": line.kind, "payer": line.payer, "description": line.description,
        "quantity": _d(line.quantity), "hours": _d(line.hours), "unit_price": _d(line.unit_price),
        "discount_pct": _d(line.discount_pct), "approval": line.approval, "is_additional": line.is_additional,
        "amount": str(pricing.amount_of(line)),
        "labour_operation_id": line.labour_operation_id, "part_id": line.part_id,
    }


def _fingerprint(rows: list[dict]) -> str:
    keys = ("id", "kind", "payer", "quantity", "hours", "unit_price", "discount_pct", "approval")
    canonical = json.dumps([[r[k] for k in keys] for r in rows], sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def current_rows(order: WorkOrder, lines=None) -> list[dict]:
    """The order's lines as frozen in a version; ``lines``: the order's lines already read (any order)."""
    if lines is None:
        return [_line_row(line) for line in order.lines.order_by("position", "id")]
    return [_line_row(line) for line in sorted(lines, key=lambda line: (line.position, line.pk))]


def totals_dict(order: WorkOrder, lines=None) -> dict:
    lines = list(order.lines.all()) if lines is None else lines
    totals = pricing.order_totals(lines, vat_rate=order.station.vat_rate)
    return {
        "by_payer": {
            payer: {k: str(getattr(t, k)) for k in ("labour", "parts", "sublet", "discount", "net", "vat", "gross")}
            for payer, t in totals.by_payer.items()
        },
        "net": str(totals.net), "vat": str(totals.vat), "gross": str(totals.gross), "hours": str(totals.hours),
        "vat_rate": str(order.station.vat_rate),
    }


def latest_approved(order: WorkOrder, versions=None) -> EstimateVersion | None:
    """The last approved version; ``versions``: all the order's versions already read (none are read again)."""
    if versions is None:
        return order.estimate_versions.filter(approved_at__isnull=False).order_by("-number").first()
    return max((v for v in versions if v.approved_at is not None), key=lambda v: v.number, default=None)


def estimate_state(order: WorkOrder, *, lines=None, versions=None) -> str:
    """"unsigned" (never approved), "approved" (lines equal the last approved version) or "changed".

    A page that has already read the order's ``lines`` and its ``versions`` passes them: nothing is read again."""
    approved = latest_approved(order, versions)
    if approved is None:
        return "unsigned"
    return "approved" if approved.fingerprint == _fingerprint(current_rows(order, lines)) else "changed"


@transaction.atomic
def estimate_snapshot(*, order: WorkOrder, by: Staff, note: str = "", approval_channel: str | None = None,
                      approve_proposed: bool = True) -> EstimateVersion:
    """Freeze the current lines and totals as the next version.

    With ``approval_channel`` ("phone", "in_person" or "message") the customer has approved it through that channel,
    recorded by ``by`` now; lines still proposed become approved first (unless ``approve_proposed=False``).
    """
    order = WorkOrder.objects.select_for_update().get(pk=order.pk)
    if approval_channel is not None:
        if approval_channel not in APPROVAL_CHANNELS:
            raise DomainError(_("Unknown approval channel."), field="approval_channel")
        if approve_proposed:
            lines_approve_proposed(order=order, by=by)
        review_enforce(order=order, field="approval_channel")  # a larger total agreed again may need a new review
    version = _snapshot(order=order, by=by, note=note)
    if approval_channel is not None:
        version.approval_channel = approval_channel
        version.approved_by = by
        version.approved_at = timezone.now()
        version.save(update_fields=["approval_channel", "approved_by", "approved_at"])
        record_event(order=order, by=by, kind="estimate_approved",
                     note=_("Version %(n)d approved (%(channel)s). %(note)s")
                     % {"n": version.number, "channel": version.get_approval_channel_display(), "note": note})
    else:
        record_event(order=order, by=by, kind="estimate_version", note=_("Version %(n)d") % {"n": version.number})
    return version


def _snapshot(*, order: WorkOrder, by: Staff, note: str) -> EstimateVersion:
    lines = list(order.lines.order_by("position", "id"))
    rows = [_line_row(line) for line in lines]
    last = order.estimate_versions.order_by("-number").values_list("number", flat=True).first() or 0
    return EstimateVersion.objects.create(
        order=order, number=last + 1, lines=rows, totals=totals_dict(order, lines), fingerprint=_fingerprint(rows),
        note=note[:255], created_by=by,
    )


@transaction.atomic
def estimate_sign(*, order: WorkOrder, by: Staff, method: str, signature_png: bytes | None = None,
                  scan=None, note: str = "") -> EstimateVersion:
    """The customer signs the current estimate: drawn on the tablet (``signature_png``) or on paper (``scan``).

    Freezes that version, records order.signed_at and the promised completion time agreed at signature, and opens a
    draft order through the transition table.
    """
    if method not in SIGN_METHODS:
        raise DomainError(_("Unknown signing method."), field="method")
    if method in ("signature", "link") and not signature_png:
        raise DomainError(_("The customer has not signed on the screen yet."), field="signature")
    if method == "scan" and not scan:
        raise DomainError(_("Please upload the scan of the signed estimate."), field="scan")
    order = WorkOrder.objects.select_for_update().get(pk=order.pk)
    if order.status not in (WorkOrder.Status.DRAFT, WorkOrder.Status.OPEN, WorkOrder.Status.IN_PROGRESS,
                            WorkOrder.Status.QUALITY_CHECK):
        raise DomainError(_("This order can no longer be signed."))
    if not order.lines.exclude(approval=WorkOrderLine.Approval.DECLINED).exists():
        raise DomainError(_("The estimate has no lines yet."))

    if has_pending_approvals(order=order):
        raise DomainError(_("A discount is still waiting for approval."))
    lines_approve_proposed(order=order, by=by)
    review_enforce(order=order)  # first signature or again: the total signed may need the lead's (new) review
    version = _snapshot(order=order, by=by, note=note)
    now = timezone.now()
    version.approval_channel = method
    version.approved_by = by
    version.approved_at = now
    # Stored under random names (core.files.PrivateUploadTo); the picture is re-encoded, so whatever the caller
    # passes, what is kept is a clean PNG (the form has already refused what is not a picture, at the field).
    if signature_png:
        try:
            clean = signature_clean(signature_png)
        except ValidationError as exc:
            raise DomainError(exc.messages[0], field="signature") from exc
        version.signature.save(clean.name, clean, save=False)
    if scan:
        version.scan.save(getattr(scan, "name", "") or "scan", scan, save=False)
    version.save()
    order.signed_at = now
    order.promised_at_signed = order.promised_at
    order.save(update_fields=["signed_at", "promised_at_signed", "updated_at"])
    record_event(order=order, by=by, kind="estimate_signed",
                 note=_("Version %(n)d signed (%(method)s)") % {"n": version.number,
                                                                "method": version.get_approval_channel_display()})
    if order.status == WorkOrder.Status.DRAFT:
        work_order_transition(order=order, to=WorkOrder.Status.OPEN, by=by, note=_("Estimate signed"))
    return version
