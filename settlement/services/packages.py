"""Prepaid service packages and coupons (issue 19 item 8).

A package is sold as a line of a counter sale (``settlement.services.counter_sales.counter_line_package_add``): its
money is taken by the counter sale's payments and invoiced with it, and its PackageSale is made when that sale is
confirmed. A package sale is money received for services not yet given: until used it is deferred revenue (预收款), owed to the
customer. Each use turns one service of it into revenue: the work order line's payer becomes the station itself
(``internal`` — the customer prepaid it), and the use is worth ``price ÷ services`` rounded to the cent, the last use
taking what is left so the uses add up to the price exactly (¥999 for 3: 333.00 + 333.00 + 333.00; ¥1000 for 3:
333.33 + 333.33 + 333.34).

Revenue once (the one rule, ``prepaid_line_ids``): a line paid by a package is billed to no one. Reconciliation
(``reconcile``) leaves it out of every payer's totals, so settlement puts it on no statement — no internal statement,
no internal receivable, no second VAT (the VAT was charged when the package was sold at the counter). Its value is
recognised once, at the use, from the deferred revenue: the day's vouchers post Dr 预收账款-保养套餐 / Cr package
revenue for the use's value, and nothing else for the line. Receivables and the settlement KPIs read statements, so
they follow. An order whose lines were all paid by packages is settled with no statement at all.

A coupon is a discount: its percentage (or its amount as the percentage of the eligible lines' total, to 0.01 %) goes
through ``reception.services.discounts.discount_request`` on each eligible line, so the redeemer's authority applies
and above it the request goes up the chain like any other discount.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import HUNDRED, ZERO, Payer
from org.models import Staff, Station
from reception.models import Customer, WorkOrder, WorkOrderLine
from reception.services.discounts import discount_request
from reception.services.orders import ensure_editable
from reception.services.pricing import amount_of
from reception.services.workflow import record_event
from settlement.models import CounterSaleLine, Coupon, PackageSale, PackageUse

CENT = Decimal("0.01")


def package_terms_check(*, customer: Customer | None, uses_total, price: Decimal, valid_until: date | None) -> None:
    """A package's terms, checked when its line goes on a counter sale: sold to a known customer, at least one
    service, a price, not already expired."""
    if customer is None:
        raise DomainError(_("A package is sold to a customer: start the sale with the customer's mobile number."),
                          field="customer")
    if not uses_total or uses_total < 1:
        raise DomainError(_("A package includes at least one service."), field="uses_total")
    if Decimal(price) <= 0:
        raise DomainError(_("The price must be more than zero."), field="price")
    if valid_until is None or valid_until < timezone.localdate():
        raise DomainError(_("The package would already have expired."), field="valid_until")


def package_sale_create(*, line: CounterSaleLine, by: Staff) -> PackageSale:
    """The PackageSale of a package line, made when its counter sale is confirmed (in that transaction): the only
    way a package is sold, so its money is the counter sale's. What is deferred is the line's net amount (its VAT
    went to output VAT with the sale)."""
    sale = line.sale
    return PackageSale.objects.create(
        station_id=sale.station_id, customer_id=sale.customer_id, vehicle_id=sale.vehicle_id, name=line.description,
        uses_total=line.package_uses, price=line.amount, valid_until=line.package_valid_until, sold_by=by,
        counter_line=line)


def package_left(sale: PackageSale) -> tuple[int, Decimal]:
    """Services still to use and the value still owed on them."""
    agg = sale.uses.aggregate(n=Count("id"), used=Sum("value"))
    return sale.uses_total - agg["n"], sale.price - (agg["used"] or ZERO)


@transaction.atomic
def package_use(*, sale: PackageSale, line: WorkOrderLine, by: Staff) -> PackageUse:
    """Use one service of ``sale`` to pay ``line``: the line becomes prepaid (payer internal)."""
    sale = PackageSale.objects.select_for_update().get(pk=sale.pk)
    order = line.order
    ensure_editable(order)
    if sale.station_id != order.station_id or sale.customer_id != order.customer_id:
        raise DomainError(_("This package belongs to another customer."), field="sale")
    if sale.vehicle_id is not None and sale.vehicle_id != order.vehicle_id:
        raise DomainError(_("This package is for another vehicle."), field="sale")
    if sale.valid_until < timezone.localdate():
        raise DomainError(_("This package expired on %(day)s.") % {"day": sale.valid_until}, field="sale")
    if line.payer != Payer.CUSTOMER or line.kind == WorkOrderLine.Kind.SUBLET:
        raise DomainError(_("Only a customer-pay labour or part line can be paid by a package."), field="line")
    if PackageUse.objects.filter(line=line).exists():
        raise DomainError(_("This line is already paid by a package."), field="line")
    left, owed = package_left(sale)
    if left <= 0:
        raise DomainError(_("Every service of this package has been used."), field="sale")
    value = owed if left == 1 else min(owed, (sale.price / sale.uses_total).quantize(CENT))
    use = PackageUse.objects.create(sale=sale, line=line, value=value, used_by=by)
    line.payer = Payer.INTERNAL
    line.save(update_fields=["payer", "updated_at"])
    record_event(order=order, by=by, kind="package_used",
                 note=_("%(line)s paid by package %(name)s (%(left)s left)")
                 % {"line": line.description, "name": sale.name, "left": left - 1})
    return use


def prepaid_line_ids(*, order: WorkOrder) -> set[int]:
    """The order's lines paid by a package: billed to no one at settlement (see the module docstring)."""
    return set(PackageUse.objects.filter(line__order=order).values_list("line_id", flat=True))


