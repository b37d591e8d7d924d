"""Purchasing: suggested orders (建议订单), purchase orders, receipts with moving-average cost, special orders
(特殊订货) put aside for their work order, receipt exceptions, supplier returns, exchanges and repairs."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.numbering import next_number
from core.numbers import MAX_QUANTITY, checked
from parts.models import (
    Part,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    ReceiptException,
    ReceiptLine,
    StockBalance,
    StockMove,
    Supplier,
    SupplierReturn,
    Warehouse,
)
from parts.selectors import current_part, usage_since
from parts.services.stock import (
    ZERO,
    event_record,
    locked_balance,
    reservation_adjust,
    stock_move_post,
    warehouse_main,
)

COVER_DAYS = 30  # a suggestion tops up to at least 30 days of 90-day average usage
OPEN_PO = [PurchaseOrder.Status.DRAFT, PurchaseOrder.Status.ORDERED, PurchaseOrder.Status.PARTLY_RECEIVED]


@dataclass
class Suggestion:
    part: Part
    on_hand: Decimal
    reserved: Decimal
    on_order: Decimal
    usage_90: Decimal
    min_qty: Decimal
    max_qty: Decimal
    quantity: Decimal

    @property
    def value(self) -> Decimal:
        return self.quantity * self.part.cost


def on_order_by_part(*, warehouse: Warehouse) -> dict[int, Decimal]:
    rows = (
        PurchaseOrderLine.objects.filter(order__warehouse=warehouse, order__status__in=OPEN_PO)
        .values("part_id")
        .annotate(total=Sum(F("quantity") - F("received_qty")))
    )
    return {r["part_id"]: max(r["total"], ZERO) for r in rows}


def suggested_order(*, station, warehouse: Warehouse | None = None, today=None) -> list[Suggestion]:
    """What to order now, per part (superseded parts roll into their successor).

    position = on hand − reserved + on order. Order when position ≤ minimum or below 30 days of usage; order up to
    max(maximum, 30 days of usage) − position, rounded up to whole units.
    """
    warehouse = warehouse or warehouse_main(station=station)
    usage = usage_since(station=station, days=90, today=today)
    on_order = on_order_by_part(warehouse=warehouse)
    grouped: dict[int, dict] = {}
    balances = StockBalance.objects.filter(warehouse=warehouse).select_related("part__superseded_by")
    for b in balances:
        target_part = current_part(b.part)
        if not target_part.is_active:
            continue
        g = grouped.setdefault(target_part.pk, {"part": target_part, "on_hand": ZERO, "reserved": ZERO, "usage": ZERO,
                                                "min": ZERO, "max": ZERO})
        g["on_hand"] += b.on_hand
        g["reserved"] += b.reserved
        g["usage"] += usage.get(b.part_id, ZERO)
        g["min"] = max(g["min"], b.min_qty)
        g["max"] = max(g["max"], b.max_qty)
    result = []
    for part_id, g in grouped.items():
        # Stock of a superseded number still counts for its successor.
        ordered = on_order.get(part_id, ZERO)
        position = g["on_hand"] - g["reserved"] + ordered
        cover = Decimal(math.ceil(g["usage"] / 90 * COVER_DAYS)) if g["usage"] > 0 else ZERO
        if g["min"] == 0 and cover == 0 and position >= 0:
            continue
        if position > g["min"] and position >= cover:
            continue
        target = max(g["max"], cover, g["min"] + 1 if g["min"] else ZERO)
        quantity = Decimal(math.ceil(target - position))
        if quantity <= 0:
            continue
        result.append(Suggestion(part=g["part"], on_hand=g["on_hand"], reserved=g["reserved"], on_order=ordered,
                                 usage_90=g["usage"], min_qty=g["min"], max_qty=g["max"], quantity=quantity))
    result.sort(key=lambda s: s.part.part_number)
    return result


@transaction.atomic
def purchase_order_create(*, station, supplier: Supplier, lines: list[dict], by, is_emergency: bool = False,
                          note: str = "", warehouse: Warehouse | None = None) -> PurchaseOrder:
    """lines: [{"part": Part, "quantity": Decimal, "unit_cost": Decimal?, "for_line": WorkOrderLine?}].

    Superseded parts are ordered under their current number. A line with ``for_line`` is a special order.
    """
    if supplier.station_id != station.pk:
        raise DomainError(_("This supplier belongs to another station."), field="supplier")
    if not supplier.is_active:
        raise DomainError(_("This supplier is no longer active."), field="supplier")
    if not lines:
        raise DomainError(_("Add at least one part to the order."))
    warehouse = warehouse or warehouse_main(station=station)
    order = PurchaseOrder.objects.create(
        station=station, warehouse=warehouse, supplier=supplier, is_emergency=is_emergency, note=note[:200],
        created_by=by, number=next_number(station=station, kind="parts_po", prefix="PO"),
    )
    for item in lines:
        quantity = checked(item["quantity"], field="quantity", max_value=MAX_QUANTITY)
        if quantity <= 0:
            raise DomainError(_("The quantity must be more than zero."), field="quantity")
        part = current_part(item["part"])
        if part.station_id != station.pk:
            raise DomainError(_("This part belongs to another station."))
        PurchaseOrderLine.objects.create(
            order=order, part=part, quantity=quantity, unit_cost=Decimal(item.get("unit_cost") or part.cost),
            for_line=item.get("for_line"),
        )
    event_record(station_id=station.pk, kind="purchase_order.created", by=by, reference=order.number,
                 note=f"{supplier.code} {len(lines)}")
    return order


def po_due_date(*, ordered_at, lead_days: int) -> date:
    """When the parts should be here: the (local) day the order was placed plus the supplier's lead time."""
    return timezone.localdate(ordered_at) + timedelta(days=lead_days)


