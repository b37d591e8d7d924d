"""Reminders to customers: the appointment tomorrow, maintenance due by date or mileage since the last visit.

Each reminder row is unique per subject (one per appointment; one per vehicle and last visit) and its message is
recorded in the same transaction under a key of the same reason (``core.notifications``), then delivered after
commit by its own task: a beat task may run any number of times, and a worker may die anywhere, and the customer
still gets one message at most.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from complaints.models import AppointmentReminder, MaintenanceReminder
from complaints.services.complaints import care_settings
from core.models import Notification
from core.notifications import notification_send
from reception.models import Appointment, Customer, Vehicle, WorkOrder


def _customer_channel(customer: Customer) -> str | None:
    if not customer.contact_consent:
        return None
    if customer.mobile:
        return Notification.Channel.SMS
    if customer.email:
        return Notification.Channel.EMAIL
    return None


# --- appointments -----------------------------------------------------------------------------------------------


def appointment_remind(*, appointment_id: int) -> Notification | None:
    """Send the day-before reminder for one appointment, once. Returns the customer's notification (or None)."""
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_related("customer", "vehicle", "station", "advisor")
            .filter(pk=appointment_id, status=Appointment.Status.EXPECTED)
            .first()
        )
        if appointment is None or AppointmentReminder.objects.filter(appointment_id=appointment_id).exists():
            return None
        try:
            with transaction.atomic():
                reminder = AppointmentReminder.objects.create(appointment=appointment)
        except IntegrityError:  # another worker is sending it
            return None
        customer = appointment.customer
        start = timezone.localtime(appointment.start)
        with override(customer.preferred_language):
            subject = _("Appointment reminder")
            body = _("%(station)s: your appointment for %(vehicle)s is tomorrow, %(time)s. Call %(phone)s to change it.") % {
                "station": appointment.station.name,
                "vehicle": appointment.vehicle,
                "time": date_format(start, "SHORT_DATETIME_FORMAT"),
                "phone": appointment.station.phone,
            }
        note = None
        channel = _customer_channel(customer)
        if channel:
            note = notification_send(channel=channel, to_customer=customer, subject=subject, body=body,
                                     related=appointment,
                                     key=f"appointment-reminder:{appointment.pk}:{start.date().isoformat()}")
        notification_send(
            channel=Notification.Channel.IN_APP,
            to_staff=appointment.advisor,
            subject=_("Tomorrow: %(customer)s, %(vehicle)s at %(time)s")
            % {"customer": customer, "vehicle": appointment.vehicle, "time": start.strftime("%H:%M")},
            body=appointment.concern,
            related=appointment,
        )
        reminder.notification = note
        reminder.save(update_fields=["notification"])
        return note


def appointment_reminders_due(*, now: datetime | None = None) -> list[int]:
    """Expected appointments tomorrow (station local time) that have no reminder yet."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    return list(
        Appointment.objects.filter(status=Appointment.Status.EXPECTED, start__date=tomorrow, reminder__isnull=True)
        .order_by("start")
        .values_list("pk", flat=True)
    )


# --- maintenance ------------------------------------------------------------------------------------------------


def maintenance_due(*, now: datetime | None = None) -> list[tuple[int, int, str, object, int]]:
    """Vehicles whose maintenance is due: (vehicle id, last order id, reason, due date, due km).

    Counted from the last delivered visit: due by date when the interval since delivery (less the notice) has
    passed, by mileage when the latest reading has passed the visit's mileage plus the interval.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    last = WorkOrder.objects.filter(vehicle=OuterRef("pk"), status=WorkOrder.Status.DELIVERED).order_by(
        "-delivered_at", "-pk"
    )
    vehicles = (
        Vehicle.objects.filter(owner__isnull=False)
        .annotate(
            last_order_id=Subquery(last.values("pk")[:1]),
            last_delivered=Subquery(last.values("delivered_at")[:1]),
            last_km=Subquery(last.values("mileage_in")[:1]),
        )
        .filter(last_order_id__isnull=False)
        .annotate(
            reminded=Exists(
                MaintenanceReminder.objects.filter(vehicle=OuterRef("pk"), last_order_id=OuterRef("last_order_id"))
            )
        )
        .filter(reminded=False)
        .select_related("station")
    )
    found = []
    settings_by_station = {}
    for vehicle in vehicles:
        conf = settings_by_station.setdefault(vehicle.station_id, care_settings(vehicle.station))
        due_on = timezone.localtime(vehicle.last_delivered).date() + timedelta(days=conf.maintenance_interval_days)
        due_km = (vehicle.last_km or 0) + conf.maintenance_interval_km
        if vehicle.mileage >= due_km:
            found.append((vehicle.pk, vehicle.last_order_id, MaintenanceReminder.Reason.MILEAGE, due_on, due_km))
        elif today >= due_on - timedelta(days=conf.maintenance_notice_days):
            found.append((vehicle.pk, vehicle.last_order_id, MaintenanceReminder.Reason.DATE, due_on, due_km))
    return found


@transaction.atomic
def maintenance_remind(*, vehicle_id: int, last_order_id: int, reason: str, due_on, due_km: int):
    vehicle = Vehicle.objects.select_related("owner", "station").get(pk=vehicle_id)
    try:
        with transaction.atomic():
            reminder = MaintenanceReminder.objects.create(
                station_id=vehicle.station_id, vehicle=vehicle, last_order_id=last_order_id, reason=reason,
                due_on=due_on, due_km=due_km,
            )
    except IntegrityError:
        return None
    customer = vehicle.owner
    with override(customer.preferred_language):
        if reason == MaintenanceReminder.Reason.MILEAGE:
            body = _("%(station)s: %(vehicle)s has passed %(km)s km and is due for maintenance. Call %(phone)s to book.")
        else:
            body = _("%(station)s: %(vehicle)s is due for maintenance on %(date)s. Call %(phone)s to book.")
        body = body % {"station": vehicle.station.name, "vehicle": vehicle, "km": due_km,
                       "date": date_format(due_on, "SHORT_DATE_FORMAT"), "phone": vehicle.station.phone}
        subject = _("Maintenance reminder")
    channel = _customer_channel(customer)
    if channel:
        reminder.notification = notification_send(channel=channel, to_customer=customer, subject=subject, body=body,
                                                  related=vehicle,
                                                  key=f"maintenance-reminder:{vehicle.pk}:{last_order_id}")
        reminder.save(update_fields=["notification"])
    return reminder


# --- insurance renewal (续保) -------------------------------------------------------------------------------------


def insurance_remind(*, vehicle: Vehicle) -> Notification | None:
    """Text the owner that the vehicle's insurance runs out: at most one message per vehicle and expiry date (the key),
    sent through the outbox so quiet hours apply. None when the owner cannot be texted or there is no expiry."""
    customer = vehicle.owner
    if customer is None or vehicle.insurance_expiry is None or _customer_channel(customer) != Notification.Channel.SMS:
        return None
    with override(customer.preferred_language):
        subject = _("Insurance renewal")
        body = _("%(station)s: the insurance of %(vehicle)s runs out on %(date)s. Call %(phone)s to renew it with us.") % {
            "station": vehicle.station.name, "vehicle": vehicle,
            "date": date_format(vehicle.insurance_expiry, "SHORT_DATE_FORMAT"), "phone": vehicle.station.phone,
        }
    return notification_send(channel=Notification.Channel.SMS, to_customer=customer, subject=subject, body=body,
                             related=vehicle,
                             key=f"reminder:insurance:{vehicle.pk}:{vehicle.insurance_expiry.isoformat()}")
