"""Counter sales (柜台销售) without a work order: parts, accessories (精品), extended warranties (延保) and prepaid
service packages (保养套餐).

The smallest correct design: a Statement is tied to a work order and one payer (a unique pair, a non-null order, the
credit-note and claim paths built on both), so a counter sale is its own money document with the same rules:
catalogue price for the customer (parts.services.catalogue.sale_price), discounts within the seller's authority
(org.services.may_decide), stock issued only through parts.services.stock (row lock, never negative), VAT once on the
total (net × rate, half-up), payments with the cashier's receipt numbers (the same SK sequence as statements).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import HUNDRED, money_text, to_cents
from core.numbering import next_number
from org.services import Authority, may_decide
from parts.models import Part, StockMove
from parts.services.catalogue import sale_price
from parts.services.stock import event_record, locked_balance, quantity_text, stock_move_post, warehouse_main
from reception.models import Customer, Payer, Vehicle
from settlement.models import CounterPayment, CounterSale, CounterSaleLine, PackageSale, Payment
from settlement.services.packages import package_sale_create, package_terms_check
from settlement.services.payments import receipt_fields

SALE_PREFIX = "GX"  # 柜台销售
ZERO = Decimal("0.00")


def _draft(sale: CounterSale) -> CounterSale:
    sale = CounterSale.objects.select_for_update().get(pk=sale.pk)
    if sale.status != CounterSale.Status.DRAFT:
        raise DomainError(_("This counter sale is already confirmed."))
    return sale


@transaction.atomic
def counter_sale_create(*, station, by, customer=None, vehicle=None, walk_in_name: str = "") -> CounterSale:
    """A new draft sale; the customer is optional (a walk-in may leave a name or nothing)."""
    if customer is not None and customer.station_id != station.pk:
        raise DomainError(_("This customer belongs to another station."), field="customer")
    if vehicle is not None and vehicle.station_id != station.pk:
        raise DomainError(_("This vehicle belongs to another station."), field="vehicle")
    sale = CounterSale.objects.create(
        station=station, customer=customer, vehicle=vehicle, walk_in_name=walk_in_name.strip()[:60], created_by=by,
        number=next_number(station=station, kind="counter_sale", prefix=SALE_PREFIX),
    )
    event_record(station_id=station.pk, kind="counter_sale.create", by=by, reference=sale.number)
    return sale


@transaction.atomic
def counter_sale_start(*, station, by, mobile: str = "", plate: str = "", walk_in_name: str = "") -> CounterSale:
    """A draft sale for the customer with this mobile and/or the vehicle with this plate (its owner when no mobile is
    given); both optional."""
    customer = vehicle = None
    if mobile.strip():
        customer = Customer.objects.filter(station=station, mobile=mobile.strip()).first()
        if customer is None:
            raise DomainError(_("No customer with this mobile number at this station."), field="mobile")
    if plate.strip():
        vehicle = Vehicle.objects.filter(station=station, plate=plate.strip().upper()).first()
        if vehicle is None:
            raise DomainError(_("No vehicle with this plate at this station."), field="plate")
    if customer is None and vehicle is not None:
        customer = vehicle.owner  # the vehicle's owner, when known
    return counter_sale_create(station=station, by=by, customer=customer, vehicle=vehicle, walk_in_name=walk_in_name)


def part_by_number(*, station, part_number: str) -> Part:
    """The station's active part with this number, or a refusal at the field."""
    part = Part.objects.filter(station=station, part_number=part_number.strip(), is_active=True).first()
    if part is None:
        raise DomainError(_("No part with this number in the catalogue."), field="part_number")
    return part


def _discount(*, by, pct) -> Decimal:
    pct = Decimal(pct or 0)
    if pct < 0 or pct > HUNDRED:
        raise DomainError(_("The discount must be between 0 and 100 per cent."), field="discount_pct")
    if pct and not may_decide(staff=by, kind=Authority.DISCOUNT, amount=pct):
        raise DomainError(_("This discount is beyond your authority: ask the next person up."), field="discount_pct")
    return pct


