"""Reads of parts and stock; those that depend on who is asking take the user and are scoped to their stations."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.prefetch import prefetched
from org.selectors import scope
from parts.models import (
    LostSale,
    Part,
    PartsRequest,
    PurchaseOrder,
    Reservation,
    StockBalance,
    StockMove,
    Supplier,
    Warehouse,
)

ZERO = Decimal("0")


def available_quantity(*, part: Part, warehouse=None) -> Decimal:
    """On hand − reserved: in the given warehouse, or summed over the part's station's warehouses."""
    qs = StockBalance.objects.filter(part=part)
    if warehouse is not None:
        qs = qs.filter(warehouse=warehouse)
    agg = qs.aggregate(on_hand=Sum("on_hand"), reserved=Sum("reserved"))
    return (agg["on_hand"] or ZERO) - (agg["reserved"] or ZERO)


def available_quantities(part_ids) -> dict[int, Decimal]:
    """On hand − reserved per part, summed over its station's warehouses: one query for any number of parts (a part
    with no balance row maps to 0)."""
    ids = {pk for pk in part_ids if pk}
    if not ids:
        return {}
    rows = (StockBalance.objects.filter(part_id__in=ids).values("part_id")
            .annotate(on_hand=Sum("on_hand"), reserved=Sum("reserved")).order_by())
    out = dict.fromkeys(ids, ZERO)
    for row in rows:
        out[row["part_id"]] = (row["on_hand"] or ZERO) - (row["reserved"] or ZERO)
    return out


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


_LINE_STOCK = "_parts_line_stock"  # memo on the order object, for the rest of the request


def order_lines_stock(*, order, lines) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    """For these lines of the order that name a part or are part lines: line id → (units of its part available now as
    ``available_quantities`` counts them, net issued as ``issued_quantity_by_line``, reserved as
    ``reserved_quantity_by_line``), in one query. Kept on the order: the parts panel of the same page reads it."""
    ids = [line.pk for line in lines if line.part_id or line.kind == "part"]
    if not ids:
        return {}
    balance = (StockBalance.objects.filter(part_id=OuterRef("part_id")).values("part_id")
               .annotate(left=Sum("on_hand") - Sum("reserved")).values("left"))
    moves = (StockMove.objects.filter(line_id=OuterRef("pk"), kind__in=[StockMove.Kind.ISSUE, StockMove.Kind.RETURN])
             .values("line_id").annotate(total=Sum("quantity")).values("total"))
    held = Reservation.objects.filter(line_id=OuterRef("pk")).values("line_id").annotate(total=Sum("quantity")).values(
        "total")
    rows = order.lines.filter(pk__in=ids).order_by().values_list("pk", Subquery(balance), Subquery(moves),
                                                                 Subquery(held))
    stock = {pk: (ZERO if left is None else left, ZERO if moved is None else -moved, ZERO if kept is None else kept)
             for pk, left, moved, kept in rows}
    setattr(order, _LINE_STOCK, {**getattr(order, _LINE_STOCK, {}), **stock})
    return stock


def bin_locations(*, station_id: int, part_ids) -> dict[int, str]:
    """Where each part is shelved in the station: its bin in the main warehouse, else in any warehouse with one."""
    rows = (
        StockBalance.objects.filter(station_id=station_id, part_id__in=list(part_ids)).exclude(bin_location="")
        .order_by("-warehouse__is_main", "warehouse_id").values_list("part_id", "bin_location")
    )
    bins: dict[int, str] = {}
    for part_id, bin_location in rows:
        bins.setdefault(part_id, bin_location)
    return bins


def order_part_receivers(*, order) -> list[str]:
    """Who asked the counter for this order's parts (the technicians who receive them: 领料人), first ask first."""
    names: list[str] = []
    for request in PartsRequest.objects.filter(line__order=order).select_related("requested_by").order_by("id"):
        name = str(request.requested_by)
        if name not in names:
            names.append(name)
    return names


def order_part_lines(*, order, bins: bool = True) -> list:
    """The order's part lines, each with ``reserved``, ``issued``, ``outstanding`` and (with ``bins``) its ``bin``
    attached (the pick list). The order's lines already read with it (``prefetch_related``, with their part) are used
    as they are; an order without part lines reads nothing more."""
    lines = prefetched(order, "lines")
    if lines is None:
        lines = list(order.lines.filter(kind="part").select_related("part"))
    else:
        lines = [line for line in lines if line.kind == "part"]
        prefetch_related_objects(lines, "part")  # nothing to read when the page read the lines with their part
    if not lines:
        return lines
    stock = getattr(order, _LINE_STOCK, {})
    if any(line.pk not in stock for line in lines):
        stock = order_lines_stock(order=order, lines=lines)
    shelves = (bin_locations(station_id=order.station_id, part_ids={line.part_id for line in lines if line.part_id})
               if bins else {})
    for line in lines:
        _available, line.issued_qty, line.reserved_qty = stock[line.pk]
        line.outstanding_qty = max(line.quantity - line.issued_qty, ZERO)
        if bins:
            line.bin = shelves.get(line.part_id, "")
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


