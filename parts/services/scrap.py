"""Scrap (报废): the parts department asks, the station manager decides; approval posts a scrap move."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from org import permissions as perm
from parts.models import Part, ScrapRequest, StockMove, Warehouse
from parts.selectors import available_quantity
from parts.services.stock import event_record, stock_move_post, warehouse_main


@transaction.atomic
def scrap_request_create(*, part: Part, quantity: Decimal, reason: str, by,
                         warehouse: Warehouse | None = None) -> ScrapRequest:
    quantity = Decimal(quantity)
    if quantity <= 0:
        raise DomainError(_("The quantity must be more than zero."), field="quantity")
    if not reason.strip():
        raise DomainError(_("Say why the parts are scrapped."), field="reason")
    warehouse = warehouse or warehouse_main(station=part.station)
    if quantity > available_quantity(part=part, warehouse=warehouse):
        raise DomainError(_("There is not that much free stock."), field="quantity")
    request = ScrapRequest.objects.create(station_id=part.station_id, warehouse=warehouse, part=part,
                                          quantity=quantity, reason=reason[:200], requested_by=by)
    event_record(station_id=part.station_id, kind="scrap.requested", by=by, part=part, reference=f"BF{request.pk}",
                 note=f"{quantity} {reason}")
    return request


@transaction.atomic
def scrap_request_decide(*, request: ScrapRequest, by, approve: bool) -> ScrapRequest:
    if not perm.has_action(by, perm.PARTS_APPROVE_SCRAP):
        raise DomainError(_("Only the station manager can approve scrap."))
    request = ScrapRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ScrapRequest.Status.REQUESTED:
        raise DomainError(_("This scrap request has already been decided."))
    if approve:
        stock_move_post(warehouse=request.warehouse, part=request.part, kind=StockMove.Kind.SCRAP,
                        quantity=-request.quantity, by=by, reference=f"BF{request.pk}", reason=request.reason)
    request.status = ScrapRequest.Status.APPROVED if approve else ScrapRequest.Status.REJECTED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    event_record(station_id=request.station_id, kind="scrap.approved" if approve else "scrap.rejected", by=by, part=request.part,
                 reference=f"BF{request.pk}")
    return request