def _amount(list_price: Decimal, quantity: Decimal, pct: Decimal) -> Decimal:
    return to_cents(list_price * quantity * (HUNDRED - pct) / HUNDRED)


@transaction.atomic
def counter_line_part_add(*, sale: CounterSale, by, part: Part, quantity: Decimal,
                          discount_pct: Decimal = ZERO) -> CounterSaleLine:
    """A part or accessory at the customer's catalogue price, less a discount within ``by``'s authority."""
    sale = _draft(sale)
    quantity = Decimal(quantity)
    if quantity <= 0:
        raise DomainError(_("The quantity must be more than zero."), field="quantity")
    if part.station_id != sale.station_id:
        raise DomainError(_("This part belongs to another station."), field="part")
    pct = _discount(by=by, pct=discount_pct)
    price = to_cents(sale_price(part=part, payer=Payer.CUSTOMER))
    return CounterSaleLine.objects.create(
        sale=sale, kind=CounterSaleLine.Kind.PART, part=part, description=str(part)[:120],
        quantity=quantity, list_price=price, discount_pct=pct, amount=_amount(price, quantity, pct),
    )


@transaction.atomic
def counter_line_warranty_add(*, sale: CounterSale, by, description: str, price: Decimal, term_months: int,
                              term_km: int, provider: str, discount_pct: Decimal = ZERO) -> CounterSaleLine:
    """An extended warranty (延保) for the sale's vehicle: term in months and km, price, provider."""
    sale = _draft(sale)
    if sale.vehicle_id is None:
        raise DomainError(_("An extended warranty is sold to a vehicle: choose the vehicle first."))
    price = to_cents(Decimal(price))
    if price <= 0:
        raise DomainError(_("The price must be more than zero."), field="price")
    if not term_months or term_months <= 0 or not term_km or term_km <= 0:
        raise DomainError(_("Enter the term in months and in km."), field="term_months")
    if not provider.strip():
        raise DomainError(_("Enter the provider."), field="provider")
    pct = _discount(by=by, pct=discount_pct)
    return CounterSaleLine.objects.create(
        sale=sale, kind=CounterSaleLine.Kind.WARRANTY, description=description.strip()[:120] or _("Extended warranty"),
        quantity=Decimal("1"), list_price=price, discount_pct=pct, amount=_amount(price, Decimal("1"), pct),
        term_months=term_months, term_km=term_km, provider=provider.strip()[:80],
    )


@transaction.atomic
def counter_line_package_add(*, sale: CounterSale, by, name: str, uses_total: int, price: Decimal, valid_until: date,
                             discount_pct: Decimal = ZERO) -> CounterSaleLine:
    """A prepaid service package (保养套餐) for the sale's customer (and vehicle, if the sale has one): its
    PackageSale is made when the sale is confirmed, and its money is the sale's."""
    sale = _draft(sale)
    package_terms_check(customer=sale.customer, uses_total=uses_total, price=price, valid_until=valid_until)
    if not name.strip():
        raise DomainError(_("Enter the package name."), field="name")
    price = to_cents(Decimal(price))
    pct = _discount(by=by, pct=discount_pct)
    return CounterSaleLine.objects.create(
        sale=sale, kind=CounterSaleLine.Kind.PACKAGE, description=name.strip()[:120], quantity=Decimal("1"),
        list_price=price, discount_pct=pct, amount=_amount(price, Decimal("1"), pct), package_uses=uses_total,
        package_valid_until=valid_until,
    )


@transaction.atomic
def counter_line_remove(*, sale: CounterSale, line_id: int, by) -> None:
    sale = _draft(sale)
    deleted, _rows = CounterSaleLine.objects.filter(sale=sale, pk=line_id).delete()
    if not deleted:
        raise DomainError(_("This line is not on the sale."))


