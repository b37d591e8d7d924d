"""Review of large orders (大额工单审核): an estimate whose gross total is above the station's threshold (default
¥10,000) is reviewed by the front-desk lead before the customer signs it.

The check is a guard on the signing transition (draft → open, registered in ReceptionConfig.ready through core's
registry): signing is refused at the "how" field until a review covers the current amount. A review records who,
when and the amount reviewed; an estimate that grows above that amount needs a new review.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import money_text
from org.models import Position
from reception.models import OrderReview, OrderReviewSettings, WorkOrder
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


def order_gross(order: WorkOrder) -> Decimal:
    return pricing.order_totals(list(order.lines.all()), vat_rate=order.station.vat_rate).gross


def review_needed(order: WorkOrder) -> Decimal | None:
    """The gross amount to review when the order needs a review not yet done, else None."""
    threshold = review_threshold(order.station)
    gross = order_gross(order)
    if not threshold or gross <= threshold:
        return None
    if OrderReview.objects.filter(order=order, amount__gte=gross).exists():
        return None
    return gross


@transaction.atomic
def order_review_record(*, order: WorkOrder, by, note: str = "") -> OrderReview:
    order = WorkOrder.objects.select_for_update().get(pk=order.pk)
    if by.position != Position.FRONT_DESK_LEAD or by.station_id != order.station_id:
        raise DomainError(_("Only the front-desk lead of this station reviews large orders."))
    if order.status != WorkOrder.Status.DRAFT:
        raise DomainError(_("Only an estimate not yet signed is reviewed."))
    gross = order_gross(order)
    review = OrderReview.objects.create(order=order, amount=gross, by=by, note=note[:200])
    record_event(order=order, by=by, kind="large_order_reviewed", note=money_text(gross))
    return review


def large_order_reviewed(*, order, by) -> None:
    """Guard on draft → open (the customer signs): a large estimate needs the front-desk lead's review first."""
    amount = review_needed(order)
    if amount is not None:
        raise DomainError(
            _("This estimate (%(amount)s) is above %(threshold)s: the front-desk lead must review it before the "
              "customer signs.") % {"amount": money_text(amount), "threshold": money_text(review_threshold(order.station))},
            field="method")
