"""Stock moves and balances: the only code that changes on-hand or reserved quantities.

Every change locks the StockBalance row (SELECT … FOR UPDATE) first, so concurrent clerks queue on the row and the
checks below see the committed numbers; the database constraints on StockBalance are the last line of defence.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from parts.models import Part, PartsEvent, Reservation, StockBalance, StockMove, Warehouse

ZERO = Decimal("0")
# Incoming moves that carry a purchase or issue cost and so move the moving-average cost.
COSTED_IN = {StockMove.Kind.RECEIPT, StockMove.Kind.RETURN, StockMove.Kind.OPENING}


def event_record(*, station_id: int, kind: str, by, part=None, line=None, reference: str = "", note: str = "",
                 at=None) -> None:
    """One audit row (who, when, what) for a change that is not a stock move."""
    PartsEvent.objects.create(station_id=station_id, kind=kind, part=part, line=line, reference=str(reference)[:40],
                              note=str(note)[:200], by=by, at=at or timezone.now())


def warehouse_main(*, station) -> Warehouse:
    """The station's main warehouse, created on first use."""
    wh = Warehouse.objects.filter(station=station, is_main=True).first()
    if wh is not None:
        return wh
    try:
        with transaction.atomic():
            return Warehouse.objects.create(station=station, code="MAIN", name=_("Main warehouse"), is_main=True)
    except IntegrityError:
        return Warehouse.objects.get(station=station, is_main=True)


def locked_balance(*, warehouse: Warehouse, part: Part) -> StockBalance:
    """The balance row of this part in this warehouse, locked for the rest of the transaction (created if new)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("locked_balance must run inside a transaction")
    balance = StockBalance.objects.select_for_update().filter(warehouse=warehouse, part=part).first()
    if balance is None:
        try:
            with transaction.atomic():
                StockBalance.objects.create(warehouse=warehouse, part=part, station_id=warehouse.station_id)
        except IntegrityError:
            pass  # created by someone else a moment ago
        balance = StockBalance.objects.select_for_update().get(warehouse=warehouse, part=part)
    return balance


def quantity_text(value) -> str:
    """A quantity as a message shows it: 1, 1.5, 12 — the same on every database (SQLite drops the column's scale)."""
    return f"{Decimal(value).normalize():f}"


def _check_quantity(quantity: Decimal, field: str = "quantity") -> Decimal:
    quantity = Decimal(quantity)
    if quantity <= 0:
        raise DomainError(_("The quantity must be more than zero."), field=field)
    return quantity


@transaction.atomic
def stock_move_post(
    *,
    warehouse: Warehouse,
    part: Part,
    kind: str,
    quantity: Decimal,
    by,
    unit_cost: Decimal | None = None,
    line=None,
    reference: str = "",
    reason: str = "",
    at=None,
    balance: StockBalance | None = None,
) -> StockMove:
    """Post one signed movement and move the balance with it, in the same transaction.

    Refuses to take on-hand below zero, or below what is reserved for work orders (an issue releases its own
    reservation before it posts). Incoming costed moves update the part's moving-average cost.
    """
    quantity = Decimal(quantity)
    if quantity == 0:
        raise DomainError(_("The quantity must not be zero."), field="quantity")
    if part.station_id != warehouse.station_id:
        raise DomainError(_("This part belongs to another station."))
    balance = balance or locked_balance(warehouse=warehouse, part=part)
    new_on_hand = balance.on_hand + quantity
    if new_on_hand < 0:
        raise DomainError(
            _("Not enough stock of %(part)s: %(on_hand)s on hand, %(wanted)s wanted.")
            % {"part": part.part_number, "on_hand": quantity_text(balance.on_hand), "wanted": quantity_text(-quantity)},
            field="quantity",
        )
    if new_on_hand < balance.reserved:
        raise DomainError(
            _("%(part)s: only %(free)s are free; the rest is reserved for work orders.")
            % {"part": part.part_number, "free": quantity_text(balance.on_hand - balance.reserved)},
            field="quantity",
        )
    if quantity > 0 and kind in COSTED_IN and unit_cost is not None:
        _update_moving_average(part=part, quantity=quantity, unit_cost=Decimal(unit_cost))
    else:  # the cost as stored now (the instance may have been read before another move changed it)
        part.cost = Part.objects.values_list("cost", flat=True).get(pk=part.pk)
    cost = Decimal(unit_cost) if unit_cost is not None else part.cost
    balance.on_hand = new_on_hand
    fields = ["on_hand"]
    if kind == StockMove.Kind.ISSUE:
        balance.last_issue_at = at or timezone.now()
        fields.append("last_issue_at")
    balance.save(update_fields=fields)
    return StockMove.objects.create(
        station_id=warehouse.station_id,
        warehouse=warehouse,
        part=part,
        kind=kind,
        quantity=quantity,
        unit_cost=cost,
        balance_after=new_on_hand,
        cost_after=part.cost,
        line=line,
        reference=reference[:40],
        reason=reason[:200],
        by=by,
        at=at or timezone.now(),
    )


def _update_moving_average(*, part: Part, quantity: Decimal, unit_cost: Decimal) -> None:
    """cost := (stock × cost + quantity × unit cost) ÷ (stock + quantity), over the station's warehouses."""
    locked = Part.objects.select_for_update().get(pk=part.pk)
    on_hand = StockBalance.objects.filter(part=part).aggregate(s=Sum("on_hand"))["s"] or ZERO
    total = on_hand + quantity
    if total > 0:
        new_cost = ((on_hand * locked.cost + quantity * unit_cost) / total).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP
        )
    else:
        new_cost = unit_cost
    Part.objects.filter(pk=part.pk).update(cost=new_cost)
    part.cost = new_cost


@transaction.atomic
def stock_transfer(*, part: Part, source: Warehouse, target: Warehouse, quantity: Decimal, by, reason: str = "") -> None:
    quantity = _check_quantity(quantity)
    if source.pk == target.pk:
        raise DomainError(_("Choose a different warehouse to transfer to."), field="target")
    # Lock in a fixed order so two opposite transfers cannot deadlock.
    first, second = sorted([source, target], key=lambda w: w.pk)
    balances = {w.pk: locked_balance(warehouse=w, part=part) for w in (first, second)}
    stock_move_post(
        warehouse=source, part=part, kind=StockMove.Kind.TRANSFER_OUT, quantity=-quantity, by=by, reason=reason,
        reference=target.code, balance=balances[source.pk],
    )
    stock_move_post(
        warehouse=target, part=part, kind=StockMove.Kind.TRANSFER_IN, quantity=quantity, by=by, reason=reason,
        reference=source.code, balance=balances[target.pk],
    )


def reservation_adjust(*, line, warehouse: Warehouse, part: Part, balance: StockBalance, target: Decimal,
                       special: bool = False, by=None) -> Reservation:
    """Set the line's reservation in this warehouse to ``target`` (balance must be locked by the caller)."""
    res, _created = Reservation.objects.select_for_update().get_or_create(
        line=line, warehouse=warehouse, part=part, defaults={"quantity": ZERO}
    )
    delta = target - res.quantity
    if delta == 0:
        return res
    if delta > balance.on_hand - balance.reserved:
        raise DomainError(_("Not enough free stock to reserve."), field="quantity")
    balance.reserved += delta
    balance.save(update_fields=["reserved"])
    res.quantity = target
    if special:
        res.is_special_order = True
    res.save(update_fields=["quantity", "is_special_order", "updated_at"])
    event_record(station_id=warehouse.station_id, kind="reservation", by=by, part=part, line=line,
                 reference=line.order.number, note=f"{delta:+} → {target}")
    return res
