"""Review of large orders (大额工单审核): an estimate whose gross total is above the station's threshold (default
¥10,000) is reviewed by the front-desk lead before the customer signs it.

A review records who, when and the gross amount reviewed. Every time the customer is asked to sign — the first
signature, a re-signature of a changed estimate, an approval of additional work by phone or message — the total
they agree to is checked (``review_enforce``, called by ``estimates`` once the proposed lines are approved, inside
the signing transaction): above the threshold and above every amount reviewed so far, a new review is needed, and
signing is refused at the field. A total lowered after a review needs none. The signing transition (draft → open)
also carries the check as a guard, registered in ReceptionConfig.ready through core's registry.
"""

from __future__ import annotations

import copy
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import money_text
from org.models import Position
from reception.models import OrderReview, OrderReviewSettings, WorkOrder, WorkOrderLine
from reception.services import pricing
from reception.services.workflow import record_event


def review_threshold(station) -> Decimal:
    row = OrderReviewSettings.objects.filter(station=station).first()
    return row.threshold if row else OrderReviewSettings.DEFAULT_THRESHOLD


@transaction.atomic
def review_threshold_set(*, station, by, threshold: Decimal) -> OrderReviewSettings:
    if threshold < 0:
        raise DomainError(_("Enter an amount of 0 or more."), field="threshold")
    row, _created = OrderReviewSettings.objects.update_or_create(station=station, defaults={"threshold": threshold})
    return row


SIGNABLE = (WorkOrder.Status.DRAFT, WorkOrder.Status.OPEN, WorkOrder.Status.IN_PROGRESS,
            WorkOrder.Status.QUALITY_CHECK)


def order_gross(order: WorkOrder, *, with_proposed: bool = False, lines=None) -> Decimal:
    """The order's gross total: its approved lines, and with ``with_proposed`` also the lines awaiting the customer's
    approval — the total the customer is about to sign. ``lines``: the order's lines already read (left unchanged)."""
    if lines is None:
        lines = list(order.lines.exclude(approval=WorkOrderLine.Approval.DECLINED))
    else:
        lines = [copy.copy(line) for line in lines if line.approval != WorkOrderLine.Approval.DECLINED]
    if with_proposed:
        for line in lines:
            line.approval = WorkOrderLine.Approval.APPROVED  # in memory only: priced as if signed
    return pricing.order_totals(lines, vat_rate=order.station.vat_rate).gross


def reviewed_amount(order: WorkOrder) -> Decimal | None:
    """The highest gross amount the front-desk lead has reviewed for this order (None: never reviewed)."""
    return OrderReview.objects.filter(order=order).aggregate(top=Max("amount"))["top"]


def _review_state(order: WorkOrder, *, with_proposed: bool, lines=None) -> tuple[Decimal | None, Decimal, Decimal | None]:
    """The one rule: (the gross amount to review — above the threshold and above every amount reviewed — or None, the
    threshold, the highest amount reviewed: read only when the total is above the threshold)."""
    threshold = review_threshold(order.station)
    gross = order_gross(order, with_proposed=with_proposed, lines=lines)
    if not threshold or gross <= threshold:
        return None, threshold, None
    reviewed = reviewed_amount(order)
    return (gross if reviewed is None or gross > reviewed else None), threshold, reviewed


def review_needed(order: WorkOrder, *, with_proposed: bool = True) -> Decimal | None:
    """The gross amount to review when signing it needs a review not yet done, else None."""
    return _review_state(order, with_proposed=with_proposed)[0]


def review_banner(order: WorkOrder, *, lines=None) -> dict:
    """What the order page's large-order banner shows: ``review_amount`` (the amount to review before the customer
    signs, as ``review_needed``; None when no review is needed), ``review_threshold`` and ``reviewed_amount`` (when a
    review is needed: the highest amount reviewed so far). ``lines``: the order's lines already read."""
    if order.status not in SIGNABLE:
        return {"review_amount": None, "review_threshold": review_threshold(order.station), "reviewed_amount": None}
    amount, threshold, reviewed = _review_state(order, with_proposed=True, lines=lines)
    return {"review_amount": amount, "review_threshold": threshold, "reviewed_amount": reviewed if amount else None}


def review_enforce(*, order: WorkOrder, field: str = "method") -> None:
    """Refuse the customer's signature (first or again) over a total above the threshold that no review covers.

    Called once the lines being agreed are approved, inside the signing transaction, so a refusal undoes them."""
    amount, threshold, reviewed = _review_state(order, with_proposed=False)
    if amount is not None:
        values = {"amount": money_text(amount), "threshold": money_text(threshold)}
        if reviewed is None:
            message = _("This estimate (%(amount)s) is above %(threshold)s: the front-desk lead must review it "
                        "before the customer signs.") % values
        else:
            message = _("This estimate (%(amount)s) is above %(threshold)s and above the %(reviewed)s the front-desk "
                        "lead reviewed: it must be reviewed again before the customer signs.") % {
                **values, "reviewed": money_text(reviewed)}
        raise DomainError(message, field=field)


@transaction.atomic
def order_review_record(*, order: WorkOrder, by, note: str = "") -> OrderReview:
    order = WorkOrder.objects.select_for_update().get(pk=order.pk)
    if by.position != Position.FRONT_DESK_LEAD or by.station_id != order.station_id:
        raise DomainError(_("Only the front-desk lead of this station reviews large orders."))
    if order.status not in SIGNABLE:
        raise DomainError(_("Only an estimate the customer can still sign is reviewed."))
    gross = order_gross(order, with_proposed=True)
    review = OrderReview.objects.create(order=order, amount=gross, by=by, note=note[:200])
    record_event(order=order, by=by, kind="large_order_reviewed", note=money_text(gross))
    return review


def large_order_reviewed(*, order, by) -> None:
    """Guard on draft → open (the customer signs): a large estimate needs the front-desk lead's review first."""
    review_enforce(order=order)
