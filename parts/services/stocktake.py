"""Stocktake (盘点): count sheets by bin, blind count, variance report, approval by the parts lead, adjustments."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.numbering import next_number
from org import permissions as perm
from parts.models import StockBalance, StockMove, Stocktake, StocktakeLine, Warehouse
from parts.services.stock import event_record, locked_balance, stock_move_post


@transaction.atomic
def stocktake_create(*, warehouse: Warehouse, by, bin_prefix: str = "", blind: bool = True) -> Stocktake:
    """Open a count of the bins starting with ``bin_prefix``; book quantities are frozen now."""
    bin_prefix = bin_prefix.strip().upper()
    balances = StockBalance.objects.filter(warehouse=warehouse).select_related("part")
    if bin_prefix:
        balances = balances.filter(bin_location__startswith=bin_prefix)
    balances = balances.exclude(on_hand=0, part__is_active=False)
    if not balances.exists():
        raise DomainError(_("No stock in those bins."), field="bin_prefix")
    take = Stocktake.objects.create(
        station_id=warehouse.station_id, warehouse=warehouse, bin_prefix=bin_prefix, is_blind=blind, created_by=by,
        number=next_number(station=warehouse.station, kind="parts_stocktake", prefix="PD"),
    )
    StocktakeLine.objects.bulk_create(
        StocktakeLine(stocktake=take, part=b.part, bin_location=b.bin_location, expected_qty=b.on_hand,
                      unit_cost=b.part.cost)
        for b in balances
    )
    event_record(station_id=take.station_id, kind="stocktake.created", by=by, reference=take.number, note=bin_prefix)
    return take


@transaction.atomic
def stocktake_count(*, stocktake: Stocktake, counts: dict[int, Decimal], by) -> Stocktake:
    """Record counted quantities {stocktake line id: counted}."""
    if stocktake.status != Stocktake.Status.COUNTING:
        raise DomainError(_("This stocktake is no longer being counted."))
    lines = {line.pk: line for line in stocktake.lines.select_for_update()}
    for line_id, qty in counts.items():
        if qty is None or qty == "":
            continue
        qty = Decimal(qty)
        if qty < 0:
            raise DomainError(_("A count cannot be negative."), field="counted_qty")
        line = lines.get(int(line_id))
        if line is None:
            raise DomainError(_("This line is not on the count sheet."))
        line.counted_qty = qty
        line.counted_by = by
        line.save(update_fields=["counted_qty", "counted_by"])
    return stocktake


@transaction.atomic
def stocktake_submit(*, stocktake: Stocktake, by) -> Stocktake:
    if stocktake.status != Stocktake.Status.COUNTING:
        raise DomainError(_("This stocktake is no longer being counted."))
    if stocktake.lines.filter(counted_qty__isnull=True).exists():
        raise DomainError(_("Count every line before submitting."))
    stocktake.status = Stocktake.Status.SUBMITTED
    stocktake.save(update_fields=["status"])
    event_record(station_id=stocktake.station_id, kind="stocktake.submitted", by=by, reference=stocktake.number)
    return stocktake


@transaction.atomic
def stocktake_approve(*, stocktake: Stocktake, by) -> int:
    """The parts lead approves: every variance is posted as an adjustment move. Returns the number of moves."""
    if not perm.has_action(by, perm.PARTS_APPROVE):
        raise DomainError(_("Only the parts lead can approve a stocktake."))
    stocktake = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
    if stocktake.status != Stocktake.Status.SUBMITTED:
        raise DomainError(_("Only a submitted stocktake can be approved."))
    posted = 0
    for line in stocktake.lines.select_related("part").order_by("part_id"):
        variance = line.variance
        if not variance:
            continue
        balance = locked_balance(warehouse=stocktake.warehouse, part=line.part)
        stock_move_post(
            warehouse=stocktake.warehouse, part=line.part, kind=StockMove.Kind.ADJUSTMENT, quantity=variance, by=by,
            reference=stocktake.number, reason=_("Stocktake variance"), balance=balance,
        )
        posted += 1
    stocktake.status = Stocktake.Status.POSTED
    stocktake.approved_by = by
    stocktake.approved_at = timezone.now()
    stocktake.save(update_fields=["status", "approved_by", "approved_at"])
    event_record(station_id=stocktake.station_id, kind="stocktake.approved", by=by, reference=stocktake.number,
                 note=str(posted))
    return posted


def variance_report(*, stocktake: Stocktake) -> dict:
    lines = list(stocktake.lines.select_related("part"))
    rows = [line for line in lines if line.variance]
    gain = sum((line.variance * line.unit_cost for line in rows if line.variance > 0), Decimal("0"))
    loss = sum((line.variance * line.unit_cost for line in rows if line.variance < 0), Decimal("0"))
    return {"rows": rows, "lines": len(lines), "gain": gain, "loss": loss, "net": gain + loss}
