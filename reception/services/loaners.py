"""Loaner cars (代步车): the station's fleet, bookings against a work order, hand-out and return.

A booking holds one car for a period; two live bookings (booked or out) of one car never overlap. The service locks
the car's row and looks for an overlap before it books, and the database's exclusion constraint refuses an overlap
that slipped past anyway. A loaner is charged per started day at the car's rate; free of charge is goodwill worth the
booked days and needs that goodwill authority (``org.services.may_decide``), else the name of who may decide.
Every change writes a ``LoanerEvent`` with who and when.

The charge is posted at return to the work order as a customer-pay line (sublet kind: neither labour hours nor a
part from stock) priced per day, so it is taxed, settled, receipted and invoiced with the order; a free loaner posts
nothing (its goodwill is the booking's ``free_by`` and value, not a line). A settled order never changes, so a loaner
is returned before its order is settled: settlement is refused while one is out (``loaners_returned``), and a return
with a charge against an order already closed is refused with the way out (make it free).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import AuthorityError, DomainError, TransitionError
from core.money import Payer, to_cents
from org.models import Staff, Station
from org.services import Authority, may_decide, next_approver
from reception.models import Loaner, LoanerBooking, LoanerEvent, WorkOrder, WorkOrderLine
from reception.services.workflow import record_event

LIVE = (LoanerBooking.Status.BOOKED, LoanerBooking.Status.OUT)
CLOSED_ORDER = ("settled", "delivered", "cancelled")


def _event(booking: LoanerBooking, kind: str, by: Staff | None, note: str = "") -> None:
    LoanerEvent.objects.create(booking=booking, kind=kind, by=by, note=note)


def _days(start: datetime, end: datetime) -> int:
    return max(1, math.ceil((end - start) / timedelta(days=1)))


@transaction.atomic
def loaner_create(*, station: Station, by: Staff, plate: str, model_name: str, daily_rate: Decimal,
                  active: bool = True) -> Loaner:
    plate = plate.strip().upper()
    if Loaner.objects.filter(station=station, plate=plate).exists():
        raise DomainError(_("The fleet already has a car with this plate."), field="plate")
    return Loaner.objects.create(station=station, plate=plate, model_name=model_name.strip(),
                                 daily_rate=to_cents(daily_rate), active=active)


@transaction.atomic
def loaner_update(*, loaner: Loaner, by: Staff, **values) -> Loaner:
    loaner = Loaner.objects.select_for_update().get(pk=loaner.pk)
    unknown = set(values) - {"plate", "model_name", "daily_rate", "active"}
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    if "plate" in values:
        values["plate"] = values["plate"].strip().upper()
        if Loaner.objects.filter(station=loaner.station, plate=values["plate"]).exclude(pk=loaner.pk).exists():
            raise DomainError(_("The fleet already has a car with this plate."), field="plate")
    for name, value in values.items():
        setattr(loaner, name, value)
    loaner.save()
    return loaner


@transaction.atomic
def loaner_book(*, order: WorkOrder, loaner: Loaner, by: Staff, starts_at: datetime, ends_at: datetime,
                note: str = "") -> LoanerBooking:
    """Book the car for the order's customer for the period; refused when the car is taken then."""
    if loaner.station_id != order.station_id:
        raise DomainError(_("This car belongs to another station."), field="loaner")
    if order.status in CLOSED_ORDER:
        raise DomainError(_("A loaner can only be booked for an open order."))
    if ends_at <= starts_at:
        raise DomainError(_("The end must come after the start."), field="ends_at")
    locked = Loaner.objects.select_for_update().get(pk=loaner.pk)
    if not locked.active:
        raise DomainError(_("This car is out of service."), field="loaner")
    clash = (LoanerBooking.objects.filter(loaner=locked, status__in=LIVE, starts_at__lt=ends_at, ends_at__gt=starts_at)
             .select_related("order").first())
    if clash is not None:
        raise DomainError(_("%(plate)s is booked then for order %(number)s.")
                          % {"plate": locked.plate, "number": clash.order.number}, field="loaner")
    try:
        with transaction.atomic():
            booking = LoanerBooking.objects.create(station_id=order.station_id, loaner=locked, order=order,
                                                   starts_at=starts_at, ends_at=ends_at)
    except IntegrityError as exc:
        raise DomainError(_("%(plate)s is booked then.") % {"plate": locked.plate}, field="loaner") from exc
    _event(booking, "booked", by, note)
    return booking


def _locked(booking: LoanerBooking) -> LoanerBooking:
    return LoanerBooking.objects.select_for_update().select_related("loaner").get(pk=booking.pk)


@transaction.atomic
def loaner_hand_out(*, booking: LoanerBooking, by: Staff, mileage: int, fuel: int, damage: str = "",
                    at: datetime | None = None) -> LoanerBooking:
    booking = _locked(booking)
    if booking.status != LoanerBooking.Status.BOOKED:
        raise DomainError(_("Only a booked loaner can be handed out."))
    if booking.order.status in CLOSED_ORDER:
        raise DomainError(_("A loaner can only be handed out for an open order."))
    booking.status = LoanerBooking.Status.OUT
    booking.out_at = at or timezone.now()
    booking.out_mileage, booking.out_fuel, booking.out_damage = mileage, fuel, damage.strip()
    booking.save()
    _event(booking, "out", by, _("%(km)s km, fuel %(fuel)s%%") % {"km": mileage, "fuel": fuel})
    return booking


