"""Online booking (在线预约), ``/book/<station code>/``: a customer picks a bookable service and a free slot, gives
plate and mobile, confirms with a code sent by SMS; the appointment is then booked through reception's appointment
service (channel "online", refused when the day is full by the desk's own capacity rule). The confirmation SMS
carries a link to cancel or move it.

Nothing here tells a visitor whether a plate or a mobile is known: asking for a code never reads customers or
vehicles, and the answers after the code are the same for a known and a new customer.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.notifications import notification_send
from org.models import Station
from portal.booking_limits import conf, limit_hit, limit_reached
from reception.models import Appointment, Customer, LabourOperation, Vehicle
from reception.selectors import advisors
from reception.services import validation as v
from reception.services.appointments import appointment_book, appointment_cancel, booked_hours_for, capacity_for
from reception.services.customers import customer_create, vehicle_create

PENDING_KEY = "portal:booking:pending:{}"
MANAGE_SALT = "portal.booking.manage"


# --- what can be booked -----------------------------------------------------------------------------------------


def station_for_code(code: str) -> Station | None:
    return Station.objects.filter(code=code, is_active=True).first()


def bookable_operations(station: Station):
    return LabourOperation.objects.filter(station=station, is_active=True, bookable=True).order_by("category", "code")


@dataclass(frozen=True)
class Day:
    day: date
    slots: list[datetime]
    full: bool


def _clock(value: str) -> time:
    return time.fromisoformat(value)


def _slot_times(day: date, *, earliest: datetime) -> list[datetime]:
    step = timedelta(minutes=int(conf("SLOT_MINUTES")))
    at = timezone.make_aware(datetime.combine(day, _clock(conf("OPEN"))))
    last = timezone.make_aware(datetime.combine(day, _clock(conf("LAST_SLOT"))))
    out = []
    while at <= last:
        if at >= earliest:
            out.append(at)
        at += step
    return out


def booking_days(*, station: Station, hours: Decimal, now: datetime | None = None,
                 exclude_pk: int | None = None) -> list[Day]:
    """The days a customer may choose, each with its slot times; a day is full when ``hours`` no longer fit by the
    desk's capacity rule (``Capacity.fits``)."""
    now = now or timezone.now()
    earliest = now + timedelta(hours=int(conf("LEAD_HOURS")))
    today = timezone.localdate(now)
    days = []
    for offset in range(int(conf("DAYS_AHEAD")) + 1):
        day = today + timedelta(days=offset)
        slots = _slot_times(day, earliest=earliest)
        if slots:
            full = not capacity_for(station, day, exclude_pk=exclude_pk).fits(hours)
            days.append(Day(day=day, slots=slots, full=full))
    return days


def _check_slot(*, station: Station, hours: Decimal, start: datetime, exclude_pk: int | None = None):
    local = timezone.localtime(start)
    earliest = timezone.now() + timedelta(hours=int(conf("LEAD_HOURS")))
    horizon = timezone.localdate() + timedelta(days=int(conf("DAYS_AHEAD")))
    if local.date() > horizon or start not in _slot_times(local.date(), earliest=earliest):
        raise DomainError(_("Please choose one of the times offered."), field="slot")
    if not capacity_for(station, local.date(), exclude_pk=exclude_pk).fits(hours):
        raise DomainError(_("This day is fully booked: please choose another time."), field="slot", code="full")


# --- asking for a code ------------------------------------------------------------------------------------------


def _code_sms(*, station: Station, mobile: str, code: str) -> None:
    notification_send(
        channel="sms", to_mobile=mobile, station_id=station.pk, subject=_("Booking code"),
        body=_("%(station)s: your booking code is %(code)s, valid for %(minutes)s minutes. Do not share it.")
        % {"station": station.name, "code": code, "minutes": conf("CODE_MINUTES")},
    )


def booking_request(*, station: Station, operation: LabourOperation, start: datetime, plate: str, mobile: str,
                    name: str = "", address: str | None) -> str:
    """Check the choice, count the limits, keep the request in the cache and send a code to ``mobile``. Returns the
    request's token (random, for the code page's address). Customers and vehicles are not looked at."""
    if operation.station_id != station.pk or not operation.bookable or not operation.is_active:
        raise DomainError(_("Please choose one of the services offered."), field="operation")
    plate = v.normalise_plate(plate)
    if not v.is_valid_plate(plate):
        raise DomainError(_("This is not a Chinese licence plate (e.g. 沪A12345, or 沪AD12345 for a new-energy "
                            "vehicle)."), field="plate")
    mobile = v.normalise_mobile(mobile)
    if not v.is_valid_mobile(mobile):
        raise DomainError(_("Enter a Chinese mobile number: 11 digits starting with 13–19."), field="mobile")
    _check_slot(station=station, hours=booked_hours_for([operation]), start=start)
    if not limit_hit("address", address, "REQUESTS_PER_ADDRESS") or not limit_hit("code", mobile, "CODES_PER_MOBILE"):
        raise DomainError(_("Too many requests today. Please try again tomorrow or call us."), code="limit")
    code = f"{secrets.randbelow(10 ** 6):06d}"
    token = secrets.token_urlsafe(24)
    cache.set(PENDING_KEY.format(token), {
        "station": station.pk, "operation": operation.pk, "start": start.isoformat(), "plate": plate,
        "mobile": mobile, "name": name.strip()[:60], "code": code, "attempts": 0,
    }, int(conf("CODE_MINUTES")) * 60)
    _code_sms(station=station, mobile=mobile, code=code)
    return token


def pending_for(*, station: Station, token: str) -> dict | None:
    pending = cache.get(PENDING_KEY.format(token))
    return pending if pending and pending["station"] == station.pk else None


