"""The one place tests and benches build settlement's rows as history: statements, payments, warranty claims.
Orders and their lines are reception's (``reception.factories``: ``WorkOrderFactory(ready=True)``, ``labour_line``,
``part_line``, ``sublet_line``). Settling an order in a test of the flow goes through ``settlement.services``."""

from __future__ import annotations

from decimal import Decimal

import factory

from org.factories import StaffFactory
from reception.factories import WorkOrderFactory
from settlement.models import Payment, Statement, WarrantyClaim
from settlement.services.statements import credit_note_decide, credit_note_request


class StatementFactory(factory.django.DjangoModelFactory):
    """A customer statement of 300.00 net at 13 % VAT."""

    class Meta:
        model = Statement

    order = factory.SubFactory(WorkOrderFactory, status="settled")
    station = factory.SelfAttribute("order.station")
    payer = "customer"
    number = factory.Sequence(lambda n: f"JST{n:012d}")
    net = Decimal("300.00")
    vat_rate = Decimal("0.13")
    vat = Decimal("39.00")
    gross = Decimal("339.00")
    due = Decimal("339.00")
    issued_by = factory.SubFactory(StaffFactory, station=factory.SelfAttribute("..station"), position="cashier")


class PaymentFactory(factory.django.DjangoModelFactory):
    """The statement paid in full, in cash."""

    class Meta:
        model = Payment

    statement = factory.SubFactory(StatementFactory)
    station = factory.SelfAttribute("statement.station")
    receipt_number = factory.Sequence(lambda n: f"SKT{n:012d}")
    method = "cash"
    amount = factory.SelfAttribute("statement.due")
    received_by = factory.SelfAttribute("statement.issued_by")


class WarrantyClaimFactory(factory.django.DjangoModelFactory):
    """A draft claim on a settled order."""

    class Meta:
        model = WarrantyClaim

    order = factory.SubFactory(WorkOrderFactory, status="settled")
    station = factory.SelfAttribute("order.station")
    number = factory.Sequence(lambda n: f"SPT{n:06d}")
    created_by = factory.SubFactory(StaffFactory, station=factory.SelfAttribute("..station"),
                                    position="warranty_clerk")


def credit_note_approved(*, statement: Statement, by, reason: str, amount: Decimal | None = None,
                         approver=None) -> Statement:
    """A credit note made the only way there is: asked for by ``by`` (the cashier) and approved by ``approver``
    (default: the person ``by`` reports to)."""
    request = credit_note_request(statement=statement, by=by, reason=reason, amount=amount)
    decided = credit_note_decide(request=request, by=approver or by.reports_to, approve=True)
    return decided.credit_note
