"""Payment and CounterPayment share one abstract base (fields, database rules) and one receipt rule."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from core.errors import DomainError
from parts.factories import PartFactory
from parts.models import StockMove
from parts.services.stock import stock_move_post, warehouse_main
from settlement.models import CounterPayment, Payment, Receipted
from settlement.services.counter_sales import (
    counter_line_part_add,
    counter_payment_record,
    counter_sale_confirm,
    counter_sale_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def counter_paid(station, make_staff):
    lead = make_staff("parts_lead", username="larry")
    cashier = make_staff("cashier", username="cassie")
    warehouse = warehouse_main(station=station)
    part = PartFactory(station=station, list_price=Decimal("50.00"))
    stock_move_post(warehouse=warehouse, part=part, kind=StockMove.Kind.OPENING, quantity=Decimal("3"), by=lead,
                    unit_cost=Decimal("30.00"))
    sale = counter_sale_create(station=station, by=lead)
    counter_line_part_add(sale=sale, by=lead, part=part, quantity=Decimal("1"))
    sale = counter_sale_confirm(sale=sale, by=lead)
    return counter_payment_record(sale=sale, by=cashier, method="cash", amount=sale.gross, tendered=sale.gross + 10)


def test_one_receipt_sequence_and_rule_for_both(counter_paid):
    assert counter_paid.change == Decimal("10.00")
    assert counter_paid.receipt_number.startswith("SK")
    with pytest.raises(DomainError) as refused:
        counter_payment_record(sale=counter_paid.sale, by=counter_paid.received_by, method="cash", amount="0.01")
    assert refused.value.field == "amount"  # nothing more is owed


def test_both_payments_are_receipted_rows():
    assert issubclass(Payment, Receipted) and issubclass(CounterPayment, Receipted)
    names = {c.name for c in CounterPayment._meta.constraints}
    assert names == {"counterpayment_receipt_number_unique", "counterpayment_amount_positive",
                     "counterpayment_change_not_negative"}


def test_database_refuses_negative_change_and_repeated_receipt_on_a_counter_payment(counter_paid):
    payment = counter_paid
    with pytest.raises(IntegrityError), transaction.atomic():
        CounterPayment.objects.filter(pk=payment.pk).update(change=Decimal("-1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        CounterPayment.objects.create(station=payment.station, sale=payment.sale, method="cash", amount=Decimal("1"),
                                      received_by=payment.received_by, receipt_number=payment.receipt_number)
