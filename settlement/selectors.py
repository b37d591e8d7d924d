"""Reads of the settlement app, scoped to the stations the user sees."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from org.models import Staff, Station
from org.selectors import get_scoped, scope
from reception.models import Payer, WorkOrder
from settlement.models import InsuranceClaim, Payment, Statement, WarrantyClaim
from settlement.services.payments import statement_balance

ZERO = Decimal("0.00")


def order_for(request, pk: int) -> WorkOrder:
    return get_scoped(request, WorkOrder.objects.select_related("station", "customer", "vehicle", "advisor"), pk=pk)


def claim_for(request, pk: int) -> WarrantyClaim:
    return get_scoped(
        request, WarrantyClaim.objects.select_related("order__customer", "order__vehicle", "order__station"), pk=pk
    )


def statements_of(order: WorkOrder) -> list[Statement]:
    return list(
        Statement.objects.filter(order=order).select_related("original", "issued_by")
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.select_related("received_by")), "corrections")
        .order_by("issued_at", "id")
    )


def payment_status(order: WorkOrder) -> dict:
    """What the cashier and the advisor need at a glance: due, paid, open balance, fully paid?"""
    statements = [s for s in statements_of(order) if s.kind != Statement.Kind.CREDIT_NOTE]
    customer = [s for s in statements if s.payer == Payer.CUSTOMER]
    due = sum((s.due for s in customer), ZERO)
    balance = sum((statement_balance(s) for s in customer), ZERO)
    return {"settled": bool(statements), "customer_due": due, "customer_balance": balance,
            "customer_paid": due - balance, "is_paid": bool(statements) and balance <= 0}


def desk_queues(user: Staff, station: Station | None) -> dict[str, QuerySet[WorkOrder]]:
    base = scope(WorkOrder.objects.select_related("customer", "vehicle", "advisor"), user)
    if station is not None:
        base = base.filter(station=station)
    return {
        "ready": base.filter(status=WorkOrder.Status.READY).order_by("work_completed_at", "id"),
        "settled": base.filter(status=WorkOrder.Status.SETTLED).order_by("settled_at", "id"),
    }


def open_statements(user: Staff, station: Station | None) -> list[Statement]:
    qs = scope(Statement.objects.select_related("order__customer", "order__vehicle"), user).exclude(
        kind=Statement.Kind.CREDIT_NOTE).prefetch_related("payments", "corrections")
    if station is not None:
        qs = qs.filter(station=station)
    qs = qs.filter(issued_at__gte=timezone.now() - timezone.timedelta(days=120)).order_by("-issued_at")[:300]
    return [s for s in qs if statement_balance(s) > 0]


def payments_today(user: Staff, station: Station | None) -> QuerySet[Payment]:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    qs = scope(Payment.objects.select_related("statement__order", "received_by"), user).filter(received_at__gte=start)
    if station is not None:
        qs = qs.filter(station=station)
    return qs.order_by("-received_at")


AGEING_BUCKETS = ((0, 30), (31, 60), (61, 90), (91, None))


def claims_for(user: Staff, station: Station | None, *, status: str = "") -> QuerySet[WarrantyClaim]:
    qs = scope(WarrantyClaim.objects.select_related("order__customer", "order__vehicle", "created_by"), user)
    if station is not None:
        qs = qs.filter(station=station)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("created_at", "id")


def claim_ageing(claims) -> list[dict]:
    """Open (not paid, not rejected) claims per age bucket: count and claimed amount."""
    rows = [{"label": f"{lo}–{hi}" if hi else f"> {lo - 1}", "count": 0, "amount": ZERO} for lo, hi in AGEING_BUCKETS]
    for claim in claims:
        if claim.status in (WarrantyClaim.Status.PAID, WarrantyClaim.Status.REJECTED):
            continue
        for index, (lo, hi) in enumerate(AGEING_BUCKETS):
            if claim.age_days >= lo and (hi is None or claim.age_days <= hi):
                rows[index]["count"] += 1
                rows[index]["amount"] += claim.claimed_amount
                break
    return rows


def insurance_claims_for(user: Staff, station: Station | None, *, open_only: bool = False):
    qs = scope(InsuranceClaim.objects.select_related("order__customer", "order__vehicle"), user)
    if station is not None:
        qs = qs.filter(station=station)
    if open_only:
        qs = qs.filter(paid_at__isnull=True)
    return qs.order_by("created_at", "id")
