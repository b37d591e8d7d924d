"""The technician's page: my jobs, the job clock, the shift, asking the parts counter for parts."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.formflow import act
from org import permissions as perm
from org.permissions import requires
from parts.services.requests import parts_request_create
from reception.models import WorkOrder, WorkOrderLine
from workshop import selectors
from workshop.models import ClockEntry
from workshop.services import attendance, clock, readiness
from workshop.views._common import back, line_or_404


@requires(perm.WORKSHOP_CLOCK)
def my_jobs(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    (week, today_hours), shifts = selectors.technician_hours_windows(
        technician=request.user, windows=[(selectors.week_start(today), today), (today, today)])
    context = {
        "jobs": selectors.my_jobs(technician=request.user),
        "shift": next((a for a in shifts if a.day == today), None),
        "week": week,
        "today": today_hours,
        "pause_reasons": [(value, ClockEntry.End(value).label) for value in ClockEntry.PAUSES],
    }
    return render(request, "workshop/my_jobs.html", context)


@requires(perm.WORKSHOP_CLOCK)
@require_POST
def clock_action(request: HttpRequest, pk: int) -> HttpResponse:
    line = line_or_404(request, pk)
    action, _sep, reason = request.POST.get("action", "").partition(":")
    me = request.user
    try:
        if action == "on":
            clock.clock_on(line=line, technician=me)
            messages.success(request, _("Clocked on: %(line)s.") % {"line": line.description})
        elif action == "resume":
            clock.clock_resume(line=line, technician=me)
            messages.success(request, _("Resumed: %(line)s.") % {"line": line.description})
        elif action == "pause":
            clock.clock_pause(line=line, technician=me, reason=reason or request.POST.get("reason", ""))
            messages.info(request, _("Paused: %(line)s.") % {"line": line.description})
        elif action == "off":
            clock.clock_off(line=line, technician=me)
            messages.success(request, _("Clocked off: %(line)s.") % {"line": line.description})
            order = WorkOrder.objects.get(pk=line.order_id)
            if order.status == WorkOrder.Status.IN_PROGRESS and readiness.order_work_finished(order=order):
                waiting = readiness.parts_outstanding(order)
                if waiting:
                    messages.warning(request, _("The work is done, but parts are not issued yet (%(parts)s): the order "
                                                "goes to the final inspection once they are issued or marked not "
                                                "needed.") % {"parts": ", ".join(ln.description for ln in waiting)})
        else:
            messages.error(request, _("Unknown clock action."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return back(request, "workshop:my_jobs")


@requires(perm.WORKSHOP_CLOCK)
@require_POST
def shift_action(request: HttpRequest) -> HttpResponse:
    try:
        if request.POST.get("action") == "end":
            attendance.attendance_end(technician=request.user)
            messages.success(request, _("Shift ended. Thank you!"))
        else:
            attendance.attendance_start(technician=request.user)
            messages.success(request, _("Shift started."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("workshop:my_jobs")


@requires(perm.WORKSHOP_CLOCK)
@require_POST
def parts_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask the parts counter for the parts of a part line of one's job."""
    line = line_or_404(request, pk)
    if line.kind != WorkOrderLine.Kind.PART:
        messages.error(request, _("Parts are requested on a part line."))
        return back(request, "workshop:my_jobs")
    act(request, lambda: parts_request_create(line=line, by=request.user, quantity=line.quantity,
                                              note=request.POST.get("note", "")),
        _("Parts requested: %(line)s.") % {"line": line.description})
    return back(request, "workshop:my_jobs")
