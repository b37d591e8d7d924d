"""Findings (增项): the technician records additional work; the desk records the customer's decision."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import deny
from core.formflow import submit
from core.pickers import suggestions
from org import permissions as perm
from org.permissions import requires
from org.selectors import current_station, get_scoped
from reception import pickers
from reception import selectors as reception_selectors
from reception.models import Vehicle
from workshop.forms import DecisionForm, FindingForm
from workshop.models import Finding
from workshop.services import findings
from workshop.views._common import back, form_status, line_or_404


@requires(perm.WORKSHOP_CLOCK)
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    line = line_or_404(request, pk)
    order = line.order
    if not findings.finding_allowed(technician=request.user, order=order, line=line):
        deny(request, action=perm.WORKSHOP_CLOCK, reason="finding on a job not dispatched to this technician")
    form = FindingForm(request.POST if request.method == "POST" else None, request.FILES or None, station=order.station,
                       line=line)
    if request.method == "POST" and submit(form, lambda data: findings.finding_create(order=order, by=request.user, found_on=line, **data)):
        messages.success(request, _("Finding recorded. The advisor will ask the customer."))
        return redirect("workshop:my_jobs")
    return render(request, "workshop/finding_form.html", {"form": form, "line": line, "order": order}, status=form_status(form))


@requires(perm.WORKSHOP_CLOCK)
def finding_pick_operations(request: HttpRequest, pk: int) -> HttpResponse:
    """Labour operations for a finding on this job (picker suggestions, the vehicle's model first)."""
    order = line_or_404(request, pk).order
    rows = reception_selectors.pick_operations(order.station, request.GET.get("q", ""), prefer=_model(order))
    return suggestions(request, rows, detail=pickers.operation_detail)


@requires(perm.WORKSHOP_CLOCK)
def finding_pick_parts(request: HttpRequest, pk: int) -> HttpResponse:
    """Parts for a finding on this job (picker suggestions, the vehicle's model first)."""
    order = line_or_404(request, pk).order
    rows = reception_selectors.pick_parts(order.station, request.GET.get("q", ""), prefer=_model(order))
    return suggestions(request, rows, detail=pickers.part_detail)


def _model(order) -> str:
    return Vehicle.objects.filter(pk=order.vehicle_id).values_list("model", flat=True).first() or ""


def _findings_page(request: HttpRequest, *, failed: Finding | None = None, form: DecisionForm | None = None) -> HttpResponse:
    """The findings waiting for the customer (the desk panel on a page of its own). A decision that failed comes back
    in its finding's row — the answer and the note as given, the error under them — or, if the finding is no longer
    waiting, on top (400)."""
    context = {"failed_finding": failed.pk if failed else None, "decision_form": form}
    if failed is not None:
        station = current_station(request)
        failed.refresh_from_db()
        context["failed_elsewhere"] = failed.decision != Finding.Decision.PENDING or failed.station_id != getattr(station, "pk", None)
        context["failed"] = failed
        target = request.POST.get("next") or ""
        if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            context["decision_next"] = target  # the page the advisor came from, for the next try
    return render(request, "workshop/findings.html", context, status=400 if failed else 200)


@requires(perm.RECEPTION_EDIT)
def finding_list(request: HttpRequest) -> HttpResponse:
    return _findings_page(request)


@requires(perm.RECEPTION_EDIT)
@require_POST
def finding_decide(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_scoped(request, Finding.objects.select_related("order"), pk=pk)
    form = DecisionForm(request.POST)
    if not submit(form, lambda data: findings.finding_decide(
            finding=finding, approve=data["decision"] == "approve", channel=data["channel"], by=request.user,
            note=data["note"])):
        return _findings_page(request, failed=finding, form=form)
    messages.success(request, _("The customer's decision is recorded (%(number)s).") % {"number": finding.order.number})
    decided = form.result
    if decided.decision == Finding.Decision.APPROVED and decided.lines.filter(kind="labour").exists():
        if decided.dispatched_to is not None:
            messages.info(request, _("The approved work is dispatched to %(name)s, who found it.") % {"name": decided.dispatched_to})
        else:
            messages.warning(request, _("%(name)s is not on shift: the approved work waits for the dispatcher.")
                             % {"name": decided.found_by})
    return back(request, "workshop:findings")