@transaction.atomic
def counter_sale_confirm(*, sale: CounterSale, by) -> CounterSale:
    """Issue every part line from the main warehouse and freeze the totals; all or nothing.

    A line short of stock refuses the whole sale (naming the line), so nothing is issued and nothing changes.
    """
    sale = _draft(sale)
    lines = list(sale.lines.select_related("part").order_by("id"))
    if not lines:
        raise DomainError(_("Add at least one line first."))
    warehouse = warehouse_main(station=sale.station)
    for position, line in enumerate(lines, start=1):
        if line.kind == CounterSaleLine.Kind.PACKAGE:
            package = package_sale_create(line=line, by=by)
            event_record(station_id=sale.station_id, kind="counter_sale.package", by=by, reference=sale.number,
                         note=f"{package.name} ×{package.uses_total} {money_text(package.price)}")
        if line.kind != CounterSaleLine.Kind.PART:
            continue
        balance = locked_balance(warehouse=warehouse, part=line.part)
        free = balance.on_hand - balance.reserved
        if line.quantity > free:
            raise DomainError(
                _("Line %(n)s, %(part)s: only %(free)s free in stock, %(wanted)s wanted.") % {
                    "n": position, "part": line.part.part_number, "free": quantity_text(max(free, ZERO)),
                    "wanted": quantity_text(line.quantity)},
                field=f"line-{line.pk}",
            )
        stock_move_post(warehouse=warehouse, part=line.part, kind=StockMove.Kind.ISSUE, quantity=-line.quantity, by=by,
                        reference=sale.number, reason=_("Counter sale"), balance=balance)
    sale.net = sum((line.amount for line in lines), ZERO)
    sale.vat_rate = sale.station.vat_rate
    sale.vat = to_cents(sale.net * sale.vat_rate)
    sale.gross = sale.net + sale.vat
    sale.status = CounterSale.Status.CONFIRMED
    sale.confirmed_by, sale.confirmed_at = by, timezone.now()
    sale.save(update_fields=["net", "vat_rate", "vat", "gross", "status", "confirmed_by", "confirmed_at"])
    event_record(station_id=sale.station_id, kind="counter_sale.confirm", by=by, reference=sale.number,
                 note=money_text(sale.gross))
    return sale


@transaction.atomic
def counter_payment_record(*, sale: CounterSale, by, method: str, amount: Decimal, tendered: Decimal | None = None,
                           reference: str = "") -> CounterPayment:
    """A payment against a confirmed sale: not more than is still owed; cash works out the change."""
    sale = CounterSale.objects.select_for_update().get(pk=sale.pk)
    if sale.status != CounterSale.Status.CONFIRMED:
        raise DomainError(_("Confirm the sale before taking payment."))
    methods = [m for m in Payment.Method.values if m != Payment.Method.FLEET_CREDIT]
    payment = CounterPayment.objects.create(sale=sale, received_by=by, **receipt_fields(
        station=sale.station, method=method, amount=amount, owed=sale.outstanding, document=sale.number,
        tendered=tendered, reference=reference, methods=methods))
    amount = payment.amount
    event_record(station_id=sale.station_id, kind="counter_sale.payment", by=by, reference=sale.number,
                 note=f"{payment.receipt_number} {money_text(amount)}")
    return payment


@transaction.atomic
def package_sell(*, station, customer, by, name: str, uses_total: int, price: Decimal, valid_until: date,
                 vehicle=None) -> PackageSale:
    """Sell a package from the packages page: a counter sale with the package line, confirmed at once (the same
    services), so its money is taken by the cashier against that sale like any other."""
    sale = counter_sale_create(station=station, by=by, customer=customer, vehicle=vehicle)
    counter_line_package_add(sale=sale, by=by, name=name, uses_total=uses_total, price=price, valid_until=valid_until)
    counter_sale_confirm(sale=sale, by=by)
    return PackageSale.objects.select_related("counter_line__sale").get(counter_line__sale=sale)
