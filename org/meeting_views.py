"""Meeting pages: the station's meetings with every open action, recording a meeting, a meeting with its actions
(adding one, marking one done) — org.meetings."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import deny
from core.formflow import act, submit
from core.pickers import PickerField, PickerMultipleField
from org import meetings
from org import permissions as perm
from org.models import Meeting, MeetingAction, Staff
from org.permissions import requires
from org.selectors import get_scoped, station_or_404


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=Meeting.Kind.choices)
    held_at = forms.DateTimeField(label=gettext_lazy("held at"),
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    chaired_by = PickerField(label=gettext_lazy("chaired by"), url="org:pick_staff", queryset=Staff.objects.none())
    attendees = PickerMultipleField(label=gettext_lazy("attendees"), url="org:pick_staff",
                                    queryset=Staff.objects.none(), required=False)
    minutes = forms.CharField(label=gettext_lazy("minutes"), widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("chaired_by", "attendees"):
            self.fields[name].queryset = Staff.objects.filter(station=station, is_active=True)
            self.fields[name].widget.params = {"station": station.pk}


class ActionForm(forms.Form):
    description = forms.CharField(label=gettext_lazy("action"), max_length=300)
    owner = PickerField(label=gettext_lazy("owner"), url="org:pick_staff", queryset=Staff.objects.none())
    due_on = forms.DateField(label=gettext_lazy("due"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Staff.objects.filter(station=station, is_active=True)
        self.fields["owner"].widget.params = {"station": station.pk}


@requires(perm.MEETINGS_VIEW)
def meeting_list(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Meeting.Kind.values else ""
    return render(request, "org/meetings.html", {
        "station": station, "today": timezone.localdate(), "kind": kind, "kinds": Meeting.Kind.choices,
        "meetings": meetings.recent_meetings(station, kind=kind), "actions": meetings.open_actions(station),
        "may_manage": perm.has_action(request.user, perm.MEETINGS_MANAGE),
    })


@requires(perm.MEETINGS_MANAGE)
def meeting_new(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    form = MeetingForm(request.POST or None, station=station,
                       initial={"held_at": timezone.localtime().replace(second=0, microsecond=0, tzinfo=None),
                                "chaired_by": request.user.pk})
    if request.method == "POST" and submit(form, lambda d: meetings.meeting_record(station=station, by=request.user,
                                                                                    **d)):
        messages.success(request, _("Meeting recorded. Add the actions decided."))
        return redirect("org:meeting", pk=form.result.pk)
    return render(request, "org/meeting_form.html", {"form": form}, status=400 if form.errors else 200)


@requires(perm.MEETINGS_VIEW)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_scoped(request, Meeting.objects.select_related("chaired_by", "recorded_by"), pk=pk)
    may_manage = perm.has_action(request.user, perm.MEETINGS_MANAGE)
    form = ActionForm(request.POST or None, station=meeting.station)
    if request.method == "POST":
        if not may_manage:
            deny(request, action=perm.MEETINGS_MANAGE, reason="position")
        if submit(form, lambda d: meetings.meeting_action_add(meeting=meeting, by=request.user, **d)):
            messages.success(request, _("Action added; its owner has been told."))
            return redirect("org:meeting", pk=meeting.pk)
    actions = list(meeting.actions.select_related("owner", "done_by"))
    for action in actions:
        action.may_close = action.done_at is None and meetings.may_close(action, request.user)
    return render(request, "org/meeting.html", {
        "meeting": meeting, "attendees": list(meeting.attendees.all()), "actions": actions, "form": form,
        "may_manage": may_manage, "today": timezone.localdate(),
    }, status=400 if form.errors else 200)


@require_POST
@requires(perm.MEETINGS_VIEW)
def meeting_action_done(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_scoped(request, MeetingAction.objects.all(), pk=pk)
    act(request, lambda: meetings.meeting_action_done(action=action, note=request.POST.get("note", ""),
                                                      by=request.user), _("Action marked done."))
    return redirect("org:meeting", pk=action.meeting_id)
