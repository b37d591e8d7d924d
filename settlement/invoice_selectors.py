"""Reads of the invoice pages, scoped to the stations the user sees."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from core.money import Payer
from core.paging import keyset_page
from org.models import Staff, Station
from org.selectors import scope
from settlement.models import CounterPayment, CounterSale, Invoice, Statement

MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


def _per_payer(model, field: str):
    """The sum of ``field`` over ``model`` rows of the outer statement's order and payer (one subquery)."""
    rows = (model.objects.filter(order_id=OuterRef("order_id"), payer=OuterRef("payer")).order_by()
            .values("order_id").annotate(total=Sum(field)).values("total"))
    return Coalesce(Subquery(rows, output_field=MONEY), ZERO)


def invoices_to_issue(user: Staff, station: Station | None, params):
    """Statements whose payer is owed an invoice: settled (less credit notes) more than invoiced so far. The
    internal payer gets none. Oldest first, a keyset page at a time."""
    qs = scope(Statement.objects.select_related("order__customer", "order__vehicle"), user).exclude(
        kind=Statement.Kind.CREDIT_NOTE).exclude(payer=Payer.INTERNAL)
    if station is not None:
        qs = qs.filter(station=station)
    qs = qs.annotate(settled=_per_payer(Statement, "due"), invoiced=_per_payer(Invoice, "amount")).annotate(
        to_invoice=F("settled") - F("invoiced")).filter(to_invoice__gt=0)
    return keyset_page(qs, params, key="issued_at")


def counter_sales_to_invoice(user: Staff, station: Station | None, limit: int = 50) -> list[CounterSale]:
    """Confirmed counter sales paid more than invoiced so far (the ceiling of a counter sale's invoices is what was
    paid), oldest first; the first ``limit`` (one query, two subqueries)."""
    paid = (CounterPayment.objects.filter(sale_id=OuterRef("pk")).order_by().values("sale_id")
            .annotate(total=Sum("amount")).values("total"))
    invoiced = (Invoice.objects.filter(counter_sale_id=OuterRef("pk")).order_by().values("counter_sale_id")
                .annotate(total=Sum("amount")).values("total"))
    qs = scope(CounterSale.objects.filter(status=CounterSale.Status.CONFIRMED).select_related("customer"), user)
    if station is not None:
        qs = qs.filter(station=station)
    qs = qs.annotate(paid_sum=Coalesce(Subquery(paid, output_field=MONEY), ZERO),
                     invoiced=Coalesce(Subquery(invoiced, output_field=MONEY), ZERO)).annotate(
        to_invoice=F("paid_sum") - F("invoiced")).filter(to_invoice__gt=0)
    return list(qs.order_by("confirmed_at", "id")[:limit])


def invoices_of(order) -> list[Invoice]:
    return list(Invoice.objects.filter(order=order).select_related("statement", "recorded_by").order_by("id"))