def package_liability(*, station: Station) -> dict[str, Decimal]:
    """What the station's customers have prepaid and not used yet (deferred revenue): sold − used."""
    sold = PackageSale.objects.filter(station=station).aggregate(v=Sum("price"))["v"] or ZERO
    used = PackageUse.objects.filter(sale__station=station).aggregate(v=Sum("value"))["v"] or ZERO
    return {"sold": sold, "used": used, "owed": sold - used}


LINE_KINDS = {k.value for k in WorkOrderLine.Kind}


@transaction.atomic
def coupon_issue(*, station: Station, by: Staff, code: str, kind: str, value: Decimal, valid_from: date,
                 valid_until: date, min_spend: Decimal = ZERO, line_kinds: str = "") -> Coupon:
    code = code.strip().upper()
    value = Decimal(value)
    if value <= 0 or (kind == Coupon.Kind.PERCENT and value > HUNDRED):
        raise DomainError(_("A coupon takes off more than nothing, and at most 100 %."), field="value")
    if valid_until < valid_from:
        raise DomainError(_("A coupon ends after it starts."), field="valid_until")
    kinds = [k.strip() for k in line_kinds.split(",") if k.strip()]
    if not set(kinds) <= LINE_KINDS:
        raise DomainError(_("Line kinds are labour, part and sublet."), field="line_kinds")
    if Coupon.objects.filter(station=station, code=code).exists():
        raise DomainError(_("This code is already taken."), field="code")
    return Coupon.objects.create(station=station, code=code, kind=kind, value=value, min_spend=Decimal(min_spend),
                                 line_kinds=",".join(kinds), valid_from=valid_from, valid_until=valid_until,
                                 created_by=by)


def _eligible(coupon: Coupon, order: WorkOrder) -> list[WorkOrderLine]:
    kinds = {k.strip() for k in coupon.line_kinds.split(",") if k.strip()}
    return [line for line in order.lines.filter(payer=Payer.CUSTOMER, approval=WorkOrderLine.Approval.APPROVED)
            if not kinds or line.kind in kinds]


@transaction.atomic
def coupon_redeem(*, code: str, order: WorkOrder, by: Staff) -> Coupon:
    """Redeem a coupon on an order's eligible customer-pay lines, as a discount within the redeemer's authority."""
    coupon = (Coupon.objects.select_for_update()
              .filter(station_id=order.station_id, code=code.strip().upper()).first())
    if coupon is None:
        raise DomainError(_("No coupon with this code."), field="code")
    ensure_editable(order)
    today = timezone.localdate()
    if coupon.used_at is not None:
        raise DomainError(_("This coupon has already been used."), field="code")
    if not coupon.valid_from <= today <= coupon.valid_until:
        raise DomainError(_("This coupon is valid from %(start)s to %(end)s.")
                          % {"start": coupon.valid_from, "end": coupon.valid_until}, field="code")
    lines = _eligible(coupon, order)
    total = sum((amount_of(line) for line in lines), ZERO)
    if not lines or total < coupon.min_spend:
        raise DomainError(_("The coupon needs a spend of at least %(min)s on its lines; this order has %(total)s.")
                          % {"min": coupon.min_spend, "total": total}, field="code")
    if coupon.kind == Coupon.Kind.PERCENT:
        pct = coupon.value
    else:
        pct = min(HUNDRED, (coupon.value * HUNDRED / total).quantize(CENT))
    for line in lines:
        # on top of a discount the line already has: 10 % then 20 % is 28 % off the list price
        combined = (HUNDRED - (HUNDRED - line.discount_pct) * (HUNDRED - pct) / HUNDRED).quantize(CENT)
        discount_request(line=line, by=by, pct=combined, reason=_("coupon %(code)s") % {"code": coupon.code})
    coupon.used_order, coupon.used_by, coupon.used_at = order, by, timezone.now()
    coupon.save(update_fields=["used_order", "used_by", "used_at"])
    record_event(order=order, by=by, kind="coupon_redeemed", note=f"{coupon.code}: {pct}%")
    return coupon
