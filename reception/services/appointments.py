"""Appointments (预约): booking against the workshop's free capacity, arrival, and no-shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.registry import registry
from org.models import Staff, Station
from parts.services.orders import operation_kit, parts_available
from reception.models import Appointment, Customer, LabourOperation, Vehicle

NO_SHOW_GRACE = timedelta(minutes=30)
LATE_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class Capacity:
    day: date
    available: Decimal
    booked: Decimal

    @property
    def free(self) -> Decimal:
        return self.available - self.booked

    def fits(self, hours: Decimal) -> bool:
        """The capacity rule of every booking (desk and online): ``hours`` more still fit in the day."""
        return self.booked + hours <= self.available

    @property
    def load_pct(self) -> int:
        return int(self.booked * 100 / self.available) if self.available else 100


def available_hours(station: Station, day: date) -> Decimal:
    """Technician hours available that day: the workshop's figure (its roster), asked through the registry."""
    return Decimal(registry.call("workshop.capacity", station=station, day=day))


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return start, start + timedelta(days=1)


NOT_BOOKED = (Appointment.Status.CANCELLED, Appointment.Status.NO_SHOW)  # appointments that take no capacity


def capacity_for(station: Station, day: date, *, exclude_pk: int | None = None) -> Capacity:
    start, end = _day_bounds(day)
    booked = (
        Appointment.objects.filter(station=station, start__gte=start, start__lt=end)
        .exclude(status__in=NOT_BOOKED)
        .exclude(pk=exclude_pk)
        .aggregate(h=Sum("booked_hours"))["h"]
        or Decimal("0")
    )
    return Capacity(day=day, available=available_hours(station, day), booked=booked)


def capacity_of_day(station: Station, day: date, appointments) -> Capacity:
    """``capacity_for`` from the day's appointments already read: every one of the station on that day, whatever its
    status (the front desk's list), so the booked hours need no query of their own."""
    booked = sum((a.booked_hours for a in appointments if a.status not in NOT_BOOKED), Decimal("0"))
    return Capacity(day=day, available=available_hours(station, day), booked=booked)


def booked_hours_for(operations, duration: timedelta = timedelta(hours=1)) -> Decimal:
    """The workshop hours a booking takes: the standard hours of its operations, else its duration."""
    hours = sum((op.standard_hours for op in operations), Decimal("0"))
    return hours or Decimal(duration.total_seconds() / 3600).quantize(Decimal("0.01"))


def parts_check(operations, parts=()) -> list[dict]:
    """The parts a booking needs, with what is available now: the parts the advisor picked, and those the requested
    operations usually need (the operation's parts kit)."""
    wanted = [(None, part, Decimal("1")) for part in parts]
    for op in operations:
        wanted += [(op, part, qty) for part, qty in operation_kit(operation=op)]
    available = parts_available(part.pk for _op, part, _qty in wanted)  # one query for every part
    return [{"operation": op, "part": part, "quantity": qty, "available": available[part.pk],
             "short": available[part.pk] < qty} for op, part, qty in wanted]


@dataclass(frozen=True)
class Booking:
    appointment: Appointment
    capacity: Capacity
    over_capacity: bool
    parts: list[dict]

    @property
    def parts_short(self) -> list[dict]:
        return [row for row in self.parts if row["short"]]


@transaction.atomic
def appointment_book(
    *,
    station: Station,
    by: Staff | None,
    customer: Customer,
    vehicle: Vehicle,
    advisor: Staff,
    start: datetime,
    duration: timedelta = timedelta(hours=1),
    concern: str = "",
    operations: list[LabourOperation] | None = None,
    parts: list | None = None,
    channel: str = Appointment.Channel.PHONE,
    notes: str = "",
    appointment: Appointment | None = None,
    refuse_over_capacity: bool = False,
) -> Booking:
    """Book (or change) an appointment. Over capacity is allowed but reported, so the advisor can warn the customer;
    with ``refuse_over_capacity`` (a customer booking online, nobody to warn) it is refused. ``by`` is None when the
    customer books themselves."""
    operations = list(operations or [])
    if refuse_over_capacity:  # one booking at a time per station, so two customers cannot both take the last hours
        Station.objects.select_for_update().filter(pk=station.pk).first()
    if vehicle.station_id != station.pk or customer.station_id != station.pk:
        raise DomainError(_("Customer and vehicle must belong to this station."))
    if advisor.station_id != station.pk:
        raise DomainError(_("The advisor must work in this station."), field="advisor")
    if appointment is None and start < timezone.now() - timedelta(minutes=5):
        raise DomainError(_("An appointment cannot start in the past."), field="start")
    if any(op.station_id != station.pk for op in operations):
        raise DomainError(_("This labour operation is not in the station's catalogue."), field="operations")
    parts = list(parts or [])
    if any(part.station_id != station.pk for part in parts):
        raise DomainError(_("This part is not in the station's catalogue."), field="parts")
    hours = booked_hours_for(operations, duration)
    if appointment is None:
        appointment = Appointment(station=station, created_by=by)
    elif appointment.status != Appointment.Status.EXPECTED:
        raise DomainError(_("Only an expected appointment can be changed."))
    appointment.customer = customer
    appointment.vehicle = vehicle
    appointment.advisor = advisor
    appointment.start = start
    appointment.duration = duration
    appointment.concern = concern
    appointment.channel = channel
    appointment.notes = notes
    appointment.booked_hours = hours
    appointment.save()
    appointment.operations.set(operations)
    appointment.parts.set(parts)
    capacity = capacity_for(station, timezone.localtime(start).date())
    over = not capacity.fits(Decimal("0"))
    if over and refuse_over_capacity:
        raise DomainError(_("This day is fully booked: please choose another time."), field="start",
                          code="full")
    return Booking(appointment=appointment, capacity=capacity, over_capacity=over,
                   parts=parts_check(operations, parts))


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, by: Staff | None, note: str = "") -> Appointment:
    if appointment.status != Appointment.Status.EXPECTED:
        raise DomainError(_("Only an expected appointment can be cancelled."))
    appointment.status = Appointment.Status.CANCELLED
    appointment.notes = (appointment.notes + "\n" + note).strip()
    appointment.save(update_fields=["status", "notes", "updated_at"])
    return appointment


def appointments_mark_no_shows(*, now: datetime | None = None, grace: timedelta = NO_SHOW_GRACE) -> int:
    """Expected appointments whose start is more than ``grace`` ago become no-shows. Running it twice changes
    nothing the second time."""
    now = now or timezone.now()
    return Appointment.objects.filter(status=Appointment.Status.EXPECTED, start__lt=now - grace).update(
        status=Appointment.Status.NO_SHOW, updated_at=now
    )


def board_state(appointment: Appointment, *, now: datetime | None = None) -> str:
    """For the welcome board: expected, late, arrived, no_show or cancelled."""
    now = now or timezone.now()
    if appointment.status == Appointment.Status.EXPECTED and now > appointment.start + LATE_AFTER:
        return "late"
    return appointment.status