@transaction.atomic
def purchase_order_place(*, order: PurchaseOrder, by) -> PurchaseOrder:
    order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != PurchaseOrder.Status.DRAFT:
        raise DomainError(_("Only a draft order can be placed."))
    order.status = PurchaseOrder.Status.ORDERED
    order.ordered_at = timezone.now()
    order.due_date = po_due_date(ordered_at=order.ordered_at, lead_days=order.supplier.lead_days)
    order.save(update_fields=["status", "ordered_at", "due_date", "updated_at"])
    event_record(station_id=order.station_id, kind="purchase_order.placed", by=by, reference=order.number)
    return order


@transaction.atomic
def purchase_order_cancel(*, order: PurchaseOrder, by) -> PurchaseOrder:
    order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    if order.status not in (PurchaseOrder.Status.DRAFT, PurchaseOrder.Status.ORDERED):
        raise DomainError(_("An order that has been received cannot be cancelled."))
    order.status = PurchaseOrder.Status.CANCELLED
    order.save(update_fields=["status", "updated_at"])
    event_record(station_id=order.station_id, kind="purchase_order.cancelled", by=by, reference=order.number)
    return order


@transaction.atomic
def purchase_order_receive(*, order: PurchaseOrder, by, quantities: dict[int, Decimal],
                           unit_costs: dict[int, Decimal] | None = None,
                           exceptions: list[dict] | None = None, delivery_note: str = "") -> Receipt:
    """Receive (part of) a purchase order. quantities: {po_line_id: qty received in good order}.

    Each received line posts a RECEIPT move at its unit cost (moving average updates). A special-order line's
    quantity is reserved for its work-order line. exceptions: [{"po_line": id, "kind": wrong|damaged|short,
    "quantity": q, "note": ""}] are logged against the receipt and not put into stock.
    """
    order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    if order.status not in (PurchaseOrder.Status.ORDERED, PurchaseOrder.Status.PARTLY_RECEIVED):
        raise DomainError(_("Only an order that has been placed can be received."))
    lines = {line.pk: line for line in order.lines.select_for_update(of=("self",)).select_related("part", "for_line")}
    unit_costs = unit_costs or {}
    receipt = Receipt.objects.create(order=order, by=by, delivery_note=delivery_note[:40])
    received_any = False
    for line_id, qty in quantities.items():
        qty = Decimal(qty or 0)
        if qty == 0:
            continue
        line = lines.get(int(line_id))
        if line is None:
            raise DomainError(_("This line is not on the order."))
        if qty < 0 or qty > line.outstanding:
            raise DomainError(
                _("%(part)s: receive between 0 and %(max)s.") % {"part": line.part.part_number, "max": line.outstanding},
                field="quantity",
            )
        cost = Decimal(unit_costs.get(line.pk) or line.unit_cost)
        balance = locked_balance(warehouse=order.warehouse, part=line.part)
        stock_move_post(
            warehouse=order.warehouse, part=line.part, kind=StockMove.Kind.RECEIPT, quantity=qty, by=by,
            unit_cost=cost, reference=order.number, reason=delivery_note, balance=balance,
        )
        ReceiptLine.objects.create(receipt=receipt, po_line=line, quantity=qty, unit_cost=cost)
        line.received_qty += qty
        line.save(update_fields=["received_qty"])
        received_any = True
        if line.for_line_id:
            # 特殊订货: put the parts aside for the order they were bought for.
            from parts.models import Reservation

            res = Reservation.objects.filter(line=line.for_line, warehouse=order.warehouse, part=line.part).first()
            already = res.quantity if res else ZERO
            reservation_adjust(line=line.for_line, warehouse=order.warehouse, part=line.part, balance=balance,
                               target=already + qty, special=True, by=by)
    for exc in exceptions or []:
        line = lines.get(int(exc["po_line"]))
        if line is None:
            raise DomainError(_("This line is not on the order."))
        if exc["kind"] not in ReceiptException.Kind.values:
            raise DomainError(_("Unknown exception type."))
        ReceiptException.objects.create(receipt=receipt, po_line=line, kind=exc["kind"],
                                        quantity=Decimal(exc.get("quantity") or 0), note=exc.get("note", "")[:200])
    if not received_any and not exceptions:
        raise DomainError(_("Enter at least one received quantity or exception."))
    done = all(line.received_qty >= line.quantity for line in lines.values())
    order.status = PurchaseOrder.Status.RECEIVED if done else PurchaseOrder.Status.PARTLY_RECEIVED
    order.save(update_fields=["status", "updated_at"])
    event_record(station_id=order.station_id, kind="purchase_order.received", by=by, reference=order.number,
                 note=f"{order.status} {len(exceptions or [])}")
    return receipt


