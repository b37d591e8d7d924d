"""Statement documents after the order is settled: the frozen line snapshot, credit notes (红冲) and supplements.

Settling the order (``settle.py``) issues the first statements and opens the warranty claim; claims bill a rejected
amount to the customer with a supplement from here, so neither of those two modules needs the other's.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import money_text, to_cents
from core.numbering import next_number
from org.models import Staff
from org.permissions import SETTLEMENT_APPROVE, has_action
from org.services import Authority, may_decide, supervisor_chain
from reception.models import WorkOrder, WorkOrderLine
from reception.services.pricing import amount_of
from reception.services.workflow import record_event
from settlement.models import CreditNoteRequest, Statement

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


def _creditable_amount(statement: Statement, reason: str, amount: Decimal | None) -> Decimal:
    """The gross amount a credit note on ``statement`` would credit, or the refusal (at its field)."""
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
    return amount


# --- credit notes need four eyes: one person asks, another with authority over the amount decides -----------------


@transaction.atomic
def credit_note_request(
    *, statement: Statement, by: Staff, reason: str, amount: Decimal | None = None
) -> CreditNoteRequest:
    """Ask for a credit note (红冲) on a settled statement. Nothing is credited until someone else with authority over
    the amount (``org.services`` goodwill limit, CNY) approves it: ``credit_note_decide``.

    ``amount`` is the gross amount to credit (default: everything not yet credited)."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    amount = _creditable_amount(statement, reason, amount)
    if statement.credit_requests.filter(status=CreditNoteRequest.Status.PENDING).exists():
        raise DomainError(_("A credit note on %(number)s is already waiting for approval.")
                          % {"number": statement.number}, field="amount")
    approver = next(
        (p for p in supervisor_chain(staff=by) if p.is_active and _may_approve(staff=p, statement=statement,
                                                                               amount=amount)),
        None,
    )
    request = CreditNoteRequest.objects.create(statement=statement, amount=amount, reason=reason.strip()[:255],
                                               requested_by=by, approver=approver)
    record_event(order=statement.order, by=by, kind="credit_note_requested",
                 note=_("%(amount)s on %(number)s, asked of %(who)s (%(reason)s)")
                 % {"amount": money_text(amount), "number": statement.number, "who": approver or _("head office"),
                    "reason": request.reason})
    return request


def _may_approve(*, staff: Staff, statement: Statement, amount: Decimal) -> bool:
    return (
        staff.is_active
        and staff.station_id in (None, statement.station_id)
        and (staff.station_id is not None or staff.group_id == statement.station.group_id)
        and has_action(staff, SETTLEMENT_APPROVE)
        and may_decide(staff=staff, kind=Authority.GOODWILL, amount=amount)
    )


def may_decide_credit_request(*, request: CreditNoteRequest, by: Staff) -> bool:
    """Someone other than the person who asked, with authority over the amount, in the statement's station."""
    if request.status != CreditNoteRequest.Status.PENDING or by.pk == request.requested_by_id:
        return False
    return _may_approve(staff=by, statement=request.statement, amount=request.amount)


@transaction.atomic
def credit_note_decide(*, request: CreditNoteRequest, by: Staff, approve: bool, note: str = "") -> CreditNoteRequest:
    """Approve (the credit note is issued now) or decline a credit note request. Both are recorded."""
    request = CreditNoteRequest.objects.select_for_update().select_related("statement__station").get(pk=request.pk)
    if request.status != CreditNoteRequest.Status.PENDING:
        raise DomainError(_("This request has already been decided."))
    if by.pk == request.requested_by_id:
        raise DomainError(_("A credit note you asked for is approved by someone else."))
    if not may_decide_credit_request(request=request, by=by):
        raise DomainError(_("A credit note of %(amount)s is beyond your authority.") % {"amount": money_text(request.amount)})
    request.status = CreditNoteRequest.Status.APPROVED if approve else CreditNoteRequest.Status.DECLINED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_note = note[:255]
    if approve:
        request.credit_note = _credit_note_issue(statement=request.statement, by=request.requested_by,
                                                 approved_by=by, reason=request.reason, amount=request.amount)
    request.save()
    record_event(order=request.statement.order, by=by, kind="credit_note_decided",
                 note=f"{request.get_status_display()}: {request.statement.number} −{request.amount} {note}".strip())
    return request


def credit_requests_waiting_for(user: Staff):
    """Pending credit note requests this person may decide (in the stations they see)."""
    qs = CreditNoteRequest.objects.filter(status=CreditNoteRequest.Status.PENDING).exclude(requested_by=user)
    if user.station_id is not None:
        qs = qs.filter(statement__station_id=user.station_id)
    elif user.group_id is not None:
        qs = qs.filter(statement__station__group_id=user.group_id)
    else:
        qs = qs.none()
    qs = qs.select_related("statement__order__vehicle", "statement__station", "requested_by", "approver")
    return [r for r in qs if may_decide_credit_request(request=r, by=user)]


def _credit_note_issue(
    *, statement: Statement, by: Staff, approved_by: Staff, reason: str, amount: Decimal | None = None
) -> Statement:
    """Correct a settled statement: a credit note (negative amounts) that references it. The original never changes.

    Only ``credit_note_decide`` calls this, after a second person approved. ``amount`` is the gross amount to credit
    (default: everything not yet credited). VAT is taken out of it at the original's rate, rounded half-up to the cent.
    """
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    amount = _creditable_amount(statement, reason, amount)
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
    record_event(order=statement.order, by=approved_by, kind="credit_note",
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
