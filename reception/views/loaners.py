"""Loaner cars (代步车): the fleet, booking a car against an order, hand-out, return, free of charge, cancel."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.formflow import act, submit
from org import permissions as perm
from org.permissions import requires
from org.selectors import get_scoped, station_or_404
from reception.loaner_forms import LoanerBookForm, LoanerForm, LoanerFreeForm, LoanerHandForm
from reception.models import Loaner, LoanerBooking, WorkOrder
from reception.services import loaners
from reception.views.common import form_status


@requires(perm.RECEPTION_VIEW)
def loaner_list(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    cars = Loaner.objects.filter(station=station).order_by("-active", "plate")
    bookings = (LoanerBooking.objects.filter(station=station, status__in=loaners.LIVE)
                .select_related("loaner", "order").order_by("starts_at")[:100])
    return render(request, "reception/loaners/list.html", {"cars": cars, "bookings": bookings})


@requires(perm.RECEPTION_SETUP)
def loaner_create(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    form = LoanerForm(request.POST or None)
    if request.method == "POST" and submit(form, lambda data: loaners.loaner_create(
            station=station, by=request.user, **data)):
        messages.success(request, _("Loaner car added."))
        return redirect("reception:loaner_list")
    return render(request, "reception/loaners/form.html", {"form": form}, status=form_status(form))


@requires(perm.RECEPTION_SETUP)
def loaner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    car = get_scoped(request, Loaner.objects.all(), pk=pk)
    form = LoanerForm(request.POST or None, instance=car)
    if request.method == "POST" and submit(form, lambda data: loaners.loaner_update(
            loaner=car, by=request.user, **data)):
        messages.success(request, _("Loaner car saved."))
        return redirect("reception:loaner_list")
    return render(request, "reception/loaners/form.html", {"form": form, "car": car}, status=form_status(form))


@requires(perm.RECEPTION_EDIT)
def loaner_book(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_scoped(request, WorkOrder.objects.all(), pk=pk)
    form = LoanerBookForm(request.POST or None, station=order.station)
    if request.method == "POST" and submit(form, lambda data: loaners.loaner_book(
            order=order, by=request.user, **data)):
        messages.success(request, _("Loaner booked."))
        return redirect("reception:loaner_booking", pk=form.result.pk)
    return render(request, "reception/loaners/book.html", {"form": form, "order": order}, status=form_status(form))


def _booking(request, pk: int) -> LoanerBooking:
    return get_scoped(request, LoanerBooking.objects.select_related("loaner", "order", "free_by"), pk=pk)


def _detail(request, booking: LoanerBooking, **forms) -> HttpResponse:
    context = {
        "booking": booking, "events": booking.events.select_related("by"),
        "out_form": forms.get("out_form") or LoanerHandForm(prefix="out"),
        "in_form": forms.get("in_form") or LoanerHandForm(prefix="in"),
        "free_form": forms.get("free_form") or LoanerFreeForm(),
        "booked_value": loaners.booked_value(booking),
    }
    return render(request, "reception/loaners/booking.html", context, status=form_status(*forms.values()))


@requires(perm.RECEPTION_VIEW)
def loaner_booking(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _booking(request, pk))


def _hand(request, pk: int, *, prefix: str, action, success: str) -> HttpResponse:
    """Hand-out (``out``) or return (``in``): mileage, fuel and damage; a refusal comes back at its field."""
    booking = _booking(request, pk)
    form = LoanerHandForm(request.POST, prefix=prefix)
    if submit(form, lambda data: action(booking=booking, by=request.user, **data)):
        messages.success(request, success)
        return redirect("reception:loaner_booking", pk=booking.pk)
    return _detail(request, booking, **{f"{prefix}_form": form})


@require_POST
@requires(perm.RECEPTION_EDIT)
def loaner_hand_out(request: HttpRequest, pk: int) -> HttpResponse:
    return _hand(request, pk, prefix="out", action=loaners.loaner_hand_out, success=_("Loaner handed out."))


@require_POST
@requires(perm.RECEPTION_EDIT)
def loaner_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _hand(request, pk, prefix="in", action=loaners.loaner_return, success=_("Loaner returned."))


@require_POST
@requires(perm.RECEPTION_EDIT)
def loaner_free(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _booking(request, pk)
    form = LoanerFreeForm(request.POST)
    if submit(form, lambda data: loaners.loaner_make_free(booking=booking, by=request.user, **data)):
        messages.success(request, _("Loaner made free of charge."))
        return redirect("reception:loaner_booking", pk=booking.pk)
    return _detail(request, booking, free_form=form)


@require_POST
@requires(perm.RECEPTION_EDIT)
def loaner_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _booking(request, pk)
    act(request, lambda: loaners.loaner_cancel(booking=booking, by=request.user), _("Loaner booking cancelled."))
    return redirect("reception:loaner_booking", pk=booking.pk)
