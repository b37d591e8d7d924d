"""Workshop pages: landing, board (维修管理看板), dispatch (派工), my jobs and the job clock, findings (增项),
final inspection (终检) and comebacks (返修). Views are thin: check, validate, call one service, redirect."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.cache import cache
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import not_found
from core.errors import DomainError
from core.formflow import act, submit
from org import permissions as perm
from org.permissions import requires
from org.selectors import current_station, get_scoped, scope
from parts.services.requests import parts_request_create
from reception.models import WorkOrder, WorkOrderLine
from workshop import board_cache, selectors
from workshop.forms import ComebackForm, DecisionForm, DispatchForm, FindingForm, QualityCheckForm
from workshop.models import ClockEntry, Comeback, Finding, FindingPhoto, JobAssignment, QualityCheck
from workshop.services import attendance, clock, comebacks, dispatch, findings, quality

S = WorkOrder.Status


def _station_or_404(request: HttpRequest):
    station = current_station(request)
    if station is None:
        not_found(request, what="station")
    return station


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def _status(form) -> int:
    """400 when the page shows a posted form again (it failed), else 200."""
    return 400 if form.is_bound else 200


def _line(request: HttpRequest, pk: int) -> WorkOrderLine:
    return get_scoped(request, WorkOrderLine.objects.select_related("order", "order__station"), field="order__station", pk=pk)


def _order(request: HttpRequest, pk: int) -> WorkOrder:
    return get_scoped(request, WorkOrder.objects.select_related("station", "vehicle", "customer", "advisor"), pk=pk)


# --- landing and board ----------------------------------------------------------------------------------------


@requires(perm.WORKSHOP_VIEW)
def index(request: HttpRequest) -> HttpResponse:
    station = _station_or_404(request)
    counts = WorkOrder.objects.filter(station=station).aggregate(
        open=Count("pk", filter=Q(status=S.OPEN)),
        in_progress=Count("pk", filter=Q(status=S.IN_PROGRESS)),
        quality_check=Count("pk", filter=Q(status=S.QUALITY_CHECK)),
        ready=Count("pk", filter=Q(status=S.READY)),
    )
    context = {
        "station": station,
        "counts": counts,
        "pending_findings": Finding.objects.filter(station=station, decision=Finding.Decision.PENDING).count(),
        "capacity": selectors.capacity_hours(station=station, day=timezone.localdate()),
    }
    return render(request, "workshop/index.html", context)


@requires(perm.WORKSHOP_VIEW)
def board(request: HttpRequest) -> HttpResponse:
    station = _station_or_404(request)
    tv = request.GET.get("tv") == "1"
    seconds = board_cache.board_seconds()
    key = board_cache.board_key(station.pk, f"{get_language()}:{int(tv)}")
    fragment = cache.get(key) if seconds else None
    if fragment is None:
        context = {"board": selectors.board(station=station), "station": station, "tv": tv}
        fragment = render_to_string("workshop/_board.html", context, request=request)
        if seconds:
            cache.set(key, fragment, seconds)
    if request.headers.get("HX-Request"):
        return HttpResponse(fragment)
    return render(request, "workshop/board.html", {"fragment": mark_safe(fragment), "station": station, "tv": tv})  # noqa: S308 - our own rendered template


# --- dispatch -------------------------------------------------------------------------------------------------


@requires(perm.WORKSHOP_DISPATCH)
def dispatch_list(request: HttpRequest) -> HttpResponse:
    station = _station_or_404(request)
    items = selectors.board_items(station, (S.OPEN, S.IN_PROGRESS))
    return render(request, "workshop/dispatch_list.html", {"items": items, "station": station})


@requires(perm.WORKSHOP_DISPATCH)
def dispatch_line(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line(request, pk)
    station = line.order.station
    current = list(JobAssignment.objects.filter(line=line).select_related("technician", "bay"))
    initial = {"technicians": [a.technician for a in current], "bay": current[0].bay if current else None}
    form = DispatchForm(request.POST if request.method == "POST" else None, station=station, initial=initial)
    if request.method == "POST" and submit(form, lambda data: dispatch.job_dispatch(
            line=line, technicians=list(data["technicians"]), bay=data["bay"], by=request.user)):
        messages.success(request, _("Dispatched: %(line)s.") % {"line": line.description})
        return _back(request, "workshop:dispatch")
    return render(request, "workshop/dispatch_line.html", {"form": form, "line": line, "order": line.order, "current": current},
                  status=_status(form))


@requires(perm.WORKSHOP_DISPATCH)
@require_POST
def send_to_qc(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    act(request, lambda: quality.order_send_to_qc(order=order, by=request.user),
        _("Order %(number)s is waiting for the final inspection.") % {"number": order.number})
    return _back(request, "workshop:board")


# --- the technician's page ------------------------------------------------------------------------------------


@requires(perm.WORKSHOP_CLOCK)
def my_jobs(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "jobs": selectors.my_jobs(technician=request.user),
        "running": selectors.running_entry(request.user),
        "shift": selectors.today_attendance(request.user),
        "week": selectors.technician_hours(technician=request.user, start=selectors.week_start(today), end=today),
        "today": selectors.technician_hours(technician=request.user, start=today, end=today),
        "pause_reasons": [(value, ClockEntry.End(value).label) for value in ClockEntry.PAUSES],
    }
    return render(request, "workshop/my_jobs.html", context)


@requires(perm.WORKSHOP_CLOCK)
@require_POST
def clock_action(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line(request, pk)
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
        else:
            messages.error(request, _("Unknown clock action."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(request, "workshop:my_jobs")


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
    line = _line(request, pk)
    if line.kind != WorkOrderLine.Kind.PART:
        messages.error(request, _("Parts are requested on a part line."))
        return _back(request, "workshop:my_jobs")
    act(request, lambda: parts_request_create(line=line, by=request.user, quantity=line.quantity,
                                              note=request.POST.get("note", "")),
        _("Parts requested: %(line)s.") % {"line": line.description})
    return _back(request, "workshop:my_jobs")


# --- findings (增项) --------------------------------------------------------------------------------------------


@requires(perm.WORKSHOP_CLOCK)
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line(request, pk)
    order = line.order
    form = FindingForm(request.POST if request.method == "POST" else None, request.FILES or None, station=order.station)
    if request.method == "POST" and submit(form, lambda data: findings.finding_create(order=order, by=request.user, found_on=line, **data)):
        messages.success(request, _("Finding recorded. The advisor will ask the customer."))
        return redirect("workshop:my_jobs")
    return render(request, "workshop/finding_form.html", {"form": form, "line": line, "order": order}, status=_status(form))


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
    return _back(request, "workshop:findings")


@requires(perm.WORKSHOP_VIEW)
def finding_photo(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_scoped(request, FindingPhoto.objects.select_related("finding"), field="finding__station", pk=pk)
    return FileResponse(photo.image.open("rb"))


# --- final inspection -----------------------------------------------------------------------------------------


@requires(perm.WORKSHOP_QC)
def qc_list(request: HttpRequest) -> HttpResponse:
    station = _station_or_404(request)
    waiting = (
        WorkOrder.objects.filter(station=station, status=S.QUALITY_CHECK)
        .select_related("vehicle", "customer")
        .annotate(reworks=Count("quality_checks", filter=Q(quality_checks__result=QualityCheck.Result.FAILED)))
        .order_by("work_completed_at")
    )
    recent = QualityCheck.objects.filter(station=station).select_related("order", "inspector").order_by("-at")[:20]
    return render(request, "workshop/qc_list.html", {"waiting": waiting, "recent": recent})


@requires(perm.WORKSHOP_QC)
def qc_order(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    form = QualityCheckForm(request.POST if request.method == "POST" else None)
    passed = request.POST.get("result") == "pass"
    # An error about the checklist as a whole stands above the checklist (the form's non-field errors).
    if request.method == "POST" and submit(form, lambda data: quality.quality_check_record(
            order=order, by=request.user, passed=passed, checklist=form.checklist(), reason=data["reason"],
            road_test=data["road_test"], washed=data["washed"])):
        if passed:
            messages.success(request, _("%(number)s passed the final inspection.") % {"number": order.number})
        else:
            messages.warning(request, _("%(number)s goes back to the workshop for rework.") % {"number": order.number})
        return redirect("workshop:qc")
    context = {
        "order": order,
        "form": form,
        "lines": order.lines.exclude(approval=WorkOrderLine.Approval.DECLINED),
        "history": QualityCheck.objects.filter(order=order).select_related("inspector"),
        "panel": selectors.order_panel(order),
    }
    return render(request, "workshop/qc_order.html", context, status=_status(form))


# --- comebacks ------------------------------------------------------------------------------------------------


@requires(perm.WORKSHOP_COMEBACK)
def comeback_list(request: HttpRequest) -> HttpResponse:
    station = _station_or_404(request)
    since = timezone.now() - timedelta(days=station.comeback_window_days)
    flagged = [
        {"order": order, "candidates": list(comebacks.comeback_candidates(order=order)[:3])}
        for order in comebacks.possible_comebacks(station=station, since=since)[:100]
    ]
    linked = scope(Comeback.objects.all(), request.user).select_related(
        "order", "earlier_order", "technician", "advisor", "linked_by"
    )[:50]
    return render(request, "workshop/comebacks.html", {"flagged": flagged, "linked": linked})


@requires(perm.WORKSHOP_COMEBACK)
def comeback_link(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    existing = Comeback.objects.filter(order=order).select_related("earlier_order").first()
    candidates = comebacks.comeback_candidates(order=order)
    first = candidates.first()
    initial = {}
    if first is not None:
        initial = {"earlier_order": first, "technician": comebacks.main_technician(order=first), "advisor": first.advisor}
    form = ComebackForm(request.POST if request.method == "POST" else None, candidates=candidates, station=order.station, initial=initial)
    if request.method == "POST" and submit(form, lambda data: comebacks.comeback_link(order=order, by=request.user, **data)):
        messages.success(request, _("%(number)s is linked as a comeback.") % {"number": order.number})
        return _back(request, reverse("workshop:comebacks"))
    return render(
        request, "workshop/comeback_link.html", {"order": order, "form": form, "existing": existing, "candidates": candidates},
        status=_status(form),
    )


@requires(perm.WORKSHOP_COMEBACK)
@require_POST
def comeback_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    act(request, lambda: comebacks.comeback_dismiss(order=order, by=request.user),
        _("%(number)s is not a comeback.") % {"number": order.number})
    return _back(request, "workshop:comebacks")