# --- confirming -------------------------------------------------------------------------------------------------


def _customer_and_vehicle(*, station: Station, mobile: str, plate: str, name: str) -> tuple[Customer, Vehicle]:
    """Matched by mobile (one customer per mobile in a station) and, for the vehicle, by that customer's plate;
    else created as reception's services create them — a new vehicle without VIN, to be read at arrival."""
    customer = Customer.objects.filter(station=station, mobile=mobile).first()
    if customer is None:
        with translation.override(station_language()):
            default_name = _("Online customer %(last4)s") % {"last4": mobile[-4:]}
        customer = customer_create(station=station, by=None, name=name or default_name, mobile=mobile)
    vehicle = Vehicle.objects.filter(station=station, owner=customer, plate=plate).first()
    if vehicle is None:
        vehicle = vehicle_create(station=station, by=None, owner=customer, plate=plate)
    return customer, vehicle


def station_language() -> str:
    """Notes written into the station's records are in the site's language, not the visitor's."""
    return settings.LANGUAGE_CODE


def _advisor(station: Station, day: date):
    """The advisor with the fewest appointments that day."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    advisor = advisors(station).annotate(n=Count("appointments", filter=Q(
        appointments__start__gte=start, appointments__start__lt=start + timedelta(days=1),
        appointments__status=Appointment.Status.EXPECTED))).order_by("n", "position", "username").first()
    if advisor is None:
        raise DomainError(_("Online booking is not available at this station: please call us."))
    return advisor


def manage_token(appointment: Appointment) -> str:
    return signing.Signer(salt=MANAGE_SALT).sign(str(appointment.pk))


def appointment_for_token(token: str) -> Appointment | None:
    try:
        pk = int(signing.Signer(salt=MANAGE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return (Appointment.objects.filter(pk=pk, channel=Appointment.Channel.ONLINE)
            .select_related("station", "vehicle").prefetch_related("operations").first())


def _confirmation_sms(*, appointment: Appointment, link: str) -> None:
    notification_send(
        channel="sms", to_customer=appointment.customer, related=appointment, subject=_("Appointment booked"),
        body=_("%(station)s: you are booked for %(when)s. To cancel or change: %(link)s")
        % {"station": appointment.station.name,
           "when": timezone.localtime(appointment.start).strftime("%Y-%m-%d %H:%M"), "link": link},
    )


@transaction.atomic
def booking_confirm(*, station: Station, token: str, code: str, link_for: Callable[[str], str]) -> Appointment:
    """The code typed in: book the appointment (channel online) and send the link to cancel or change it."""
    key = PENDING_KEY.format(token)
    pending = pending_for(station=station, token=token)
    if pending is None:
        raise DomainError(_("This code has expired. Please start again."), field="code", code="expired")
    pending["attempts"] += 1
    if pending["attempts"] > int(conf("CODE_ATTEMPTS")):
        cache.delete(key)
        raise DomainError(_("Too many wrong codes. Please start again."), field="code", code="expired")
    if not hmac.compare_digest(pending["code"], (code or "").strip()):
        cache.set(key, pending, int(conf("CODE_MINUTES")) * 60)
        raise DomainError(_("This code is not right."), field="code")
    if limit_reached("booking", pending["mobile"], "BOOKINGS_PER_MOBILE"):
        raise DomainError(_("Too many bookings today. Please call us."), field="code", code="limit")
    cache.delete(key)
    operation = bookable_operations(station).filter(pk=pending["operation"]).first()
    if operation is None:
        raise DomainError(_("Please choose one of the services offered."), field="code")
    start = datetime.fromisoformat(pending["start"])
    customer, vehicle = _customer_and_vehicle(station=station, mobile=pending["mobile"], plate=pending["plate"],
                                              name=pending["name"])
    booking = appointment_book(
        station=station, by=None, customer=customer, vehicle=vehicle,
        advisor=_advisor(station, timezone.localtime(start).date()), start=start,
        duration=timedelta(hours=float(max(operation.standard_hours, Decimal("0.5")))), operations=[operation],
        channel=Appointment.Channel.ONLINE, refuse_over_capacity=True,
    )
    limit_hit("booking", pending["mobile"], "BOOKINGS_PER_MOBILE")
    _confirmation_sms(appointment=booking.appointment, link=link_for(manage_token(booking.appointment)))
    return booking.appointment


# --- the link in the confirmation SMS ---------------------------------------------------------------------------


def can_change(appointment: Appointment) -> bool:
    return appointment.status == Appointment.Status.EXPECTED and appointment.start > timezone.now()


def _changeable(appointment: Appointment) -> None:
    if not can_change(appointment):
        raise DomainError(_("This appointment can no longer be changed online. Please call us."))


@transaction.atomic
def booking_cancel(*, appointment: Appointment) -> Appointment:
    _changeable(appointment)
    with translation.override(station_language()):
        note = _("Cancelled by the customer online.")
    return appointment_cancel(appointment=appointment, by=None, note=note)


@transaction.atomic
def booking_move(*, appointment: Appointment, start: datetime) -> Appointment:
    """Another slot, checked as a new booking is (offered time, the day's capacity without this appointment)."""
    _changeable(appointment)
    operations = list(appointment.operations.all())
    _check_slot(station=appointment.station, hours=appointment.booked_hours, start=start, exclude_pk=appointment.pk)
    booking = appointment_book(
        station=appointment.station, by=None, customer=appointment.customer, vehicle=appointment.vehicle,
        advisor=appointment.advisor, start=start, duration=appointment.duration, concern=appointment.concern,
        operations=operations, parts=list(appointment.parts.all()), channel=appointment.channel,
        notes=appointment.notes, appointment=appointment, refuse_over_capacity=True,
    )
    return booking.appointment
