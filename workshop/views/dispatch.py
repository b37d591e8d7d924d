"""Dispatch (派工): the jobs waiting for a technician, assigning one line, sending an order to the final inspection."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.formflow import act, submit
from org import permissions as perm
from org.permissions import requires
from org.selectors import station_or_404
from reception.models import WorkOrder
from workshop.board import data as board_data
from workshop.forms import DispatchForm
from workshop.models import JobAssignment
from workshop.services import dispatch, quality
from workshop.views._common import back, form_status, line_or_404, order_or_404

S = WorkOrder.Status


@requires(perm.WORKSHOP_DISPATCH)
def dispatch_list(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    items = board_data.board_items(station, (S.OPEN, S.IN_PROGRESS))
    return render(request, "workshop/dispatch_list.html", {"items": items, "station": station})


@requires(perm.WORKSHOP_DISPATCH)
def dispatch_line(request: HttpRequest, pk: int) -> HttpResponse:
    line = line_or_404(request, pk)
    station = line.order.station
    current = list(JobAssignment.objects.filter(line=line).select_related("technician", "bay"))
    initial = {"technicians": [a.technician for a in current], "bay": current[0].bay if current else None}
    form = DispatchForm(request.POST if request.method == "POST" else None, station=station, initial=initial)
    if request.method == "POST" and submit(form, lambda data: dispatch.job_dispatch(
            line=line, technicians=list(data["technicians"]), bay=data["bay"], by=request.user)):
        messages.success(request, _("Dispatched: %(line)s.") % {"line": line.description})
        return back(request, "workshop:dispatch")
    return render(request, "workshop/dispatch_line.html", {"form": form, "line": line, "order": line.order, "current": current},
                  status=form_status(form))


@requires(perm.WORKSHOP_DISPATCH)
@require_POST
def send_to_qc(request: HttpRequest, pk: int) -> HttpResponse:
    order = order_or_404(request, pk)
    act(request, lambda: quality.order_send_to_qc(order=order, by=request.user),
        _("Order %(number)s is waiting for the final inspection.") % {"number": order.number})
    return back(request, "workshop:board")
