"""Customer-care pages: complaints, the follow-up call queue, the reminders page. Thin: check, validate, call."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from complaints import forms, selectors
from complaints.filters import ComplaintFilter
from complaints.models import Complaint, FollowUpCall
from complaints.services import complaints as svc
from complaints.services import followups
from complaints.services.care_settings import care_settings_update
from core.errors import DomainError
from core.formflow import submit
from core.models import Notification
from core.notifications import (
    my_notifications,
    notification_mark_all_read,
    notification_mark_read,
    unread_count,
)
from core.params import id_or_none
from org import permissions as perm
from org.models import Position, Staff
from org.permissions import requires
from org.selectors import current_station, get_scoped, station_or_404, visible_station_ids
from org.services import Authority, may_decide
from reception.models import Customer, WorkOrder

# --- complaints ---------------------------------------------------------------------------------------------------


@requires(perm.COMPLAINTS_VIEW)
def index(request: HttpRequest) -> HttpResponse:
    station_ids = visible_station_ids(request.user)
    filterset = ComplaintFilter(
        request.GET or None, queryset=selectors.complaints_visible(request.user), station_ids=station_ids
    )
    qs = filterset.qs if filterset.is_bound else filterset.queryset.exclude(state=Complaint.State.CLOSED)
    page = Paginator(selectors.complaints_listed(qs).order_by("-received_at", "-id"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "complaints/index.html",
        {"filter": filterset, "page": page, "query": query.urlencode(),
         "can_handle": perm.has_action(request.user, perm.COMPLAINTS_HANDLE)},
    )


@requires(perm.COMPLAINTS_HANDLE)
def intake(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    initial = {"severity": 1, "source": Complaint.Source.PHONE}
    if id_or_none(request.GET.get("order")):
        order = WorkOrder.objects.filter(station=station, pk=id_or_none(request.GET["order"])).first()
        if order:
            initial.update(order=order, customer=order.customer, vehicle=order.vehicle, staff_involved=order.advisor)
    elif id_or_none(request.GET.get("customer")):
        initial["customer"] = Customer.objects.filter(station=station, pk=id_or_none(request.GET["customer"])).first()
    form = forms.IntakeForm(request.POST or None, station=station, initial=initial)
    received: list[Complaint] = []
    if request.method == "POST" and submit(form, lambda data: received.append(
            svc.complaint_create(by=request.user, station=station, **form.service_data()))):
        messages.success(request, _("Complaint %(number)s received.") % {"number": received[0].number})
        return redirect("complaints:detail", pk=received[0].pk)
    known = {
        "customer": initial.get("customer"), "vehicle": initial.get("vehicle"), "order": initial.get("order"),
    }
    return render(request, "complaints/intake.html", {"form": form, "known": known}, status=_status(form))


def _status(form) -> int:
    """400 when the page shows a posted form again (it failed), else 200."""
    return 400 if form.is_bound else 200


def _detail(request: HttpRequest, complaint: Complaint, **bound) -> HttpResponse:
    """The complaint page; a step's form that failed comes back bound (``bound``), its error at the field (400)."""
    station = complaint.station
    user = request.user
    can_handle = perm.has_action(user, perm.COMPLAINTS_HANDLE)
    state = complaint.state
    S = Complaint.State
    context = {
        "complaint": complaint,
        "events": complaint.events.select_related("by"),
        "contacts": complaint.contacts.select_related("by"),
        "escalations": complaint.escalations.select_related("from_staff", "to_staff"),
        "can_handle": can_handle and complaint.is_open,
        # the steps of the state table this person may take now (none for someone the complaint was escalated from)
        "next_steps": svc.complaint_next_steps(complaint, user) if can_handle else [],
        "may_work": can_handle and svc.complaint_may_handle(complaint, user),
        "may_close": may_decide(staff=user, kind=Authority.COMPLAINT, amount=complaint.closing_severity),
        "owner_may_close": may_decide(staff=complaint.owner, kind=Authority.COMPLAINT,
                                      amount=complaint.closing_severity),
        "follow_up": FollowUpCall.objects.filter(complaint=complaint).first(),
    }
    if context["can_handle"]:
        context["contact_form"] = bound.get("contact_form") or forms.ContactForm()
        if state == S.ANALYSING:
            context["analyse_form"] = bound.get("analyse_form") or forms.AnalyseForm(
                station=station, initial={"severity": complaint.severity}
            )
        if state == S.HANDLING:
            # A goodwill proposal escalated for a decision: the decider's form starts from it.
            context["handle_form"] = bound.get("handle_form") or forms.HandleForm(
                initial={"remedy": complaint.remedy, "goodwill": complaint.goodwill_proposed}
            )
        if state == S.IMPROVING:
            context["close_form"] = bound.get("close_form") or forms.CloseForm(
                station=station, initial={"corrective_owner": complaint.responsible_person_id}
            )
        context["reassign_form"] = bound.get("reassign_form") or forms.ReassignForm(
            station=station, initial={"owner": complaint.owner_id}
        )
    steps = {"analyse_form": S.ANALYSING, "handle_form": S.HANDLING, "close_form": S.IMPROVING}
    for name, form in bound.items():
        if not context["can_handle"] or steps.get(name, state) != state:  # the page moved on: no form to show it at
            context["stale_form"] = form
    # A step refused to this person comes back at its form, as filled in, with the error (nothing typed is lost).
    context["refused_step"] = any(steps.get(name) == state for name in bound)
    if "reassign_form" in bound and not context["may_work"]:  # refused: that form is not shown to this person
        context["stale_form"] = bound["reassign_form"]
    return render(request, "complaints/detail.html", context, status=400 if bound else 200)


