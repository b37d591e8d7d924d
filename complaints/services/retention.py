"""Retention calls: the outcome of a call from the due-for-service, win-back or insurance-renewal list.

Each outcome is a row with who and when (``RetentionCall``); the lists show the latest one per vehicle (or customer).
The win-back list is the lost customers of the 客户流失率 definition (``reception.customer_loss``) for the month of
the call: a win-back call is refused for anyone else.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import RetentionCall
from core.errors import DomainError
from org.models import Staff
from reception.customer_loss import is_lost, month_start
from reception.models import Customer, Vehicle

K, Out = RetentionCall.Kind, RetentionCall.Outcome
_CALL = {Out.REACHED, Out.BOOKED, Out.NOT_INTERESTED, Out.UNREACHABLE}
WIN_BACK_OUTCOMES = [Out.WILL_COME, Out.REFUSED, Out.UNREACHABLE, Out.MOVED, Out.SOLD_CAR]
# reached, but the car is no longer theirs to bring: shown apart in the customer-loss drill-down, still counted lost
GONE = (Out.MOVED, Out.SOLD_CAR)
OUTCOMES = {
    K.SERVICE: _CALL,
    K.WIN_BACK: set(WIN_BACK_OUTCOMES),
    K.INSURANCE: {Out.RENEWED_HERE, Out.RENEWED_ELSEWHERE, Out.NOT_INTERESTED, Out.UNREACHABLE},
}


def outcome_choices(kind: str) -> list[tuple[str, str]]:
    if kind == K.WIN_BACK:  # in the order the callers work through them
        labels = dict(Out.choices)
        return [(value, labels[value]) for value in WIN_BACK_OUTCOMES]
    return [(value, label) for value, label in Out.choices if value in OUTCOMES[kind]]


@transaction.atomic
def retention_call_record(*, kind: str, by: Staff, outcome: str, note: str = "", customer: Customer | None = None,
                          vehicle: Vehicle | None = None) -> RetentionCall:
    """Record one call's outcome. A vehicle's call is the owner's; the outcome must fit the list; a win-back call
    is about a customer lost by the 客户流失率 definition for this month."""
    if kind not in OUTCOMES:
        raise ValueError(f"unknown list: {kind}")
    if outcome not in OUTCOMES[kind]:
        raise DomainError(_("This outcome does not fit this list."), field="outcome")
    if vehicle is not None:
        customer = vehicle.owner
    if customer is None:
        raise DomainError(_("The vehicle has no owner to call."), field="outcome")
    if kind != K.WIN_BACK and vehicle is None:
        raise ValueError("a service or insurance call is about a vehicle")
    if kind == K.WIN_BACK and not is_lost(station_id=customer.station_id, customer_id=customer.pk,
                                          month=month_start(timezone.localdate())):
        raise DomainError(_("This customer is not on this month's win-back list (not a lost customer)."),
                          field="outcome")
    return RetentionCall.objects.create(
        station_id=customer.station_id, kind=kind, customer=customer, vehicle=vehicle, outcome=outcome,
        note=note.strip(), by=by, insurance_expiry=vehicle.insurance_expiry if kind == K.INSURANCE else None,
    )
