"""Suggestion endpoints of the search-as-you-type pickers (core/pickers.py): at most a few matches of the current
station, from the same search as the top box (reception.selectors), never a whole table."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse

from core.params import id_or_none
from core.pickers import suggestions
from org import permissions as perm
from org.models import Station
from org.permissions import requires
from org.selectors import scope, station_or_404, visible_station_ids
from reception import selectors
from reception.models import Vehicle, WorkOrder
from reception.pickers import customer_detail, loaner_detail, operation_detail, part_detail, vehicle_detail


def context_model(request: HttpRequest) -> str:
    """The model of the vehicle the form is about (``?vehicle=`` or ``?order=``, station-checked), or ''."""
    vehicle_id, order_id = id_or_none(request.GET.get("vehicle")), id_or_none(request.GET.get("order"))
    if vehicle_id:
        vehicle = scope(Vehicle.objects.only("model", "station"), request.user).filter(pk=vehicle_id).first()
        return vehicle.model if vehicle else ""
    if order_id:
        order = scope(WorkOrder.objects.select_related("vehicle").only("vehicle__model", "station"),
                      request.user).filter(pk=order_id).first()
        return order.vehicle.model if order else ""
    return ""


def picker_station(request: HttpRequest) -> Station:
    """The station the form is about (``?station=``, one the user sees: a vehicle of another of their stations), else
    the one they work in now."""
    station_id = id_or_none(request.GET.get("station"))
    if station_id and station_id in visible_station_ids(request.user):
        return Station.objects.get(pk=station_id)
    return station_or_404(request)


@requires(perm.RECEPTION_VIEW)
def pick_vehicles(request: HttpRequest) -> HttpResponse:
    station = picker_station(request)
    rows = selectors.pick_vehicles(request.user, station, request.GET.get("q", ""), owned=bool(request.GET.get("owned")))
    return suggestions(request, rows, detail=vehicle_detail)


@requires(perm.RECEPTION_VIEW)
def pick_customers(request: HttpRequest) -> HttpResponse:
    station = picker_station(request)
    rows = selectors.pick_customers(request.user, station, request.GET.get("q", ""))
    return suggestions(request, rows, detail=customer_detail)


@requires(perm.RECEPTION_VIEW)
def pick_operations(request: HttpRequest) -> HttpResponse:
    station = picker_station(request)
    rows = selectors.pick_operations(station, request.GET.get("q", ""), prefer=context_model(request))
    return suggestions(request, rows, detail=operation_detail)


@requires(perm.RECEPTION_VIEW)
def pick_parts(request: HttpRequest) -> HttpResponse:
    station = picker_station(request)
    rows = selectors.pick_parts(station, request.GET.get("q", ""), prefer=context_model(request))
    return suggestions(request, rows, detail=part_detail)


class _Window(forms.Form):
    starts_at = forms.DateTimeField(required=False)
    ends_at = forms.DateTimeField(required=False)


@requires(perm.RECEPTION_VIEW)
def pick_loaners(request: HttpRequest) -> HttpResponse:
    """The station's loaner cars by plate or model, each saying whether it is free for the booking form's period
    (``starts_at``/``ends_at`` sent along with the typed text; an unreadable period shows no availability)."""
    station = picker_station(request)
    window = _Window(request.GET)
    start, end = (window.cleaned_data.get("starts_at"), window.cleaned_data.get("ends_at")) if window.is_valid() \
        else (None, None)
    rows = selectors.pick_loaners(station, request.GET.get("q", ""), start=start, end=end)
    return suggestions(request, rows, detail=loaner_detail)