@transaction.atomic
def loaner_return(*, booking: LoanerBooking, by: Staff, mileage: int, fuel: int, damage: str = "",
                  at: datetime | None = None) -> LoanerBooking:
    """Take the car back; the charge is the car's rate per started day unless the booking was made free."""
    booking = _locked(booking)
    if booking.status != LoanerBooking.Status.OUT:
        raise DomainError(_("Only a loaner that is out can be returned."))
    if mileage < booking.out_mileage:
        raise DomainError(_("The mileage cannot be below %(km)s km, the reading at hand-out.")
                          % {"km": booking.out_mileage}, field="mileage")
    order = WorkOrder.objects.select_for_update().get(pk=booking.order_id)
    booking.status = LoanerBooking.Status.RETURNED
    booking.in_at = at or timezone.now()
    booking.in_mileage, booking.in_fuel, booking.in_damage = mileage, fuel, damage.strip()
    days = _days(booking.out_at, booking.in_at)
    booking.charge = Decimal("0") if booking.free else to_cents(booking.loaner.daily_rate * days)
    if booking.charge:
        if order.status in CLOSED_ORDER:
            raise DomainError(
                _("Order %(number)s is %(status)s and its lines cannot change, so the loaner's charge of %(charge)s "
                  "cannot be posted to it. A loaner is returned before its order is settled; to take this one back, "
                  "make it free of charge first.")
                % {"number": order.number, "status": order.get_status_display(), "charge": booking.charge})
        booking.line = _post_charge(order=order, booking=booking, days=days, by=by)
    booking.save()
    _event(booking, "returned", by, _("%(km)s km, fuel %(fuel)s%%, charge %(charge)s")
           % {"km": mileage, "fuel": fuel, "charge": booking.charge})
    return booking


def _post_charge(*, order: WorkOrder, booking: LoanerBooking, days: int, by: Staff) -> WorkOrderLine:
    """The charge as an approved customer-pay line: days × the car's rate (= the charge, rounded the same way).

    It is not additional work for the customer to approve: the charge was agreed with the booking. The order may be
    ready for settlement, when advisors can no longer add lines; the frozen-line rule still refuses a settled one."""
    last = order.lines.order_by("-position").values_list("position", flat=True).first() or 0
    line = WorkOrderLine.objects.create(
        order=order, kind=WorkOrderLine.Kind.SUBLET, payer=Payer.CUSTOMER,
        description=_("Loaner %(plate)s, %(days)d day(s)") % {"plate": booking.loaner.plate, "days": days},
        quantity=Decimal(days), unit_price=booking.loaner.daily_rate, approval=WorkOrderLine.Approval.APPROVED,
        position=last + 1,
    )
    record_event(order=order, by=by, kind="line_added", note=line.description)
    return line


def loaners_returned(*, order: WorkOrder, by: Staff) -> None:
    """Guard on ready → settled: a loaner still out would bring a charge the settled order could not take."""
    out = list(order.loaner_bookings.filter(status=LoanerBooking.Status.OUT).values_list("loaner__plate", flat=True))
    if out:
        raise TransitionError(_("Loaner %(plates)s is still out: take it back before settling the order.")
                              % {"plates": ", ".join(out)})


def booked_value(booking: LoanerBooking) -> Decimal:
    """What the booked period would cost at the car's rate: the goodwill a free loaner amounts to."""
    return to_cents(booking.loaner.daily_rate * _days(booking.starts_at, booking.ends_at))


@transaction.atomic
def loaner_make_free(*, booking: LoanerBooking, by: Staff, reason: str) -> LoanerBooking:
    """Waive the charge: goodwill worth the booked days, within the person's goodwill authority."""
    booking = _locked(booking)
    if booking.status == LoanerBooking.Status.CANCELLED or booking.free:
        raise DomainError(_("This booking cannot be made free."))
    if not reason.strip():
        raise DomainError(_("Give a reason."), field="reason")
    value = booked_value(booking)
    if not may_decide(staff=by, kind=Authority.GOODWILL, amount=value):
        who = next_approver(staff=by, kind=Authority.GOODWILL, amount=value)
        raise AuthorityError(_("A free loaner worth %(value)s needs %(who)s.")
                             % {"value": value, "who": who.get_full_name() or who.username if who else _("head office")},
                             field="reason")
    booking.free, booking.free_by, booking.charge = True, by, Decimal("0")
    booking.save()
    _event(booking, "free", by, reason.strip())
    return booking


@transaction.atomic
def loaner_cancel(*, booking: LoanerBooking, by: Staff) -> LoanerBooking:
    booking = _locked(booking)
    if booking.status != LoanerBooking.Status.BOOKED:
        raise DomainError(_("Only a booking whose car is not out can be cancelled."))
    booking.status = LoanerBooking.Status.CANCELLED
    booking.save()
    _event(booking, "cancelled", by)
    return booking


def fleet_on_day(station: Station, start: datetime, end: datetime) -> list[Loaner]:
    """The station's cars in service with their live bookings between ``start`` and ``end`` (two queries)."""
    live = (LoanerBooking.objects.filter(status__in=LIVE, starts_at__lt=end, ends_at__gt=start)
            .select_related("order").order_by("starts_at"))
    loaners = list(Loaner.objects.filter(station=station, active=True)
                   .prefetch_related(Prefetch("bookings", queryset=live, to_attr="day_bookings")))
    for car in loaners:
        car.free_all_day = not car.day_bookings
    return loaners