def _complaint(request: HttpRequest, pk: int) -> Complaint:
    return get_scoped(request, Complaint.objects.select_related("customer", "vehicle", "order", "owner", "station"),
                      pk=pk)


@requires(perm.COMPLAINTS_VIEW)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _complaint(request, pk))


def _done(request: HttpRequest, result, done: str) -> None:
    if isinstance(result, str):  # the step did something other than the usual (e.g. escalated)
        messages.warning(request, result)
    else:
        messages.success(request, done)


def _step(request: HttpRequest, pk: int, *, form_name: str, form_class, call, done: str,
          station_form: bool = False) -> HttpResponse:
    """One step of the loop with typed input: validate the step's form and call its service. Refused, the page
    comes back with the form as filled in and the error at its field (or on top of the form)."""
    complaint = _complaint(request, pk)
    form = form_class(request.POST, **({"station": complaint.station} if station_form else {}))
    results: list = []
    if not submit(form, lambda data: results.append(call(complaint, data))):
        return _detail(request, _complaint(request, pk), **{form_name: form})
    _done(request, results[0], done)
    return redirect("complaints:detail", pk=complaint.pk)


def _button(request: HttpRequest, pk: int, *, call, done: str) -> HttpResponse:
    """One step that is a button (nothing typed): a refusal is a message on the complaint's page."""
    complaint = _complaint(request, pk)
    try:
        result = call(complaint)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        _done(request, result, done)
    return redirect("complaints:detail", pk=complaint.pk)


@require_POST
@requires(perm.COMPLAINTS_HANDLE)
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _button(request, pk, done=_("Acknowledged: analysis started."),
                   call=lambda c: svc.complaint_acknowledge(complaint=c, by=request.user))


@require_POST
@requires(perm.COMPLAINTS_HANDLE)
def analyse(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, form_name="analyse_form", form_class=forms.AnalyseForm, station_form=True,
                 done=_("Analysis recorded."),
                 call=lambda c, d: svc.complaint_analyse(complaint=c, by=request.user, **d))


@require_POST
@requires(perm.COMPLAINTS_HANDLE)
def handle(request: HttpRequest, pk: int) -> HttpResponse:
    def call(complaint, data):
        done = svc.complaint_handle(complaint=complaint, by=request.user, remedy=data["remedy"],
                                    goodwill=data["goodwill"] or 0)
        if done.state == Complaint.State.HANDLING:  # the goodwill was beyond the handler's authority
            return _("The goodwill is beyond your authority: the complaint went to %(who)s to decide.") % {
                "who": done.owner
            }
        return None

    return _step(request, pk, form_name="handle_form", form_class=forms.HandleForm, done=_("Handling recorded."),
                 call=call)


@require_POST
@requires(perm.COMPLAINTS_HANDLE)
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, form_name="contact_form", form_class=forms.ContactForm, done=_("Contact logged."),
                 call=lambda c, d: svc.complaint_log_contact(complaint=c, by=request.user, **d))


@require_POST
@requires(perm.COMPLAINTS_HANDLE)
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    accepted = request.POST.get("accepted") == "yes"
    return _button(request, pk,
                   done=_("The customer accepts: improvement next.") if accepted else _("Back to handling."),
                   call=lambda c: svc.complaint_feedback_done(complaint=c, by=request.user, accepted=accepted))


@require_POST
@requires(perm.COMPLAINTS_HANDLE)
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, form_name="close_form", form_class=forms.CloseForm, station_form=True,
                 done=_("Complaint closed."),
                 call=lambda c, d: svc.complaint_close(complaint=c, by=request.user, **d))


@require_POST
@requires(perm.COMPLAINTS_HANDLE)
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    return _button(request, pk, done=_("Escalated."),
                   call=lambda c: svc.complaint_escalate_for_authority(complaint=c, by=request.user))


@require_POST
@requires(perm.COMPLAINTS_HANDLE)
def crisis(request: HttpRequest, pk: int) -> HttpResponse:
    return _button(request, pk,
                   done=_("Crisis incident declared: the station manager and the group director are informed."),
                   call=lambda c: svc.complaint_declare_crisis(complaint=c, by=request.user,
                                                               note=request.POST.get("note", "")))


@require_POST
@requires(perm.COMPLAINTS_HANDLE)
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, form_name="reassign_form", form_class=forms.ReassignForm, station_form=True,
                 done=pgettext("complaint", "Owner changed."),
                 call=lambda c, d: svc.complaint_reassign(complaint=c, by=request.user, owner=d["owner"]))


