"""Money on work orders. Written-down rounding rules, all Decimal:

1. A line's amount = quantity × unit price × (1 − discount %), rounded to 0.01 CNY half-up, per line.
   Labour lines sell ``hours`` at the unit price (quantity is 1).
2. Totals per payer are sums of rounded line amounts (never re-rounded from unrounded parts).
3. VAT is computed once per payer total: net × rate, rounded to 0.01 half-up; gross = net + VAT.
   Prices in the catalogue are net of VAT.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from core.money import HUNDRED, to_cents


def line_gross_before_discount(*, kind: str, quantity: Decimal, hours: Decimal, unit_price: Decimal) -> Decimal:
    base_qty = hours if kind == "labour" else quantity
    return to_cents(Decimal(base_qty) * Decimal(unit_price))


def line_amount(*, kind: str, quantity: Decimal, hours: Decimal, unit_price: Decimal, discount_pct: Decimal) -> Decimal:
    base_qty = hours if kind == "labour" else quantity
    raw = Decimal(base_qty) * Decimal(unit_price) * (HUNDRED - Decimal(discount_pct)) / HUNDRED
    return to_cents(raw)


def amount_of(line) -> Decimal:
    return line_amount(
        kind=line.kind, quantity=line.quantity, hours=line.hours, unit_price=line.unit_price,
        discount_pct=line.discount_pct,
    )


@dataclass
class PayerTotals:
    labour: Decimal = Decimal("0.00")
    parts: Decimal = Decimal("0.00")
    sublet: Decimal = Decimal("0.00")
    discount: Decimal = Decimal("0.00")
    net: Decimal = Decimal("0.00")
    vat: Decimal = Decimal("0.00")
    gross: Decimal = Decimal("0.00")


@dataclass
class OrderTotals:
    by_payer: dict[str, PayerTotals] = field(default_factory=dict)
    net: Decimal = Decimal("0.00")
    vat: Decimal = Decimal("0.00")
    gross: Decimal = Decimal("0.00")
    hours: Decimal = Decimal("0.00")


def order_totals(lines, *, vat_rate: Decimal) -> OrderTotals:
    """Totals per payer and overall, for lines that count (approved ones; proposed/declined do not)."""
    per: dict[str, PayerTotals] = defaultdict(PayerTotals)
    totals = OrderTotals()
    for line in lines:
        if getattr(line, "approval", "approved") != "approved":
            continue
        amount = amount_of(line)
        before = line_gross_before_discount(
            kind=line.kind, quantity=line.quantity, hours=line.hours, unit_price=line.unit_price
        )
        bucket = per[line.payer]
        if line.kind == "labour":
            bucket.labour += amount
            totals.hours += Decimal(line.hours)
        elif line.kind == "part":
            bucket.parts += amount
        else:
            bucket.sublet += amount
        bucket.discount += before - amount
        bucket.net += amount
    for bucket in per.values():
        bucket.vat = to_cents(bucket.net * Decimal(vat_rate))
        bucket.gross = bucket.net + bucket.vat
        totals.net += bucket.net
        totals.vat += bucket.vat
        totals.gross += bucket.gross
    totals.by_payer = dict(per)
    return totals
