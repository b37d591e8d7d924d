"""Technicians' parts requests from a job (the workshop calls ``parts_request_create``)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from parts.models import PartsRequest
from parts.services.demand import is_part_line
from parts.services.stock import event_record


@transaction.atomic
def parts_request_create(*, line, by, quantity: Decimal, note: str = "") -> PartsRequest:
    if not is_part_line(line):
        raise DomainError(_("Parts can only be requested for a part line."))
    quantity = Decimal(quantity)
    if quantity <= 0:
        raise DomainError(_("The quantity must be more than zero."), field="quantity")
    if line.order.status in ("settled", "delivered", "cancelled"):
        raise DomainError(_("This work order is closed."))
    request = PartsRequest.objects.create(
        station_id=line.order.station_id, line=line, quantity=quantity, note=note[:200], requested_by=by
    )
    event_record(station_id=request.station_id, kind="request.created", by=by, part=line.part, line=line,
                 reference=line.order.number, note=f"{quantity} {note}")
    return request


@transaction.atomic
def parts_request_cancel(*, request: PartsRequest, by) -> PartsRequest:
    if request.status != PartsRequest.Status.OPEN:
        raise DomainError(_("This request is no longer open."))
    request.status = PartsRequest.Status.CANCELLED
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at"])
    event_record(station_id=request.station_id, kind="request.cancelled", by=by, line=request.line)
    return request
