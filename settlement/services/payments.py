"""The cashier's payments (收款): recorded, not processed. Partial payments, cash change, fleet credit."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import money_text, to_cents
from core.numbering import next_number
from org.models import Staff, Station
from reception.models import Customer, Payer, WorkOrder
from reception.services.workflow import record_event
from settlement.models import Payment, Statement
from settlement.services.fleet import fleet_credit_check

RECEIPT_PREFIX = "SK"  # 收款
ZERO = Decimal("0.00")
M = Payment.Method


def statement_balance(statement: Statement) -> Decimal:
    """What is still owed on a statement, after its credit notes and payments."""
    # .all() and a test in Python, so a list of statements with corrections prefetched makes no query per statement.
    credited = sum((c.due for c in statement.corrections.all() if c.kind == Statement.Kind.CREDIT_NOTE), ZERO)
    paid = sum((p.amount for p in statement.payments.all()), ZERO)
    return statement.due + credited - paid


def order_customer_balance(*, order: WorkOrder) -> Decimal:
    """What the customer still owes on the order (fleet credit counts as settled on account)."""
    statements = Statement.objects.filter(order=order, payer=Payer.CUSTOMER).exclude(kind=Statement.Kind.CREDIT_NOTE)
    return sum((statement_balance(s) for s in statements), ZERO)


def cash_change(*, method: str, amount: Decimal, tendered) -> tuple[Decimal | None, Decimal]:
    """(tendered, change) of a payment: cash works out the change (tendered defaults to the amount); other methods
    carry neither."""
    if method != M.CASH:
        return None, ZERO
    tendered = to_cents(Decimal(tendered)) if tendered not in (None, "") else amount
    if tendered < amount:
        raise DomainError(_("The cash tendered is less than the amount."), field="tendered")
    return tendered, tendered - amount


def receipt_fields(*, station: Station, method: str, amount, owed: Decimal, document: str, tendered=None,
                   reference: str = "", methods=None) -> dict:
    """The one receipt rule (收款), for a statement's payment and a counter sale's alike: a known method (of
    ``methods``, all by default), more than zero and not more than is still ``owed`` on ``document``, cash works out
    the change, a transfer names its reference; then the station's next SK receipt number. Returns the fields of a
    ``Receipted`` row; refusals come back at their field."""
    if method not in (methods or M.values):
        raise DomainError(_("Choose a payment method."), field="method")
    amount = to_cents(Decimal(amount))
    if amount <= 0:
        raise DomainError(_("The amount must be more than zero."), field="amount")
    if amount > owed:
        raise DomainError(
            _("Only %(balance)s is still owed on %(number)s.") % {"balance": money_text(owed), "number": document},
            field="amount",
        )
    tendered, change = cash_change(method=method, amount=amount, tendered=tendered)
    if method == M.TRANSFER and not reference.strip():
        raise DomainError(_("Enter the transfer reference."), field="reference")
    return {"station": station, "method": method, "amount": amount, "tendered": tendered, "change": change,
            "reference": reference.strip(),
            "receipt_number": next_number(station=station, kind="receipt", prefix=RECEIPT_PREFIX)}


@transaction.atomic
def payment_record(
    *, statement: Statement, by: Staff, method: str, amount: Decimal, tendered: Decimal | None = None,
    reference: str = "",
) -> Payment:
    statement = Statement.objects.select_for_update().select_related("order__customer").get(pk=statement.pk)
    if statement.kind == Statement.Kind.CREDIT_NOTE:
        raise DomainError(_("Payments are recorded against statements, not credit notes."))
    if method == M.FLEET_CREDIT and statement.order.customer.kind != Customer.Kind.FLEET:
        raise DomainError(_("Only fleet / corporate accounts may pay on credit."), field="method")
    fields = receipt_fields(station=statement.station, method=method, amount=amount, owed=statement_balance(statement),
                            document=statement.number, tendered=tendered, reference=reference)
    if method == M.FLEET_CREDIT:
        fleet_credit_check(statement=statement, amount=fields["amount"])
    payment = Payment.objects.create(statement=statement, received_by=by, **fields)
    amount = payment.amount
    record_event(order=statement.order, by=by, kind="payment",
                 note=f"{payment.receipt_number} {statement.number} {payment.get_method_display()} {amount}")
    return payment