# --- follow-up calls ------------------------------------------------------------------------------------------------


@requires(perm.CALLS_WORK)
def calls(request: HttpRequest) -> HttpResponse:
    station = current_station(request)
    advisor_id = request.GET.get("advisor") or ""
    advisors = Staff.objects.filter(station=station, position=Position.SERVICE_ADVISOR).order_by("display_name")
    queue = selectors.call_queue(
        request.user, station_ids=[station.pk] if station else [],
        advisor_id=id_or_none(advisor_id),
    )
    return render(request, "complaints/calls.html", {"queue": queue, "advisors": advisors, "advisor_id": advisor_id})


def _call(request: HttpRequest, pk: int) -> FollowUpCall:
    return get_scoped(request, FollowUpCall.objects.select_related("order", "customer", "advisor", "order__vehicle"),
                      pk=pk)


def _call_page(request, call, *, attempt_form=None, survey_form=None) -> HttpResponse:
    """The call page; the attempt or the survey that failed comes back bound, its error at the field (400)."""
    failed = attempt_form if attempt_form is not None else survey_form
    return render(request, "complaints/call.html", {
        "call": call,
        "stale_form": failed if failed is not None and not call.is_open else None,  # no form left to show it at
        "attempts": call.attempt_log.select_related("by"),
        "survey": getattr(call, "survey", None),
        "attempt_form": attempt_form or forms.AttemptForm(),
        "survey_form": survey_form or forms.SurveyForm(),
        "concerns": call.order.concerns.all(),
    }, status=400 if failed is not None else 200)


@requires(perm.CALLS_WORK)
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _call_page(request, _call(request, pk))


@require_POST
@requires(perm.CALLS_WORK)
def call_attempt(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk)
    form = forms.AttemptForm(request.POST)
    if not submit(form, lambda data: followups.followup_record_attempt(call=call, by=request.user, **data)):
        return _call_page(request, _call(request, pk), attempt_form=form)
    messages.success(request, _("Call recorded."))
    return redirect("complaints:calls")


@require_POST
@requires(perm.CALLS_WORK)
def call_survey(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk)
    form = forms.SurveyForm(request.POST)
    if not submit(form, lambda d: followups.followup_record_survey(
            call=call, by=request.user, overall=d["overall"], perceptions=form.perceptions(),
            expectations=form.expectations(), would_recommend=d["would_recommend"],
            problem_fixed=d["problem_fixed"], comments=d["comments"])):
        return _call_page(request, _call(request, pk), survey_form=form)
    call.refresh_from_db()
    if call.complaint_id:
        messages.warning(request, _("The customer is not satisfied: complaint %(number)s was opened.")
                         % {"number": call.complaint.number})
        return redirect("complaints:detail", pk=call.complaint_id)
    messages.success(request, _("Survey recorded. Thank you."))
    return redirect("complaints:calls")


# --- reminders ------------------------------------------------------------------------------------------------------


@requires(perm.REMINDERS_VIEW)
def reminders(request: HttpRequest) -> HttpResponse:
    user = request.user
    notes = Paginator(my_notifications(user), 30).get_page(request.GET.get("page"))
    context = {
        "notes": notes,
        "unread": unread_count(staff=user),
        "overdue_complaints": [],
        "open_complaints": [],
        "calls_due": [],
    }
    if perm.has_action(user, perm.COMPLAINTS_VIEW):
        context["overdue_complaints"] = list(selectors.my_overdue_complaints(user)[:20])
        context["open_complaints"] = list(selectors.my_open_complaints(user)[:20])
        context["calls_due"] = list(selectors.my_calls_due(user)[:20])
    return render(request, "complaints/reminders.html", context)


@require_POST
@requires(perm.REMINDERS_VIEW)
def reminder_read(request: HttpRequest) -> HttpResponse:
    """Mark one of my notifications read (someone else's id does nothing) and, with ``open``, go to its subject."""
    raw = request.POST.get("notification", "")
    note = Notification.objects.filter(pk=id_or_none(raw), recipient_staff=request.user).first() if id_or_none(raw) else None
    if note is not None:
        notification_mark_read(notification=note, by=request.user)
        target = note.target_url()
        if request.POST.get("open") and target:
            return redirect(target)
    return redirect("complaints:reminders")


@require_POST
@requires(perm.REMINDERS_VIEW)
def reminders_read_all(request: HttpRequest) -> HttpResponse:
    count = notification_mark_all_read(by=request.user)
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("complaints:reminders")


# --- settings -------------------------------------------------------------------------------------------------------


@requires(perm.ORG_MANAGE)
def care_settings(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    form = forms.CareSettingsForm(request.POST or None, instance=svc.care_settings(station))
    if request.method == "POST" and submit(form, lambda data: care_settings_update(
            station=station, by=request.user, **data)):
        messages.success(request, _("Settings saved."))
        return redirect("complaints:settings")
    return render(request, "complaints/settings.html", {"form": form, "station": station}, status=_status(form))
