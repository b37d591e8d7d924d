"""Fleet accounts (车队 / 大客户): the contract's negotiated prices, its credit limit and approved drivers.

Prices: reception asks ``customer_price_terms`` through the registry when it prices a customer-pay line (reception
is below settlement). Credit: a payment put on the fleet's account (``fleet_credit``) is refused when the fleet's
exposure would pass its limit, unless someone with authority approved that statement's amount (four eyes).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import money_text, to_cents
from org.models import Staff, Station
from org.permissions import SETTLEMENT_APPROVE, has_action
from org.services import Authority, Limits, may_decide
from reception.models import Customer
from reception.services.workflow import record_event
from settlement.models import CreditLimitApproval, FleetContract, FleetDriver, Statement
from settlement.services.receivables import fleet_exposure

ZERO = Decimal("0.00")


def active_contract(customer_id: int) -> FleetContract | None:
    contract = FleetContract.objects.filter(customer_id=customer_id, is_active=True).first()
    if contract and contract.valid_until and contract.valid_until < timezone.localdate():
        return None
    return contract


def customer_price_terms(*, customer_id: int) -> dict | None:
    """The negotiated labour rate (None: the catalogue's) and parts discount of the customer's active contract."""
    contract = active_contract(customer_id)
    if contract is None:
        return None
    return {"labour_rate": contract.labour_rate, "parts_discount_pct": contract.parts_discount_pct}


def _decimal(value, field: str, *, low: Decimal = ZERO, high: Decimal | None = None) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Enter a number."), field=field) from None
    if number < low or (high is not None and number > high):
        raise DomainError(_("This number is out of range."), field=field)
    return number


@transaction.atomic
def fleet_contract_save(*, station: Station, by: Staff, customer: Customer, number: str, credit_limit,
                        parts_discount_pct=ZERO, labour_rate=None, valid_until=None, is_active: bool = True,
                        contract: FleetContract | None = None) -> FleetContract:
    if customer.station_id != station.pk:
        raise DomainError(_("This customer is not in the station's records."), field="customer")
    if customer.kind != Customer.Kind.FLEET:
        raise DomainError(_("Only fleet / corporate accounts have a contract."), field="customer")
    if not number.strip():
        raise DomainError(_("Enter the contract number."), field="number")
    other = FleetContract.objects.filter(customer=customer).exclude(pk=getattr(contract, "pk", None))
    if other.exists():
        raise DomainError(_("This customer already has a contract."), field="customer")
    values = {
        "station": station, "customer": customer, "number": number.strip(), "updated_by": by,
        "credit_limit": to_cents(_decimal(credit_limit, "credit_limit")),
        "parts_discount_pct": _decimal(parts_discount_pct or 0, "parts_discount_pct", high=Decimal("100")),
        "labour_rate": None if labour_rate in (None, "") else to_cents(_decimal(labour_rate, "labour_rate")),
        "valid_until": valid_until, "is_active": is_active,
    }
    if contract is None:
        return FleetContract.objects.create(**values)
    for key, value in values.items():
        setattr(contract, key, value)
    contract.save()
    return contract


@transaction.atomic
def fleet_driver_add(*, contract: FleetContract, by: Staff, name: str, mobile: str) -> FleetDriver:
    name, mobile = name.strip(), mobile.strip()
    if not name:
        raise DomainError(_("Enter the driver's name."), field="name")
    if not mobile.isdigit() or len(mobile) < 7:
        raise DomainError(_("Enter the driver's mobile number."), field="mobile")
    return FleetDriver.objects.create(contract=contract, name=name, mobile=mobile, added_by=by)


def is_approved_driver(*, customer_id: int, mobile: str) -> bool:
    return FleetDriver.objects.filter(contract__customer_id=customer_id, contract__is_active=True,
                                      mobile=mobile.strip()).exists()


def credit_headroom(contract: FleetContract) -> Decimal:
    return contract.credit_limit - fleet_exposure(contract.customer_id)


def fleet_credit_check(*, statement: Statement, amount: Decimal) -> None:
    """Inside the payment's transaction: refuse an amount beyond the contract's credit limit unless approved (the
    approval is used up by this payment)."""
    contract = active_contract(statement.order.customer_id)
    if contract is None:
        return
    FleetContract.objects.select_for_update().get(pk=contract.pk)  # two cashiers cannot both use the headroom
    headroom = credit_headroom(contract)
    if amount <= headroom:
        return
    approval = (CreditLimitApproval.objects.select_for_update()
                .filter(statement=statement, status=CreditLimitApproval.Status.APPROVED, used=False,
                        amount__gte=amount).first())
    if approval is None:
        raise DomainError(
            _("Above the fleet's credit limit: %(headroom)s left of %(limit)s. Ask a manager to approve.")
            % {"headroom": money_text(max(headroom, ZERO)), "limit": money_text(contract.credit_limit)},
            field="amount")
    approval.used = True
    approval.save(update_fields=["used"])


@transaction.atomic
def credit_limit_request(*, statement: Statement, by: Staff, amount) -> CreditLimitApproval:
    contract = active_contract(statement.order.customer_id)
    if contract is None:
        raise DomainError(_("This customer has no fleet contract."))
    amount = to_cents(_decimal(amount, "amount"))
    if amount <= 0:
        raise DomainError(_("The amount must be more than zero."), field="amount")
    excess = amount - max(credit_headroom(contract), ZERO)
    if excess <= 0:
        raise DomainError(_("This amount is within the credit limit: no approval is needed."), field="amount")
    if CreditLimitApproval.objects.filter(statement=statement, status=CreditLimitApproval.Status.PENDING).exists():
        raise DomainError(_("An approval for this statement is already waiting."), field="amount")
    approval = CreditLimitApproval.objects.create(contract=contract, statement=statement, amount=amount,
                                                  excess=excess, requested_by=by)
    record_event(order=statement.order, by=by, kind="credit_limit_requested",
                 note=f"{statement.number} {money_text(amount)} (+{money_text(excess)})")
    return approval


def may_approve_credit(*, approval: CreditLimitApproval, by: Staff, limits: Limits | None = None) -> bool:
    """Someone else than who asked, holding the approval action, whose goodwill limit covers the excess (``limits``:
    the person's limits read once for a list)."""
    if by.pk == approval.requested_by_id or not has_action(by, SETTLEMENT_APPROVE) or not by.is_active:
        return False
    if by.is_superuser:
        return True
    if limits is None:
        return may_decide(staff=by, kind=Authority.GOODWILL, amount=approval.excess)
    return approval.excess <= limits.max_goodwill


@transaction.atomic
def credit_limit_decide(*, approval: CreditLimitApproval, by: Staff, approve: bool) -> CreditLimitApproval:
    approval = CreditLimitApproval.objects.select_for_update().select_related("statement__order").get(pk=approval.pk)
    if approval.status != CreditLimitApproval.Status.PENDING:
        raise DomainError(_("This request has already been decided."))
    if by.pk == approval.requested_by_id:
        raise DomainError(_("Someone else approves what you asked for."))
    if not may_approve_credit(approval=approval, by=by):
        raise DomainError(_("%(amount)s above the credit limit is beyond your authority.")
                          % {"amount": money_text(approval.excess)})
    approval.status = CreditLimitApproval.Status.APPROVED if approve else CreditLimitApproval.Status.DECLINED
    approval.decided_by, approval.decided_at = by, timezone.now()
    approval.save()
    record_event(order=approval.statement.order, by=by, kind="credit_limit_decided",
                 note=f"{approval.get_status_display()}: {approval.statement.number} {money_text(approval.amount)}")
    return approval
