"""The parts counter: issue to and return from a work order's part lines; lost sales."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from parts.models import LostSale, Part, PartsRequest, Reservation, StockMove
from parts.services.demand import is_part_line, net_issued
from parts.services.stock import (
    ZERO,
    event_record,
    locked_balance,
    quantity_text,
    reservation_adjust,
    stock_move_post,
    warehouse_main,
)

ISSUABLE_STATUSES = {"open", "in_progress", "quality_check", "ready"}


def _check_line(line) -> None:
    if not is_part_line(line):
        raise DomainError(_("Only part lines can be issued."))
    if line.order.status not in ISSUABLE_STATUSES:
        raise DomainError(_("Parts can only be issued to an open work order."))
    if line.approval == "declined":
        raise DomainError(_("The customer declined this line."))


@transaction.atomic
def parts_issue(*, line, quantity: Decimal, by, warehouse=None) -> StockMove:
    """Issue stock to a work-order line: uses the line's own reservation first, then free stock.

    Sets the line's unit_cost to the part's moving-average cost at the moment of issue.
    """
    quantity = Decimal(quantity)
    if quantity <= 0:
        raise DomainError(_("The quantity must be more than zero."), field="quantity")
    _check_line(line)
    part = line.part
    warehouse = warehouse or warehouse_main(station=line.order.station)
    balance = locked_balance(warehouse=warehouse, part=part)
    if net_issued(line) + quantity > line.quantity:
        raise DomainError(
            _("The line asks for %(wanted)s; %(issued)s already issued.")
            % {"wanted": quantity_text(line.quantity), "issued": quantity_text(net_issued(line))},
            field="quantity",
        )
    res = Reservation.objects.filter(line=line, warehouse=warehouse, part=part).first()
    own = res.quantity if res else ZERO
    if quantity > balance.on_hand - balance.reserved + own:
        raise DomainError(
            _("Not enough free stock of %(part)s: %(free)s available.")
            % {"part": part.part_number, "free": quantity_text(balance.on_hand - balance.reserved + own)},
            field="quantity",
        )
    if own:
        reservation_adjust(line=line, warehouse=warehouse, part=part, balance=balance, target=max(own - quantity, ZERO),
                           by=by)
    move = stock_move_post(
        warehouse=warehouse, part=part, kind=StockMove.Kind.ISSUE, quantity=-quantity, by=by, line=line,
        reference=line.order.number, balance=balance,
    )
    line.unit_cost = part.cost
    line.save(update_fields=["unit_cost", "updated_at"])
    if net_issued(line) >= line.quantity:
        PartsRequest.objects.filter(line=line, status=PartsRequest.Status.OPEN).update(
            status=PartsRequest.Status.ISSUED, closed_at=timezone.now()
        )
    return move


@transaction.atomic
def parts_issue_all(*, order, by, warehouse=None) -> tuple[list[StockMove], list]:
    """Issue every part line of the order what it still needs, as far as free stock goes ("issue all").

    Each line goes through ``parts_issue`` (its own reservation first, a stock move with who and when), so stock never
    goes below zero: a line short of stock gets what there is and is returned in ``short`` (line, quantity missing).
    Returns (the stock moves made, the lines left short).
    """
    if order.status not in ISSUABLE_STATUSES:
        raise DomainError(_("Parts can only be issued to an open work order."))
    warehouse = warehouse or warehouse_main(station=order.station)
    moves, short = [], []
    lines = order.lines.filter(kind="part", part__isnull=False).exclude(approval="declined").select_related(
        "part", "order__station").order_by("position", "id")
    for line in lines:
        outstanding = line.quantity - net_issued(line)
        if outstanding <= 0:
            continue
        balance = locked_balance(warehouse=warehouse, part=line.part)
        res = Reservation.objects.filter(line=line, warehouse=warehouse, part=line.part).first()
        free = max(balance.on_hand - balance.reserved + (res.quantity if res else ZERO), ZERO)
        quantity = min(outstanding, free)
        if quantity > 0:
            moves.append(parts_issue(line=line, quantity=quantity, by=by, warehouse=warehouse))
        if quantity < outstanding:
            short.append((line, outstanding - quantity))
    return moves, short


@transaction.atomic
def parts_return(*, line, quantity: Decimal, by, reason: str = "", warehouse=None) -> StockMove:
    """Take parts back from a work-order line (not more than was issued to it), at the cost they went out at."""
    quantity = Decimal(quantity)
    if quantity <= 0:
        raise DomainError(_("The quantity must be more than zero."), field="quantity")
    if not is_part_line(line):
        raise DomainError(_("Only part lines can be returned."))
    if line.order.status in ("settled", "delivered"):
        raise DomainError(_("This work order is already settled."))
    issued = net_issued(line)
    if quantity > issued:
        raise DomainError(
            _("Only %(issued)s were issued to this line.") % {"issued": quantity_text(issued)}, field="quantity"
        )
    warehouse = warehouse or warehouse_main(station=line.order.station)
    return stock_move_post(
        warehouse=warehouse, part=line.part, kind=StockMove.Kind.RETURN, quantity=quantity, by=by, line=line,
        unit_cost=line.unit_cost or line.part.cost, reference=line.order.number, reason=reason,
    )


@transaction.atomic
def lost_sale_record(*, part: Part, quantity: Decimal, by, outcome: str = LostSale.Outcome.LOST, line=None,
                     note: str = "", at=None) -> LostSale:
    """Record demand the counter could not meet; ``at`` (default now) is when the customer asked."""
    quantity = Decimal(quantity)
    if quantity <= 0:
        raise DomainError(_("The quantity must be more than zero."), field="quantity")
    at = at or timezone.now()
    lost = LostSale.objects.create(
        station_id=part.station_id, part=part, quantity=quantity, outcome=outcome, line=line, note=note[:200], by=by,
        at=at,
    )
    event_record(station_id=part.station_id, by=by, part=part, line=line,
                 kind="lost_sale.emergency" if outcome == LostSale.Outcome.EMERGENCY else "lost_sale.lost",
                 note=f"{quantity} {note}", at=at)
    return lost
