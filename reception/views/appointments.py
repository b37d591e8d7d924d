from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formflow import act, submit
from core.params import id_or_none, ids
from org import permissions as perm
from org.permissions import requires
from org.selectors import get_scoped, station_or_404
from parts.services.orders import parts_for_sale
from reception import selectors
from reception.forms import AppointmentForm
from reception.models import Appointment, LabourOperation, Vehicle
from reception.services import appointments as services
from reception.services.campaigns import vehicles_with_open_campaigns
from reception.services.loaners import fleet_on_day
from reception.services.validation import mask_plate
from reception.views.common import form_status


def _day(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.localdate()


def _advisor_id(request: HttpRequest) -> int | None:
    value = request.GET.get("advisor", "")
    return id_or_none(value)


@requires(perm.RECEPTION_VIEW)
def appointment_day(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    day = _day(request)
    advisor_id = _advisor_id(request)
    start, end = selectors.day_bounds(day)
    rows = list(selectors.appointments_between(request.user, start, end, station=station, advisor_id=advisor_id))
    now = timezone.now()
    for a in rows:
        a.board_state = services.board_state(a, now=now)
    return render(request, "reception/appointment_day.html", {
        "day": day, "prev": day - timedelta(days=1), "next": day + timedelta(days=1), "rows": rows,
        "advisors": selectors.advisors(station), "advisor_id": advisor_id,
        "capacity": services.capacity_for(station, day),
        "campaign_vehicle_ids": vehicles_with_open_campaigns([a.vehicle for a in rows]),
        "loaners": fleet_on_day(station, start, end),
    })


@requires(perm.RECEPTION_VIEW)
def appointment_week(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    day = _day(request)
    monday = day - timedelta(days=day.weekday())
    advisor_id = _advisor_id(request)
    start, _end = selectors.day_bounds(monday)
    rows = list(selectors.appointments_between(request.user, start, start + timedelta(days=7), station=station,
                                               advisor_id=advisor_id))
    days = []
    for i in range(7):
        d = monday + timedelta(days=i)
        days.append({"day": d, "rows": [a for a in rows if timezone.localtime(a.start).date() == d],
                     "capacity": services.capacity_for(station, d)})
    return render(request, "reception/appointment_week.html", {
        "days": days, "monday": monday, "prev": monday - timedelta(days=7), "next": monday + timedelta(days=7),
        "advisors": selectors.advisors(station), "advisor_id": advisor_id,
    })


@requires(perm.RECEPTION_VIEW)
def appointment_capacity(request: HttpRequest) -> HttpResponse:
    """The free capacity of a day and the parts check of the chosen operations (htmx, while booking)."""
    station = station_or_404(request)
    try:
        day = datetime.fromisoformat(request.GET.get("start", "")).date()
    except ValueError:
        day = timezone.localdate()
    ops = LabourOperation.objects.filter(station=station, pk__in=ids(request.GET.getlist("operations")))
    hours = sum((op.standard_hours for op in ops), 0)
    capacity = services.capacity_for(station, day)
    parts = parts_for_sale(station=station).filter(pk__in=ids(request.GET.getlist("parts")))
    return render(request, "reception/_capacity.html", {
        "capacity": capacity, "hours": hours, "over": not capacity.fits(hours),
        "parts": services.parts_check(ops, parts),
    })


def _form_view(request: HttpRequest, appointment: Appointment | None) -> HttpResponse:
    station = appointment.station if appointment else station_or_404(request)
    initial = {"advisor": request.user.pk, "channel": Appointment.Channel.PHONE, "duration_minutes": 60}
    if appointment is not None:
        initial.update(vehicle=appointment.vehicle_id, advisor=appointment.advisor_id,
                       start=timezone.localtime(appointment.start), channel=appointment.channel,
                       duration_minutes=int(appointment.duration.total_seconds() // 60), concern=appointment.concern,
                       operations=list(appointment.operations.all()), parts=list(appointment.parts.all()),
                       notes=appointment.notes)
    elif id_or_none(request.GET.get("vehicle")):
        initial["vehicle"] = id_or_none(request.GET["vehicle"])
    form = AppointmentForm(request.POST or None, station=station, initial=initial)
    booked: list[services.Booking] = []
    if request.method == "POST" and submit(form, lambda data: booked.append(services.appointment_book(
            station=station, by=request.user, customer=data["vehicle"].owner, vehicle=data["vehicle"],
            advisor=data["advisor"], start=data["start"], duration=form.duration, concern=data["concern"],
            operations=list(data["operations"]), parts=list(data["parts"]), channel=data["channel"],
            notes=data["notes"], appointment=appointment))):
        booking = booked[0]
        if booking.over_capacity:
            messages.warning(request, _("Booked, but the workshop is over capacity that day (%(booked)s of "
                                        "%(available)s hours): tell the customer it may take longer.")
                             % {"booked": booking.capacity.booked, "available": booking.capacity.available})
        else:
            messages.success(request, _("Appointment booked."))
        for row in booking.parts_short:
            messages.warning(request, _("%(part)s is not in stock: order it in time (special order).")
                             % {"part": row["part"]})
        day = timezone.localtime(booking.appointment.start).date()
        return redirect(f"{_url('reception:appointments')}?day={day.isoformat()}")
    banner_vehicle = appointment.vehicle if appointment else (
        Vehicle.objects.filter(station=station, pk=initial["vehicle"]).first() if initial.get("vehicle") else None)
    return render(request, "reception/appointment_form.html",
                  {"form": form, "appointment": appointment, "banner_vehicle": banner_vehicle},
                  status=form_status(form))


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


@requires(perm.RECEPTION_EDIT)
def appointment_create(request: HttpRequest) -> HttpResponse:
    return _form_view(request, None)


@requires(perm.RECEPTION_EDIT)
def appointment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_scoped(request, Appointment.objects.all(), pk=pk)
    return _form_view(request, appointment)


@requires(perm.RECEPTION_EDIT)
def appointment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_scoped(request, Appointment.objects.all(), pk=pk)
    if request.method == "POST":
        act(request, lambda: services.appointment_cancel(appointment=appointment, by=request.user,
                                                         note=request.POST.get("note", "")), _("Appointment cancelled."))
    return redirect(f"{_url('reception:appointments')}?day={timezone.localtime(appointment.start).date()}")


@requires(perm.WELCOME_BOARD)
def welcome_board(request: HttpRequest) -> HttpResponse:
    context = _board_context(station_or_404(request)) | {"poll_url": reverse("reception:welcome_board_panel")}
    return render(request, "reception/welcome_board.html", context)


@requires(perm.WELCOME_BOARD)
def welcome_board_panel(request: HttpRequest) -> HttpResponse:
    return render(request, "reception/_welcome_board_panel.html", _board_context(station_or_404(request)))


def welcome_board_kiosk(request: HttpRequest, *, station, poll_url: str) -> HttpResponse:
    """The welcome board on a lounge TV through a device link (org.kiosk_views): no staff menu, the panel alone
    when htmx polls."""
    context = _board_context(station) | {"poll_url": poll_url, "kiosk": True}
    if request.headers.get("HX-Request"):
        return render(request, "reception/_welcome_board_panel.html", context)
    return render(request, "reception/welcome_board.html", context)


def _board_context(station) -> dict:
    """Today's appointments of one station. The board hangs where customers see it: names and plates masked."""
    start, end = selectors.day_bounds(timezone.localdate())
    rows = list(selectors.station_appointments_between(station, start, end)
                .exclude(status=Appointment.Status.CANCELLED))
    now = timezone.now()
    for a in rows:
        a.board_state = services.board_state(a, now=now)
        a.public_plate = mask_plate(a.vehicle.plate) if a.vehicle_id else ""
    counts = {state: sum(1 for a in rows if a.board_state == state) for state in
              ("expected", "late", "arrived", "no_show")}
    return {"rows": rows, "counts": counts, "now": now, "station": station, "poll_seconds": settings.BOARD_POLL_SECONDS}
