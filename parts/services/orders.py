"""What a work order asks of parts: the one module the front desk (reception) calls.

Parts sits below the work order. The order shows what is available, prices a part line for its payer, offers a
labour operation's usual parts, and tells parts when a part line is requested or released (demand capture and
reservations). Everything reception needs from parts goes through here, by a plain import.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from parts.models import Part, StockMove
from parts.selectors import available_quantities, available_quantity, order_lines_stock, parts_for_operation
from parts.services.catalogue import sale_price
from parts.services.demand import part_line_released, part_line_requested


def parts_for_sale(*, station) -> QuerySet[Part]:
    """The station's active parts: what an order line or a booking may name."""
    return Part.objects.filter(station=station, is_active=True)


def part_search(*, station, query: str, limit: int = 15, prefer: str = "") -> list[Part]:
    """Active parts whose number or name contains ``query``, each with ``available`` attached (the line lookup).
    Parts naming ``prefer`` (the vehicle's model: 雨刮片(卡罗拉)) come first, looked up on their own so the first
    ``limit`` of the other models never crowd them out."""
    matches = parts_for_sale(station=station).filter(
        Q(part_number__icontains=query) | Q(name_zh__icontains=query) | Q(name_en__icontains=query)
    ).order_by("part_number")
    parts = []
    if prefer:
        parts = list(matches.filter(Q(name_zh__icontains=prefer) | Q(name_en__icontains=prefer))[:limit])
    if len(parts) < limit:
        parts += list(matches.exclude(pk__in=[p.pk for p in parts])[:limit - len(parts)])
    available = available_quantities(p.pk for p in parts)
    for part in parts:
        part.available = available[part.pk]
    return parts


def part_available(*, part: Part) -> Decimal:
    """Units available now: on hand − reserved, over the station's warehouses."""
    return Decimal(available_quantity(part=part))


def parts_available(part_ids) -> dict[int, Decimal]:
    """``part_available`` of many parts in one query: {part id: units available now}."""
    return available_quantities(part_ids)


def order_lines_available(*, order, lines) -> dict[int, Decimal]:
    """``parts_available`` of the parts these lines of the order name, per line id, in one query that also reads what
    the order's parts panel shows of them (issued, reserved: kept on the order for the rest of the request)."""
    return {pk: available for pk, (available, _issued, _reserved) in order_lines_stock(order=order, lines=lines).items()}


def part_sale_price(*, part: Part, payer: str) -> Decimal:
    """The price of a part for this payer under the station's price policy (list price when it has none)."""
    return sale_price(part=part, payer=payer)


def operation_kit(*, operation) -> list[tuple[Part, Decimal]]:
    """The parts a labour operation usually needs, superseded numbers replaced by their current part."""
    return list(parts_for_operation(operation))


def line_demand_capture(*, line, by) -> None:
    """A part line was added or changed: record the demand and reserve what is on the shelf."""
    part_line_requested(line=line, by=by)


def line_demand_release(*, line, by) -> None:
    """A part line was removed or declined: give its reservation back."""
    part_line_released(line=line, by=by)


def issued_by_line(*, orders: QuerySet) -> dict[int, Decimal]:
    """Net quantity issued from stock (issued − returned) per part line of the given orders (a queryset, joined in one
    aggregate query); lines never issued are absent. What the workshop checks before the final inspection."""
    rows = (
        StockMove.objects.filter(line__order__in=orders, kind__in=[StockMove.Kind.ISSUE, StockMove.Kind.RETURN])
        .values("line_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["line_id"]: -row["total"] for row in rows}
