"""The cashier's payments: partial, change, overpayment refused, fleet credit, references."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import DomainError
from settlement.factories import credit_note_approved
from settlement.services.payments import order_customer_balance, payment_record, statement_balance
from settlement.services.settle import order_settle

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def statement(ready_order, cashier):
    return order_settle(order=ready_order, by=cashier)[0]  # customer, due 1227.18


def test_partial_payments_add_up_and_get_their_own_receipt_numbers(statement, cashier):
    first = payment_record(statement=statement, by=cashier, method="wechat", amount=D("1000.00"), reference="WX1")
    assert statement_balance(statement) == D("227.18")
    second = payment_record(statement=statement, by=cashier, method="alipay", amount=D("227.18"), reference="ZFB2")
    assert statement_balance(statement) == 0
    assert first.receipt_number != second.receipt_number
    assert int(second.receipt_number[-6:]) == int(first.receipt_number[-6:]) + 1


def test_cash_gives_change(statement, cashier):
    payment = payment_record(statement=statement, by=cashier, method="cash", amount=D("1227.18"), tendered=D("1300"))
    assert payment.change == D("72.82") and payment.tendered == D("1300.00")


def test_cash_tendered_below_the_amount_is_refused(statement, cashier):
    with pytest.raises(DomainError) as exc:
        payment_record(statement=statement, by=cashier, method="cash", amount=D("500"), tendered=D("400"))
    assert exc.value.field == "tendered"


def test_paying_more_than_is_owed_is_refused(statement, cashier):
    with pytest.raises(DomainError, match="still owed") as exc:
        payment_record(statement=statement, by=cashier, method="card", amount=D("1227.19"))
    assert exc.value.field == "amount"


def test_zero_or_negative_amounts_are_refused(statement, cashier):
    for amount in (D("0"), D("-5")):
        with pytest.raises(DomainError):
            payment_record(statement=statement, by=cashier, method="card", amount=amount)


def test_only_fleet_accounts_pay_on_credit(statement, cashier):
    with pytest.raises(DomainError, match="fleet"):
        payment_record(statement=statement, by=cashier, method="fleet_credit", amount=D("100"))
    customer = statement.order.customer
    customer.kind = "fleet"
    customer.save()
    payment_record(statement=statement, by=cashier, method="fleet_credit", amount=statement.due)
    assert order_customer_balance(order=statement.order) == 0


def test_a_bank_transfer_needs_its_reference(statement, cashier):
    with pytest.raises(DomainError) as exc:
        payment_record(statement=statement, by=cashier, method="transfer", amount=D("100"))
    assert exc.value.field == "reference"


def test_a_credit_note_reduces_what_is_owed_and_takes_no_payments(statement, cashier):
    credit = credit_note_approved(statement=statement, by=cashier, reason="优惠", amount=D("227.18"))
    assert statement_balance(statement) == D("1000.00")
    with pytest.raises(DomainError):
        payment_record(statement=credit, by=cashier, method="cash", amount=D("1"))


def test_unknown_method_is_refused(statement, cashier):
    with pytest.raises(DomainError):
        payment_record(statement=statement, by=cashier, method="bitcoin", amount=D("1"))
