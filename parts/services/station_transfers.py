"""Transfers between stations of the same group (站间调拨).

A transfer is drafted at the source station with its lines (the source's parts), shipped there — stock out of the
source's main warehouse through ``stock_move_post`` (never below zero or below what is reserved) — and received at
the destination: stock in at its main warehouse, under the destination's part of the same number and brand, at the
cost it left the source. Each step is recorded on the document (who, when) and as a parts event at that station.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.numbering import next_number
from core.numbers import MAX_QUANTITY, checked
from parts.models import Part, StationTransfer, StationTransferLine, StockMove
from parts.services.stock import event_record, stock_move_post, warehouse_main

S = StationTransfer.Status


@transaction.atomic
def station_transfer_create(*, from_station, to_station, lines: list[dict], by, note: str = "") -> StationTransfer:
    """lines: [{"part": Part of from_station, "quantity": Decimal}]."""
    if to_station is None or to_station.pk == from_station.pk:
        raise DomainError(_("Choose another station to transfer to."), field="to_station")
    if to_station.group_id != from_station.group_id:
        raise DomainError(_("Parts are transferred only between stations of the same group."), field="to_station")
    if not lines:
        raise DomainError(_("Add at least one part."), field="lines")
    clean = []
    for row in lines:
        part = row["part"]
        if part.station_id != from_station.pk:
            raise DomainError(_("This part belongs to another station."), field="lines")
        quantity = checked(row["quantity"], field="lines", min_value=Decimal("0.01"), max_value=MAX_QUANTITY)
        clean.append((part, quantity))
    transfer = StationTransfer.objects.create(
        number=next_number(station=from_station, kind="parts_transfer", prefix="DB"),
        from_station=from_station, to_station=to_station, created_by=by, note=note[:200])
    StationTransferLine.objects.bulk_create(
        StationTransferLine(transfer=transfer, part=part, quantity=qty) for part, qty in clean)
    event_record(station_id=from_station.pk, kind="station_transfer.created", by=by, reference=transfer.number,
                 note=f"→ {to_station}")
    return transfer


@transaction.atomic
def station_transfer_ship(*, transfer: StationTransfer, station, by) -> StationTransfer:
    transfer = StationTransfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.from_station_id != station.pk:
        raise DomainError(_("Only the sending station ships this transfer."))
    if transfer.status != S.DRAFT:
        raise DomainError(_("This transfer has already been shipped."))
    warehouse = warehouse_main(station=transfer.from_station)
    for line in transfer.lines.select_related("part").order_by("part_id"):  # a fixed order: no deadlock
        move = stock_move_post(warehouse=warehouse, part=line.part, kind=StockMove.Kind.TRANSFER_OUT,
                               quantity=-line.quantity, by=by, reference=transfer.number,
                               reason=str(transfer.to_station))
        line.unit_cost = move.unit_cost
        line.save(update_fields=["unit_cost"])
    transfer.status, transfer.shipped_by, transfer.shipped_at = S.SHIPPED, by, timezone.now()
    transfer.save(update_fields=["status", "shipped_by", "shipped_at"])
    event_record(station_id=transfer.from_station_id, kind="station_transfer.shipped", by=by,
                 reference=transfer.number)
    return transfer


@transaction.atomic
def station_transfer_receive(*, transfer: StationTransfer, station, by) -> StationTransfer:
    transfer = StationTransfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.to_station_id != station.pk:
        raise DomainError(_("Only the receiving station receives this transfer."))
    if transfer.status != S.SHIPPED:
        raise DomainError(_("Only a shipped transfer can be received."))
    lines = list(transfer.lines.select_related("part").order_by("part_id"))
    targets = {(p.part_number, p.brand): p for p in Part.objects.filter(
        station_id=transfer.to_station_id, part_number__in=[line.part.part_number for line in lines])}
    warehouse = warehouse_main(station=transfer.to_station)
    for line in lines:
        part = targets.get((line.part.part_number, line.part.brand))
        if part is None:
            raise DomainError(_("%(part)s is not in this station's catalogue: add it first.")
                              % {"part": line.part.part_number})
        stock_move_post(warehouse=warehouse, part=part, kind=StockMove.Kind.TRANSFER_IN, quantity=line.quantity,
                        by=by, unit_cost=line.unit_cost, reference=transfer.number,
                        reason=str(transfer.from_station))
    transfer.status, transfer.received_by, transfer.received_at = S.RECEIVED, by, timezone.now()
    transfer.save(update_fields=["status", "received_by", "received_at"])
    event_record(station_id=transfer.to_station_id, kind="station_transfer.received", by=by,
                 reference=transfer.number)
    return transfer
