from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from org import permissions as perm
from org.permissions import requires
from org.selectors import station_or_404
from reception import selectors
from reception.services import appointments as appointment_services
from reception.services.discounts import approvals_waiting_brief


def _desk_context(request: HttpRequest) -> dict:
    station = station_or_404(request)
    day = timezone.localdate()
    start, end = selectors.day_bounds(day)
    today = list(selectors.desk_appointments(request.user, start, end, station=station))
    now = timezone.now()
    for a in today:
        a.board_state = appointment_services.board_state(a, now=now)
    mine = [a for a in today if a.advisor_id == request.user.pk]
    return {
        "station": station,
        "appointments": mine or today,
        "only_mine": bool(mine),
        "orders_by_state": selectors.open_orders_by_state(request.user, advisor=request.user, station=station),
        "waiting": list(approvals_waiting_brief(request.user)[:20]),
        # every appointment of the station that day is in ``today`` (the station is one the user sees)
        "capacity": appointment_services.capacity_of_day(station, day, today),
        "panels": selectors.panels("desk"),
    }


@requires(perm.RECEPTION_VIEW)
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "reception/index.html", _desk_context(request))


@requires(perm.RECEPTION_VIEW)
def desk_panel(request: HttpRequest) -> HttpResponse:
    return render(request, "reception/_desk_panel.html", _desk_context(request))
