"""Dispatch (派工): the jobs waiting for a technician, assigning one line or several lines of an order, parts the
workshop did without, sending an order to the final inspection."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.formflow import act, submit
from org import permissions as perm
from org.permissions import requires
from org.selectors import station_or_404
from reception.models import WorkOrder, WorkOrderLine
from workshop import selectors
from workshop.board import data as board_data
from workshop.forms import DispatchForm, NotNeededForm, OrderDispatchForm
from workshop.models import JobAssignment
from workshop.services import dispatch, parts_check, quality, readiness
from workshop.views._common import back, form_status, line_or_404, order_or_404

S = WorkOrder.Status


@requires(perm.WORKSHOP_DISPATCH)
def dispatch_list(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    items = board_data.board_items(station, (S.OPEN, S.IN_PROGRESS), with_details=True)
    return render(request, "workshop/dispatch_list.html", {"items": items, "station": station})


@requires(perm.WORKSHOP_DISPATCH)
def dispatch_line(request: HttpRequest, pk: int) -> HttpResponse:
    line = line_or_404(request, pk)
    station = line.order.station
    current = list(JobAssignment.objects.filter(line=line).select_related("technician", "bay"))
    initial = {"technicians": [a.technician for a in current], "bay": current[0].bay if current else None}
    form = DispatchForm(request.POST if request.method == "POST" else None, station=station, initial=initial,
                        loads=selectors.technician_loads(station=station))
    if request.method == "POST" and submit(form, lambda data: dispatch.job_dispatch(
            line=line, technicians=list(data["technicians"]), bay=data["bay"], by=request.user)):
        messages.success(request, _("Dispatched: %(line)s.") % {"line": line.description})
        return back(request, "workshop:dispatch")
    context = {
        "form": form, "line": line, "order": line.order, "current": current,
        "approved": line.approval == WorkOrderLine.Approval.APPROVED,
        "concerns": list(line.order.concerns.all()), "part_lines": readiness.part_lines_status(line.order),
    }
    return render(request, "workshop/dispatch_line.html", context, status=form_status(form))


@requires(perm.WORKSHOP_DISPATCH)
def dispatch_order(request: HttpRequest, pk: int) -> HttpResponse:
    """Several jobs of one order to one technician (or a team) and a bay in one form; the jobs not dispatched yet are
    ticked. Reached from the board's cards and the dispatch list."""
    order = order_or_404(request, pk)
    station = order.station
    people: dict[int, list[JobAssignment]] = {}  # line id -> who it is dispatched to (one query)
    for a in JobAssignment.objects.filter(order=order).select_related("technician", "bay"):
        people.setdefault(a.line_id, []).append(a)
    form = OrderDispatchForm(request.POST if request.method == "POST" else None, order=order,
                             loads=selectors.technician_loads(station=station))
    if request.method != "POST":
        form.initial["lines"] = [ln.pk for ln in form.fields["lines"].queryset if ln.pk not in people]
    if request.method == "POST" and submit(form, lambda data: dispatch.lines_dispatch(
            order=order, lines=list(data["lines"]), technicians=list(data["technicians"]), bay=data["bay"],
            by=request.user)):
        n = len(form.cleaned_data["lines"])
        messages.success(request, ngettext("%(n)s job of %(number)s dispatched.", "%(n)s jobs of %(number)s dispatched.", n)
                         % {"n": n, "number": order.number})
        return back(request, "workshop:board")
    waiting = order.lines.filter(kind=WorkOrderLine.Kind.LABOUR, approval=WorkOrderLine.Approval.PROPOSED)
    context = {
        "form": form, "order": order, "people": people, "waiting": waiting,
        "concerns": list(order.concerns.all()), "part_lines": readiness.part_lines_status(order),
        "not_needed_form": NotNeededForm(),
    }
    return render(request, "workshop/dispatch_order.html", context, status=form_status(form))


@requires(perm.WORKSHOP_DISPATCH)
@require_POST
def part_not_needed(request: HttpRequest, pk: int) -> HttpResponse:
    """The workshop did without this part: say why (then the order may go to the final inspection without it)."""
    line = line_or_404(request, pk)
    form = NotNeededForm(request.POST)
    if submit(form, lambda data: parts_check.part_line_not_needed(line=line, by=request.user, reason=data["reason"])):
        messages.success(request, _("Marked not needed: %(line)s.") % {"line": line.description})
    else:
        errors = [str(e) for errs in form.errors.values() for e in errs]
        messages.error(request, " ".join(errors))
    return back(request, "workshop:dispatch")


@requires(perm.WORKSHOP_DISPATCH)
@require_POST
def send_to_qc(request: HttpRequest, pk: int) -> HttpResponse:
    order = order_or_404(request, pk)
    act(request, lambda: quality.order_send_to_qc(order=order, by=request.user),
        _("Order %(number)s is waiting for the final inspection.") % {"number": order.number})
    return back(request, "workshop:board")
