"""A payer's remittance applied to several documents (核销): allocation rows, never more than received nor more
than a document still owes. A part of a document still open at the desk is paid there (a ``Payment``, which records
the order event with who and when); a part that a fleet had put on its account is cleared by the allocation."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import money_text, to_cents
from org.models import Staff, Station
from reception.services.workflow import record_event
from settlement.models import Allocation, Payment, Remittance, Statement
from settlement.services.payments import payment_record, statement_balance
from settlement.services.receivables import PAYER_KINDS, with_open

ZERO = Decimal("0.00")


@transaction.atomic
def remittance_apply(*, station: Station, by: Staff, payer_kind: str, method: str, amount, reference: str = "",
                     allocations: list[tuple[Statement, Decimal]]) -> Remittance:
    if payer_kind not in dict(PAYER_KINDS):
        raise DomainError(_("Choose the payer."), field="payer_kind")
    if method not in Payment.Method.values or method == Payment.Method.FLEET_CREDIT:
        raise DomainError(_("Choose a payment method."), field="method")
    amount = to_cents(Decimal(amount))
    if amount <= 0:
        raise DomainError(_("The amount must be more than zero."), field="amount")
    if method == Payment.Method.TRANSFER and not reference.strip():
        raise DomainError(_("Enter the transfer reference."), field="reference")
    wanted = [(s, to_cents(Decimal(a))) for s, a in allocations if a and Decimal(a) != 0]
    if not wanted:
        raise DomainError(_("Apply the amount to at least one document."), field="amount")
    if any(a < 0 for _s, a in wanted):
        raise DomainError(_("An amount applied cannot be negative."), field="amount")
    if sum(a for _s, a in wanted) > amount:
        raise DomainError(_("More is applied than was received (%(amount)s).") % {"amount": money_text(amount)},
                          field="amount")
    remittance = Remittance.objects.create(station=station, payer_kind=payer_kind, method=method, amount=amount,
                                           reference=reference.strip(), received_by=by)
    ids = [s.pk for s, _a in wanted]
    locked = {s.pk: s for s in Statement.objects.select_for_update().filter(pk__in=ids)}
    opened = dict(with_open(Statement.objects.filter(pk__in=ids).select_related("order"))
                  .values_list("pk", "open_amount"))
    kinds = dict(with_open(Statement.objects.filter(pk__in=ids)).values_list("pk", "payer_kind"))
    for statement, part in wanted:
        statement = locked[statement.pk]
        if statement.station_id != station.pk or kinds.get(statement.pk) != payer_kind:
            raise DomainError(_("%(number)s is not a document of this payer.") % {"number": statement.number},
                              field="amount")
        if part > opened.get(statement.pk, ZERO):
            raise DomainError(_("Only %(open)s is still open on %(number)s.") % {
                "open": money_text(opened.get(statement.pk, ZERO)), "number": statement.number}, field="amount")
        at_desk = min(part, max(statement_balance(statement), ZERO))
        if at_desk:
            payment = payment_record(statement=statement, by=by, method=method, amount=at_desk,
                                     reference=reference or _("remittance"))
            Allocation.objects.create(remittance=remittance, statement=statement, payment=payment, amount=at_desk,
                                      by=by)
        if part - at_desk:
            Allocation.objects.create(remittance=remittance, statement=statement, amount=part - at_desk, by=by)
            record_event(order=statement.order, by=by, kind="remittance",
                         note=f"{statement.number} {remittance.get_method_display()} {part - at_desk}")
    return remittance
