"""Settling an order: statements per payer with gapless numbers, and credit notes that correct them."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import to_cents
from core.numbering import next_number
from org.models import Staff
from reception.models import Payer, WorkOrder, WorkOrderLine
from reception.services.pricing import amount_of
from reception.services.workflow import record_event, work_order_transition
from settlement.models import Statement
from settlement.services.reconcile import reconcile

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


def statements_issue(*, order: WorkOrder, by: Staff) -> list[Statement]:
    """After-hook of READY→SETTLED (runs inside the transition's transaction): one statement per payer.

    Numbers come from the station's counter under SELECT … FOR UPDATE, so two cashiers settling at the same moment
    get consecutive numbers, and a transaction that rolls back gives its number back (no gap).
    """
    if Statement.objects.filter(order=order, kind=Statement.Kind.STATEMENT).exists():
        raise DomainError(_("This order has already been settled."))
    result = reconcile(order=order)
    by_payer_lines: dict[str, list[dict]] = {}
    for line in [*result.labour, *(p.line for p in result.parts), *result.sublet]:
        by_payer_lines.setdefault(line.payer, []).append(line_snapshot(line))
    statements = []
    now = timezone.now()
    for payer, totals, adjustment, due in result.payers:
        statements.append(
            Statement.objects.create(
                station=order.station, order=order, kind=Statement.Kind.STATEMENT, payer=payer,
                number=next_number(station=order.station, kind="statement", prefix=STATEMENT_PREFIX),
                labour=totals.labour, parts=totals.parts, sublet=totals.sublet, discount=totals.discount,
                net=totals.net, vat_rate=order.station.vat_rate, vat=totals.vat, gross=totals.gross,
                adjustment=adjustment, adjustment_note=result.adjustment_note if adjustment else "",
                due=due, lines=by_payer_lines.get(payer, []), issued_by=by, issued_at=now,
            )
        )
    if any(line.payer == Payer.WARRANTY for line in result.labour + [p.line for p in result.parts]):
        from settlement.services.claims import claim_create_from_order  # noqa: PLC0415 - avoid an import cycle

        claim_create_from_order(order=order, by=by, if_missing=True)
    record_event(order=order, by=by, kind="settlement",
                 note=", ".join(f"{s.number} {s.payer} {s.due}" for s in statements))
    return statements


@transaction.atomic
def order_settle(*, order: WorkOrder, by: Staff, note: str = "") -> list[Statement]:
    """Settle the order through the state table (guard: reconciliation; after: statements)."""
    work_order_transition(order=order, to=WorkOrder.Status.SETTLED, by=by, note=note)
    return list(Statement.objects.filter(order=order, kind=Statement.Kind.STATEMENT).order_by("id"))


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