def low_q() -> Q:
    """A balance at or below its minimum (0: none kept), on a query annotated with ``available_qty``."""
    return Q(min_qty__gt=0, available_qty__lte=F("min_qty"))


def low_stock(user, *, station) -> QuerySet[StockBalance]:
    """Balances at or below their minimum (available counts: reserved stock is not on the shelf for others)."""
    return (
        balances_for(user, station=station)
        .annotate(available_qty=available_expr())
        .filter(low_q(), part__is_active=True)
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
    """Net quantity issued per part id over the last ``days`` days (``today`` a date or a moment; default now)."""
    moment = today or timezone.now()
    if not isinstance(moment, datetime):  # a date: from the start of that day, in the station's time zone
        moment = timezone.make_aware(datetime.combine(moment, time.min))
    since = moment - timedelta(days=days)
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


def part_by_number(*, station, number: str) -> Part:
    """The station's part with this number (any case), or a DomainError for the part_number field."""
    part = Part.objects.filter(station=station, part_number__iexact=number.strip()).first()
    if part is None:
        raise DomainError(_("No part with number %(number)s.") % {"number": number}, field="part_number")
    return part


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def lost_sales(user, *, station, date_from: date | None = None, date_to: date | None = None, outcome: str = "",
               part_number: str = "") -> QuerySet[LostSale]:
    """Lost sales and emergency purchases recorded at the counter, newest first; both dates included."""
    rows = scope(LostSale.objects.filter(station=station), user)
    if date_from:
        rows = rows.filter(at__gte=_day_start(date_from))
    if date_to:
        rows = rows.filter(at__lt=_day_start(date_to + timedelta(days=1)))
    if outcome:
        rows = rows.filter(outcome=outcome)
    if part_number.strip():
        rows = rows.filter(part__part_number__istartswith=part_number.strip())
    return rows.select_related("part", "by", "line__order").order_by("-at", "-id")


def lost_sales_summary(rows: QuerySet[LostSale], *, limit: int = 10) -> list[dict]:
    """The most-asked missing parts among these rows: times asked, quantity, lost vs emergency, and the stock now
    (free stock and minimum over the station's warehouses), so the parts lead can decide what to keep in stock."""
    summary = list(
        rows.order_by()
        .values("part_id", "part__part_number", "part__name_zh", "part__unit")
        .annotate(times=Count("id"), quantity=Sum("quantity"), last_at=Max("at"),
                  lost=Count("id", filter=Q(outcome=LostSale.Outcome.LOST)),
                  emergency=Count("id", filter=Q(outcome=LostSale.Outcome.EMERGENCY)))
        .order_by("-times", "-quantity", "part__part_number")[:limit]
    )
    stock = {
        row["part_id"]: row
        for row in StockBalance.objects.filter(part_id__in=[r["part_id"] for r in summary])
        .values("part_id").annotate(on_hand=Sum("on_hand"), reserved=Sum("reserved"), min_qty=Sum("min_qty"))
    }
    for row in summary:
        held = stock.get(row["part_id"], {})
        row["available"] = (held.get("on_hand") or ZERO) - (held.get("reserved") or ZERO)
        row["min_qty"] = held.get("min_qty") or ZERO
    return summary


def station_warehouses(*, station) -> QuerySet[Warehouse]:
    return Warehouse.objects.filter(station=station).order_by("-is_main", "code")


def warehouse_count(station) -> int:
    """The set-up checklist's count of the station's warehouses."""
    return Warehouse.objects.filter(station=station).count()


def supplier_count(station) -> int:
    """The set-up checklist's count of the station's suppliers."""
    return Supplier.objects.filter(station=station).count()


def transfers(user, *, station, part_number: str = "") -> QuerySet[StockMove]:
    """Transfers between the station's warehouses, newest first: one row per transfer (its outgoing move; the
    move's reference is the code of the warehouse it went to)."""
    rows = scope(StockMove.objects.filter(station=station, kind=StockMove.Kind.TRANSFER_OUT), user)
    if part_number.strip():
        rows = rows.filter(part__part_number__istartswith=part_number.strip())
    return rows.select_related("part", "warehouse", "by").order_by("-at", "-id")


def overdue_purchase_orders(user, *, station, today: date | None = None) -> QuerySet[PurchaseOrder]:
    """Placed orders not (fully) received whose due date has passed: earliest due first (keyset-paged on due_date)."""
    today = today or timezone.localdate()
    rows = PurchaseOrder.objects.filter(
        station=station, due_date__lt=today,
        status__in=[PurchaseOrder.Status.ORDERED, PurchaseOrder.Status.PARTLY_RECEIVED])
    return scope(rows, user).select_related("supplier")
