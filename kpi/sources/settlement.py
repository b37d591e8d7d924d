"""Settlement's measures: statements issued and those later corrected (settlement accuracy), the sales of the
corrections themselves — credit notes and supplements change revenue, ARO and the labour rate — and lines paid by a
prepaid package, which count as the customer's sales at the use's value (``package_uses``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.db.models.functions import Greatest

from core.money import to_cents
from kpi.sources.base import ONE, ZERO, Sink, local_day
from kpi.sources.reception import delivered_orders
from reception.models import Payer, WorkOrder
from reception.services.pricing import line_amount
from settlement.models import PackageUse, Statement
from settlement.services.receivables import OVERDUE_AFTER_DAYS, open_statements


def settlements(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """Settlement accuracy: statements issued on the day, and those later corrected (credit note or supplement)."""
    corrected = Statement.objects.filter(original_id=OuterRef("pk")).exclude(kind="statement")
    rows = Statement.objects.filter(
        station_id__in=list(station_ids), kind="statement", issued_at__gte=lo, issued_at__lt=hi
    ).annotate(corrected=Exists(corrected)).values("station_id", "issued_at", "order__advisor_id", "corrected")
    for row in rows:
        day = local_day(row["issued_at"])
        sink.add(row["station_id"], day, "settlements", ONE, advisor=row["order__advisor_id"])
        if row["corrected"]:
            sink.add(row["station_id"], day, "settlements_corrected", ONE, advisor=row["order__advisor_id"])


def correction_split(*, net: Decimal, own: tuple[Decimal, Decimal, Decimal],
                     reference: tuple[Decimal, Decimal, Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """A credit note's or a supplement's net amount (before VAT) as (labour, parts, sublet) sales.

    A full credit note carries its own split (the original's amounts, negative). A partial credit note and a
    supplement carry only an amount: it is shared in the proportions of the ``reference`` (the credited statement,
    or for a supplement the order's statements), to the cent half-up, the rest to sublet; with no reference at all
    it is sublet (a supplement's own line is a sublet line)."""
    if sum(own) == net and any(own):
        return own
    total = sum(reference)
    if not total:
        return ZERO, ZERO, net
    labour = to_cents(net * reference[0] / total)
    parts = to_cents(net * reference[1] / total)
    return labour, parts, net - labour - parts


def corrections_counted(station_ids: Iterable[int], lo: datetime, hi: datetime):
    """Credit notes (红冲) and supplements counted in [lo, hi): on the day they were issued, or — issued before the
    order was delivered — on its delivery day (sales count on delivered orders only)."""
    return Statement.objects.filter(
        station_id__in=list(station_ids), kind__in=[Statement.Kind.CREDIT_NOTE, Statement.Kind.SUPPLEMENT],
        order__status=WorkOrder.Status.DELIVERED,
    ).annotate(counted_at=Greatest("issued_at", "order__delivered_at")).filter(counted_at__gte=lo, counted_at__lt=hi)


def correction_amounts(station_ids: Iterable[int], lo: datetime, hi: datetime, *,
                       advisor_id: int | None = None) -> list[dict]:
    """The credit notes and supplements counted in [lo, hi) (``corrections_counted``), each a dict of its row
    (``pk``, ``number``, ``kind``, ``payer``, ``net``, ``counted_at``, ``order_id``, ``order__advisor_id``) with its
    ``split`` (labour, parts, sublet) by ``correction_split``: what the figures add and the drill-down lists."""
    qs = corrections_counted(station_ids, lo, hi)
    if advisor_id:
        qs = qs.filter(order__advisor_id=advisor_id)
    rows = list(qs.order_by("counted_at", "pk").values(
        "pk", "number", "kind", "station_id", "order_id", "order__advisor_id", "payer", "counted_at", "net", "labour",
        "parts", "sublet", "original_id",
    ))
    if not rows:
        return rows
    split: dict[int, tuple[Decimal, Decimal, Decimal]] = {}
    by_order: dict[int, list[Decimal]] = {}
    for pk, order_id, labour, parts, sublet in Statement.objects.filter(
        order_id__in={r["order_id"] for r in rows}, kind=Statement.Kind.STATEMENT
    ).values_list("pk", "order_id", "labour", "parts", "sublet"):
        split[pk] = (labour, parts, sublet)
        total = by_order.setdefault(order_id, [ZERO, ZERO, ZERO])
        for i, amount in enumerate((labour, parts, sublet)):
            total[i] += amount
    for row in rows:
        reference = split.get(row["original_id"]) or tuple(by_order.get(row["order_id"], (ZERO, ZERO, ZERO)))
        row["split"] = correction_split(
            net=row["net"], own=(row["labour"], row["parts"], row["sublet"]), reference=reference
        )
    return rows


def corrections(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """Revenue, ARO and labour rate take in credit notes and supplements: their net amount (before VAT, as the
    lines' sales) split into labour, parts and sublet (``correction_split``), by their payer. Hours sold and costs
    are unchanged (a credit note gives money back, not the work)."""
    for row in correction_amounts(station_ids, lo, hi):
        labour, parts, sublet = row["split"]
        day, payer, advisor = local_day(row["counted_at"]), row["payer"], row["order__advisor_id"]
        for measure, amount in ((f"sales_{payer}", row["net"]), ("sales_labour", labour), (f"labour_{payer}", labour),
                                ("sales_parts", parts), ("sales_sublet", sublet)):
            if amount:
                sink.add(row["station_id"], day, measure, amount, advisor=advisor)


def receivables(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """Overdue receivables: at the end of each day, what statements still owed (``settlement.services.receivables``)
    and the part of it on statements issued more than 30 days before that day."""
    station_ids = list(station_ids)
    end = lo + timedelta(days=1)
    while end <= hi:
        day = local_day(end - timedelta(seconds=1))
        overdue_before = day - timedelta(days=OVERDUE_AFTER_DAYS)
        rows = open_statements(Statement.objects.filter(station_id__in=station_ids), at=end).values_list(
            "station_id", "issued_at", "open_amount")
        for station_id, issued_at, amount in rows:
            sink.add(station_id, day, "receivables_open", amount)
            if local_day(issued_at) < overdue_before:
                sink.add(station_id, day, "receivables_overdue", amount)
        end += timedelta(days=1)


def package_amounts(station_ids: Iterable[int], lo: datetime, hi: datetime, *,
                    advisor_id: int | None = None) -> list[dict]:
    """The package uses on the orders delivered in [lo, hi), each a dict (``order_id``, ``number`` of the order,
    ``advisor``, ``station_id``, ``delivered_at``, ``payer`` and ``kind`` of the line, ``hours``, ``amount`` = the line's own amount, ``value`` =
    the use's value): what ``package_uses`` moves and the drill-down lists."""
    orders = delivered_orders(station_ids, lo, hi)
    if advisor_id:
        orders = orders.filter(advisor_id=advisor_id)
    rows = PackageUse.objects.filter(line__order__in=orders).order_by("line__order__delivered_at", "pk").values_list(
        "line__order_id", "line__order__number", "line__order__advisor_id", "line__order__station_id",
        "line__order__delivered_at", "line__payer", "line__kind", "line__quantity", "line__hours", "line__unit_price",
        "line__discount_pct", "value")
    return [{"order_id": order_id, "number": number, "advisor": advisor, "station_id": station_id,
             "delivered_at": delivered_at, "payer": payer, "kind": kind, "hours": hours, "value": value,
             "amount": line_amount(kind=kind, quantity=quantity, hours=hours, unit_price=unit_price,
                                   discount_pct=discount_pct)}
            for (order_id, number, advisor, station_id, delivered_at, payer, kind, quantity, hours, unit_price, discount_pct,
                 value) in rows]


def package_uses(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """A line paid by a package is counted once, as the books count it (``settlement.services.packages``): the
    customer's sale (they prepaid it) at the use's value — not the station's internal sale at the line's amount,
    which is how ``reception.delivered`` first counts every line with payer ``internal``. The package's sale at the
    counter is no workshop sale, so nothing else counts it."""
    for row in package_amounts(station_ids, lo, hi):
        day, add = local_day(row["delivered_at"]), row["value"] - row["amount"]
        payer = row["payer"]  # internal, as ``package_use`` set it
        moves = [(f"sales_{payer}", -row["amount"]), (f"sales_{Payer.CUSTOMER}", row["value"])]
        if row["kind"] == "labour":
            moves += [("sales_labour", add), (f"labour_{payer}", -row["amount"]),
                      (f"labour_{Payer.CUSTOMER}", row["value"]), (f"hours_{payer}", -row["hours"]),
                      (f"hours_{Payer.CUSTOMER}", row["hours"])]
        else:
            moves.append(("sales_parts" if row["kind"] == "part" else "sales_sublet", add))
        totals: dict[str, Decimal] = {}
        for measure, amount in moves:
            totals[measure] = totals.get(measure, ZERO) + amount
        for measure, amount in totals.items():
            if amount:
                sink.add(row["station_id"], day, measure, amount, advisor=row["advisor"])
