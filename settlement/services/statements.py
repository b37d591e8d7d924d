"""Statement documents after the order is settled: the frozen line snapshot, credit notes (红冲) and supplements.

Settling the order (``settle.py``) issues the first statements and opens the warranty claim; claims bill a rejected
amount to the customer with a supplement from here, so neither of those two modules needs the other's.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import to_cents
from core.numbering import next_number
from org.models import Staff
from reception.models import WorkOrder, WorkOrderLine
from reception.services.pricing import amount_of
from reception.services.workflow import record_event
from settlement.models import Statement

STATEMENT_PREFIX = "JS"  # 结算
CREDIT_NOTE_PREFIX = "HC"  # 红冲
ZERO = Decimal("0.00")


def line_snapshot(line: WorkOrderLine) -> dict:
    """What the printout needs of a line, frozen at settlement."""
    code, name_en = "", ""
    if line.labour_operation_id:
        code, name_en = line.labour_operation.code, line.labour_operation.name_en
    elif line.part_id:
        code, name_en = line.part.part_number, line.part.name_en
    return {
        "id": line.pk,
        "kind": line.kind,
        "code": code,
        "description": line.description,
        "name_en": name_en,
        "quantity": str(line.quantity),
        "hours": str(line.hours),
        "unit": getattr(line.part, "unit", "") if line.part_id else "",
        "unit_price": str(line.unit_price),
        "discount_pct": str(line.discount_pct),
        "amount": str(amount_of(line)),
        "is_additional": line.is_additional,
    }


def credited_so_far(statement: Statement) -> Decimal:
    return -sum((c.due for c in statement.corrections.filter(kind=Statement.Kind.CREDIT_NOTE)), ZERO)


@transaction.atomic
def credit_note_issue(
    *, statement: Statement, by: Staff, reason: str, amount: Decimal | None = None
) -> Statement:
    """Correct a settled statement: a credit note (negative amounts) that references it. The original never changes.

    ``amount`` is the gross amount to credit (default: everything not yet credited). VAT is taken out of it at the
    original's rate, rounded half-up to the cent.
    """
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.kind == Statement.Kind.CREDIT_NOTE:
        raise DomainError(_("A credit note cannot itself be credited."))
    if not reason.strip():
        raise DomainError(_("Please give the reason for the correction."), field="reason")
    creditable = statement.due - credited_so_far(statement)
    amount = creditable if amount is None else to_cents(Decimal(amount))
    if amount <= 0:
        raise DomainError(_("The amount to credit must be more than zero."), field="amount")
    if amount > creditable:
        raise DomainError(
            _("At most %(max)s can still be credited on %(number)s.") % {"max": creditable, "number": statement.number},
            field="amount",
        )
    full = amount == statement.due and not statement.corrections.exists()
    if full:
        labour, parts, sublet, discount = statement.labour, statement.parts, statement.sublet, statement.discount
        net, vat, gross, adjustment = statement.net, statement.vat, statement.gross, statement.adjustment
    else:
        vat = to_cents(amount * statement.vat_rate / (1 + statement.vat_rate))
        net = amount - vat
        labour = parts = sublet = discount = ZERO
        gross, adjustment = amount, ZERO
    credit = Statement.objects.create(
        station=statement.station, order=statement.order, kind=Statement.Kind.CREDIT_NOTE, payer=statement.payer,
        number=next_number(station=statement.station, kind="credit_note", prefix=CREDIT_NOTE_PREFIX),
        original=statement, labour=-labour, parts=-parts, sublet=-sublet, discount=-discount, net=-net,
        vat_rate=statement.vat_rate, vat=-vat, gross=-gross, adjustment=-adjustment,
        adjustment_note=statement.adjustment_note if adjustment else "", due=-amount,
        lines=statement.lines if full else [], reason=reason, issued_by=by,
    )
    record_event(order=statement.order, by=by, kind="credit_note",
                 note=f"{credit.number} → {statement.number}: -{amount} ({reason})")
    return credit


@transaction.atomic
def supplement_issue(*, order: WorkOrder, by: Staff, payer: str, amount: Decimal, reason: str) -> Statement:
    """An extra statement after settlement (e.g. a rejected warranty amount the customer agreed to pay)."""
    amount = to_cents(Decimal(amount))
    if amount <= 0:
        raise DomainError(_("The amount must be more than zero."), field="amount")
    rate = order.station.vat_rate
    vat = to_cents(amount * rate / (1 + rate))
    statement = Statement.objects.create(
        station=order.station, order=order, kind=Statement.Kind.SUPPLEMENT, payer=payer,
        number=next_number(station=order.station, kind="statement", prefix=STATEMENT_PREFIX),
        net=amount - vat, vat_rate=rate, vat=vat, gross=amount, due=amount, reason=reason, issued_by=by,
        lines=[{"kind": "sublet", "code": "", "description": reason, "name_en": "", "quantity": "1", "hours": "0",
                "unit": "", "unit_price": str(amount - vat), "discount_pct": "0", "amount": str(amount - vat),
                "is_additional": False}],
    )
    record_event(order=order, by=by, kind="supplement", note=f"{statement.number}: {amount} ({reason})")
    return statement
