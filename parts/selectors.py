"""Reads of parts and stock; those that depend on who is asking take the user and are scoped to their stations."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils import timezone

from aftersales.selectors import scope
from parts.models import Part, PartsRequest, Reservation, StockBalance, StockMove

ZERO = Decimal("0")


def available_quantity(*, part: Part, warehouse=None) -> Decimal:
    """On hand − reserved: in the given warehouse, or summed over the part's station's warehouses."""
    qs = StockBalance.objects.filter(part=part)
    if warehouse is not None:
        qs = qs.filter(warehouse=warehouse)
    agg = qs.aggregate(on_hand=Sum("on_hand"), reserved=Sum("reserved"))
    return (agg["on_hand"] or ZERO) - (agg["reserved"] or ZERO)


def on_hand_quantity(*, part: Part) -> Decimal:
    return StockBalance.objects.filter(part=part).aggregate(s=Sum("on_hand"))["s"] or ZERO


def issued_quantity_by_line(*, order) -> dict[int, Decimal]:
    """Net issued (issued − returned) per work-order line id of this order; lines never issued are absent."""
    rows = (
        StockMove.objects.filter(line__order=order, kind__in=[StockMove.Kind.ISSUE, StockMove.Kind.RETURN])
        .values("line_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["line_id"]: -row["total"] for row in rows}


def reserved_quantity_by_line(*, order) -> dict[int, Decimal]:
    rows = Reservation.objects.filter(line__order=order).values("line_id").annotate(total=Sum("quantity"))
    return {row["line_id"]: row["total"] for row in rows}


def order_part_lines(*, order) -> list:
    """The order's part lines, each with ``reserved``, ``issued`` and ``outstanding`` attached (the pick list)."""
    issued = issued_quantity_by_line(order=order)
    reserved = reserved_quantity_by_line(order=order)
    lines = list(order.lines.filter(kind="part").select_related("part"))
    for line in lines:
        line.issued_qty = issued.get(line.pk, ZERO)
        line.reserved_qty = reserved.get(line.pk, ZERO)
        line.outstanding_qty = max(line.quantity - line.issued_qty, ZERO)
    return lines


def current_part(part: Part) -> Part:
    """Follow the supersession chain old → new to the part to use now."""
    seen = {part.pk}
    while part.superseded_by_id and part.superseded_by_id not in seen:
        part = part.superseded_by
        seen.add(part.pk)
    return part


def part_search(*, station, query: str) -> QuerySet[Part]:
    """Parts matching a number or name; a superseded match brings its successor (and the whole chain) along."""
    query = query.strip()
    base = Part.objects.filter(station=station)
    if not query:
        return base.none()
    hits = list(
        base.filter(Q(part_number__istartswith=query) | Q(name_zh__icontains=query) | Q(name_en__icontains=query))[:50]
    )
    ids = {p.pk for p in hits}
    for p in hits:
        ids.add(current_part(p).pk)
    return base.filter(pk__in=ids).select_related("superseded_by")


def balances_for(user, *, station) -> QuerySet[StockBalance]:
    # Filtering the part's station too lets PostgreSQL walk the (station, part_number) index in order.
    return scope(StockBalance.objects.filter(station=station, part__station=station), user).select_related(
        "part", "warehouse"
    )


def available_expr():
    return ExpressionWrapper(F("on_hand") - F("reserved"), output_field=DecimalField(max_digits=12, decimal_places=2))


def low_stock(user, *, station) -> QuerySet[StockBalance]:
    """Balances at or below their minimum (available counts: reserved stock is not on the shelf for others)."""
    return (
        balances_for(user, station=station)
        .annotate(available_qty=available_expr())
        .filter(min_qty__gt=0, available_qty__lte=F("min_qty"), part__is_active=True)
        .order_by("part__part_number")
    )


def open_requests(user, *, station) -> QuerySet[PartsRequest]:
    return (
        scope(PartsRequest.objects.filter(station=station, status=PartsRequest.Status.OPEN), user)
        .select_related("line__part", "line__order", "requested_by")
        .order_by("requested_at")
    )


def moves_of(*, part: Part) -> QuerySet[StockMove]:
    return StockMove.objects.filter(part=part).select_related("warehouse", "by", "line__order").order_by("-at", "-id")


def usage_since(*, station, days: int = 90, today=None) -> dict[int, Decimal]:
    """Net quantity issued per part id over the last ``days`` days."""
    since = (today or timezone.now()) - timedelta(days=days)
    rows = (
        StockMove.objects.filter(
            station=station, at__gte=since, kind__in=[StockMove.Kind.ISSUE, StockMove.Kind.RETURN]
        )
        .values("part_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["part_id"]: -row["total"] for row in rows}


def first_fill(*, station, start, end) -> tuple[int, int]:
    """(lines filled from stock when requested, lines requested) for part lines requested in [start, end).

    首次满足率 = first ÷ second; a partly filled line counts as not filled (see DemandLine.filled_from_stock).
    """
    from parts.models import DemandLine

    rows = DemandLine.objects.filter(station=station, requested_at__gte=start, requested_at__lt=end)
    return rows.filter(filled_from_stock=True).count(), rows.count()


def parts_for_operation(operation) -> list[tuple[Part, Decimal]]:
    """The parts kit of a labour operation, superseded numbers replaced by their current part."""
    from parts.models import OperationPart

    rows = OperationPart.objects.filter(operation=operation).select_related("part__superseded_by")
    return [(current_part(row.part), row.quantity) for row in rows]