@transaction.atomic
def supplier_return_create(*, supplier: Supplier, part: Part, quantity: Decimal, kind: str, reason: str, by,
                           warehouse: Warehouse | None = None, receipt: Receipt | None = None) -> SupplierReturn:
    """退换货 / 配件返修: the parts leave stock now (a move), and come back on close for exchange or repair."""
    if kind not in SupplierReturn.Kind.values:
        raise DomainError(_("Unknown return type."), field="kind")
    if not reason.strip():
        raise DomainError(_("Say why the parts go back."), field="reason")
    quantity = Decimal(quantity)
    if quantity <= 0:
        raise DomainError(_("The quantity must be more than zero."), field="quantity")
    warehouse = warehouse or warehouse_main(station=part.station)
    move_kind = StockMove.Kind.REPAIR_OUT if kind == SupplierReturn.Kind.REPAIR else StockMove.Kind.SUPPLIER_RETURN
    ret = SupplierReturn.objects.create(
        station_id=part.station_id, warehouse=warehouse, supplier=supplier, part=part, quantity=quantity, kind=kind,
        reason=reason[:200], receipt=receipt, by=by,
    )
    stock_move_post(warehouse=warehouse, part=part, kind=move_kind, quantity=-quantity, by=by,
                    reference=f"RT{ret.pk}", reason=reason)
    return ret


@transaction.atomic
def supplier_return_close(*, ret: SupplierReturn, by, quantity_back: Decimal = ZERO) -> SupplierReturn:
    """Close a return; for an exchange or repair, ``quantity_back`` parts come back into stock at current cost."""
    ret = SupplierReturn.objects.select_for_update().get(pk=ret.pk)
    if ret.status != SupplierReturn.Status.SENT:
        raise DomainError(_("This return is already closed."))
    quantity_back = Decimal(quantity_back or 0)
    if quantity_back < 0 or quantity_back > ret.quantity:
        raise DomainError(_("Between 0 and the quantity sent can come back."), field="quantity_back")
    if quantity_back and ret.kind == SupplierReturn.Kind.RETURN:
        raise DomainError(_("Parts returned for credit do not come back."), field="quantity_back")
    if quantity_back:
        stock_move_post(warehouse=ret.warehouse, part=ret.part, kind=StockMove.Kind.REPAIR_IN, quantity=quantity_back,
                        by=by, reference=f"RT{ret.pk}", reason=ret.get_kind_display())
    ret.status = SupplierReturn.Status.CLOSED
    ret.closed_at = timezone.now()
    ret.save(update_fields=["status", "closed_at"])
    event_record(station_id=ret.station_id, kind="supplier_return.closed", by=by, part=ret.part,
                 reference=f"RT{ret.pk}", note=str(quantity_back))
    return ret
