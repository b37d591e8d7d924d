"""Online booking pages (``/book/…``): public (``org.permissions.public``); the request's token, the SMS code and the
signed link of the confirmation SMS are checked here. Small pages of their own (no staff base template)."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.formflow import act, submit
from core.net import client_ip
from org.permissions import public
from portal import booking
from portal.booking_limits import limit_hit, limit_reached
from reception.services.appointments import booked_hours_for
from reception.services.validation import mask_plate


class SlotForm(forms.Form):
    slot = forms.ChoiceField(label=gettext_lazy("Time"), widget=forms.RadioSelect,
                             error_messages={"required": gettext_lazy("Please choose a time."),
                                             "invalid_choice": gettext_lazy("Please choose one of the times offered.")})

    def __init__(self, *args, days=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(s.isoformat(), s.isoformat()) for d in days for s in d.slots]

    def clean_slot(self) -> datetime:
        return datetime.fromisoformat(self.cleaned_data["slot"])


class BookingForm(SlotForm):
    plate = forms.CharField(label=gettext_lazy("Licence plate"), max_length=12,
                            widget=forms.TextInput(attrs={"placeholder": "沪A12345", "autocapitalize": "characters"}))
    mobile = forms.CharField(label=gettext_lazy("Mobile"), max_length=20,
                             widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    name = forms.CharField(label=gettext_lazy("How should we address you? (optional)"), max_length=60,
                           required=False)


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code from the SMS"), max_length=6, min_length=6, widget=forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}))


def _station(code: str):
    station = booking.station_for_code(code)
    if station is None:
        raise Http404
    return station


def _status(form) -> int:
    return 400 if form.errors else 200


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    """A booking page, with the station's name in the page's language."""
    station = context.get("station")
    context["station_name"] = station.display_name(get_language()) if station else ""
    return render(request, template, context, status=status)


@public
def book(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1: the service (a list of links); step 2 (``?service=``): a free time, plate and mobile."""
    station = _station(code)
    operations = list(booking.bookable_operations(station))
    chosen = request.POST.get("service") or request.GET.get("service") or ""
    operation = next((op for op in operations if str(op.pk) == chosen), None)
    if operation is None:
        return _page(request, "portal/booking/choose.html", {"station": station, "operations": operations})
    days = booking.booking_days(station=station, hours=booked_hours_for([operation]))
    form = BookingForm(request.POST or None, days=days)
    if request.method == "POST" and submit(form, lambda d: booking.booking_request(
            station=station, operation=operation, start=d["slot"], plate=d["plate"], mobile=d["mobile"],
            name=d["name"], address=client_ip(request))):
        return redirect("portal:book_confirm", code=station.code, token=form.result)
    return _page(request, "portal/booking/book.html", {
        "station": station, "operation": operation, "days": days, "form": form,
        "chosen_slot": form.data.get("slot", ""),
    }, _status(form))


@public
def book_confirm(request: HttpRequest, code: str, token: str) -> HttpResponse:
    """Step 3: the code from the SMS."""
    station = _station(code)
    pending = booking.pending_for(station=station, token=token)
    if pending is None:
        return _page(request, "portal/booking/gone.html", {"station": station}, 404)
    form = CodeForm(request.POST or None)
    link_for = lambda t: request.build_absolute_uri(reverse("portal:book_manage", args=[t]))  # noqa: E731
    if request.method == "POST" and submit(form, lambda d: booking.booking_confirm(
            station=station, token=token, code=d["code"], link_for=link_for)):
        messages.success(request, _("Booked. We have sent you an SMS with a link to change or cancel."))
        return redirect("portal:book_manage", token=booking.manage_token(form.result))
    if booking.pending_for(station=station, token=token) is None:  # used up by wrong codes
        return _page(request, "portal/booking/gone.html", {"station": station, "form": form}, 400)
    start = datetime.fromisoformat(pending["start"])
    return _page(request, "portal/booking/confirm.html", {
        "station": station, "form": form, "start": start, "plate": mask_plate(pending["plate"]),
        "mobile": f"{pending['mobile'][:3]}****{pending['mobile'][-4:]}",
    }, _status(form))


@public
def book_manage(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the confirmation SMS: see, cancel or move the appointment."""
    address = client_ip(request)
    if limit_reached("manage", address, "MANAGE_FAILURES_PER_ADDRESS"):
        return _page(request, "portal/booking/gone.html", {}, 429)
    appointment = booking.appointment_for_token(token)
    if appointment is None:
        limit_hit("manage", address, "MANAGE_FAILURES_PER_ADDRESS")
        return _page(request, "portal/booking/gone.html", {}, 404)
    days = booking.booking_days(station=appointment.station, hours=appointment.booked_hours,
                                exclude_pk=appointment.pk) if booking.can_change(appointment) else []
    form = SlotForm(request.POST if request.POST.get("action") == "move" else None, days=days)
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            act(request, lambda: booking.booking_cancel(appointment=appointment), _("Your appointment is cancelled."))
            return redirect(request.path)
        if submit(form, lambda d: booking.booking_move(appointment=appointment, start=d["slot"])):
            messages.success(request, _("Your appointment is moved."))
            return redirect(request.path)
    return _page(request, "portal/booking/manage.html", {
        "station": appointment.station, "appointment": appointment, "days": days, "form": form,
        "plate": mask_plate(appointment.vehicle.plate), "can_change": booking.can_change(appointment),
        "operations": list(appointment.operations.all()), "now": timezone.now(),
        "chosen_slot": form.data.get("slot", ""),
    }, _status(form))
