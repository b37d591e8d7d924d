"""Receivables (应收账款): what each statement still owes the station, by payer, with its age.

A statement's open amount = amount due + its credit notes (negative) − payments received in money − the parts of
remittances that cleared a fleet's account. A payment "on the fleet's account" (``fleet_credit``) settles the desk
but not the receivable: the fleet still owes it until its remittance is applied.

Payer kinds: the statement's payer (customer, warranty = the carmaker, insurance, internal), a fleet customer's own
part being ``fleet``. Ageing buckets count days from the statement's issue date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reception.models import Customer, Payer
from settlement.models import Allocation, Payment, Statement

ZERO = Decimal("0.00")
PAYER_KINDS = (
    ("customer", _("customer credit")),
    ("fleet", _("fleet accounts")),
    ("warranty", _("carmaker (warranty)")),
    ("insurance", _("insurers")),
    ("internal", _("internal")),
)
BUCKETS = (("0_30", "0–30"), ("31_60", "31–60"), ("61_90", "61–90"), ("over_90", ">90"))
OVERDUE_AFTER_DAYS = 30  # the KPI's overdue: older than the usual 30 days' terms
_MONEY = DecimalField(max_digits=14, decimal_places=2)


def _sum_of(qs: QuerySet, field_name: str) -> Coalesce:
    summed = qs.values("statement_id").annotate(s=Sum(field_name)).values("s")
    return Coalesce(Subquery(summed, output_field=_MONEY), Value(ZERO), output_field=_MONEY)


def with_open(qs: QuerySet, *, at: datetime | None = None) -> QuerySet:
    """Statements (no credit notes) annotated with ``open_amount`` (as at ``at``, default now) and ``payer_kind``."""
    payments = Payment.objects.filter(statement_id=OuterRef("pk")).exclude(method=Payment.Method.FLEET_CREDIT)
    cleared = Allocation.objects.filter(statement_id=OuterRef("pk"), payment__isnull=True)
    credits = Statement.objects.filter(original_id=OuterRef("pk"), kind=Statement.Kind.CREDIT_NOTE)
    if at is not None:
        qs = qs.filter(issued_at__lt=at)
        payments, cleared, credits = (payments.filter(received_at__lt=at), cleared.filter(at__lt=at),
                                      credits.filter(issued_at__lt=at))
    credited = Coalesce(
        Subquery(credits.values("original_id").annotate(s=Sum("due")).values("s"), output_field=_MONEY),
        Value(ZERO), output_field=_MONEY)
    return qs.exclude(kind=Statement.Kind.CREDIT_NOTE).annotate(
        open_amount=Coalesce("due", Value(ZERO)) + credited - _sum_of(payments, "amount")
        - _sum_of(cleared, "amount"),
        payer_kind=Case(
            When(Q(payer=Payer.CUSTOMER, order__customer__kind=Customer.Kind.FLEET), then=Value("fleet")),
            default="payer",
        ),
    )


def open_statements(qs: QuerySet, *, at: datetime | None = None) -> QuerySet:
    return with_open(qs, at=at).filter(open_amount__gt=0)


def bucket_of(issued: date, as_of: date) -> str:
    age = (as_of - issued).days
    if age <= 30:
        return "0_30"
    if age <= 60:
        return "31_60"
    if age <= 90:
        return "61_90"
    return "over_90"


@dataclass
class Ageing:
    """Open amounts per payer kind and bucket, with totals."""

    rows: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    totals: dict[str, Decimal] = field(default_factory=lambda: {k: ZERO for k, _label in BUCKETS})

    @property
    def total(self) -> Decimal:
        return sum(self.totals.values(), ZERO)

    def table(self) -> list[dict]:
        out = []
        for kind, label in PAYER_KINDS:
            cells = self.rows.get(kind, {})
            out.append({"kind": kind, "label": label, "cells": [cells.get(b, ZERO) for b, _l in BUCKETS],
                        "total": sum(cells.values(), ZERO)})
        return out


def ageing(qs: QuerySet, *, as_of: date | None = None) -> Ageing:
    """The ageing of the open statements in ``qs`` (already scoped), as at the end of ``as_of`` (today)."""
    as_of = as_of or timezone.localdate()
    end = timezone.make_aware(datetime.combine(as_of + timedelta(days=1), time.min))
    result = Ageing()
    for kind, issued_at, amount in open_statements(qs, at=end).values_list("payer_kind", "issued_at", "open_amount"):
        bucket = bucket_of(timezone.localtime(issued_at).date(), as_of)
        result.rows.setdefault(kind, {b: ZERO for b, _l in BUCKETS})[bucket] += amount
        result.totals[bucket] += amount
    return result


def open_amount(statement: Statement) -> Decimal:
    row = with_open(Statement.objects.filter(pk=statement.pk)).values_list("open_amount", flat=True).first()
    return row if row is not None else ZERO


def fleet_exposure(customer_id: int) -> Decimal:
    """What a fleet has on its account now: payments put on it less the remittances that cleared them."""
    on_account = Payment.objects.filter(statement__order__customer_id=customer_id,
                                        method=Payment.Method.FLEET_CREDIT).aggregate(s=Sum("amount"))["s"] or ZERO
    cleared = Allocation.objects.filter(statement__order__customer_id=customer_id,
                                        payment__isnull=True).aggregate(s=Sum("amount"))["s"] or ZERO
    return on_account - cleared
