"""Training and certification pages: the station's training page (certifications running out, the plan, the records),
entering a record, planning a course, closing a planned course, withdrawing a record (org.training)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.formflow import act, submit
from core.pickers import PickerField
from org import permissions as perm
from org import training
from org.models import Staff, TrainingPlanItem, TrainingRecord
from org.permissions import requires
from org.selectors import get_scoped, station_or_404

DATE = forms.DateInput(attrs={"type": "date"})


class _StaffForm(forms.Form):
    staff = PickerField(label=gettext_lazy("staff member"), url="org:pick_staff", queryset=Staff.objects.none())

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = Staff.objects.filter(station=station, is_active=True)
        self.fields["staff"].widget.params = {"station": station.pk}


class _ResultFields(forms.Form):
    completed_on = forms.DateField(label=gettext_lazy("date"), widget=DATE)
    result = forms.ChoiceField(label=gettext_lazy("result"), choices=TrainingRecord.Result.choices)
    expires_on = forms.DateField(label=gettext_lazy("valid until"), widget=DATE, required=False,
                                 help_text=gettext_lazy("For a certification: the date it runs out."))
    note = forms.CharField(label=gettext_lazy("note"), max_length=200, required=False)


class RecordForm(_StaffForm, _ResultFields):
    course = forms.CharField(label=gettext_lazy("course"), max_length=120)
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=TrainingRecord.Kind.choices)
    field_order = ["staff", "course", "kind", "completed_on", "result", "expires_on", "note"]


class PlanForm(_StaffForm):
    course = forms.CharField(label=gettext_lazy("course"), max_length=120)
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=TrainingRecord.Kind.choices)
    planned_for = forms.DateField(label=gettext_lazy("planned for"), widget=DATE)


@requires(perm.TRAINING_MANAGE)
def training_page(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    staff_filter = _StaffForm(request.GET or None, station=station)
    staff_filter.fields["staff"].required = False
    person = staff_filter.cleaned_data["staff"] if request.GET.get("staff") and staff_filter.is_valid() else None
    today = timezone.localdate()
    return render(request, "org/training.html", {
        "station": station, "today": today, "staff_filter": staff_filter, "person": person,
        "expiring": training.expiring(station, today=today), "plan": training.plan(station, today=today),
        "records": training.records(station, staff=person), "warning_days": training.EXPIRY_WARNING_DAYS,
    })


def _form_page(request, form, title: str, action, success: str) -> HttpResponse:
    if request.method == "POST" and submit(form, action):
        messages.success(request, success)
        return redirect("org:training")
    return render(request, "org/training_form.html", {"form": form, "title": title},
                  status=400 if form.errors else 200)


@requires(perm.TRAINING_MANAGE)
def training_record_new(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    form = RecordForm(request.POST or None, station=station, initial={"completed_on": timezone.localdate()})
    return _form_page(request, form, _("Enter a training record"),
                      lambda d: training.training_record_add(station=station, by=request.user, **d),
                      _("Training record entered."))


@requires(perm.TRAINING_MANAGE)
def training_plan_new(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    form = PlanForm(request.POST or None, station=station)
    return _form_page(request, form, _("Plan a course"),
                      lambda d: training.training_plan_add(station=station, by=request.user, **d),
                      _("Course planned."))


@requires(perm.TRAINING_MANAGE)
def training_plan_done(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_scoped(request, TrainingPlanItem.objects.select_related("staff"), pk=pk)
    form = _ResultFields(request.POST or None, initial={"completed_on": timezone.localdate()})
    title = _("Course took place: %(course)s · %(staff)s") % {"course": item.course, "staff": item.staff}
    return _form_page(request, form, title,
                      lambda d: training.training_plan_complete(item=item, by=request.user, **d),
                      _("Training record entered."))


@require_POST
@requires(perm.TRAINING_MANAGE)
def training_plan_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_scoped(request, TrainingPlanItem.objects.all(), pk=pk)
    act(request, lambda: training.training_plan_cancel(item=item, by=request.user), _("Planned course cancelled."))
    return redirect("org:training")


@require_POST
@requires(perm.TRAINING_MANAGE)
def training_record_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_scoped(request, TrainingRecord.objects.all(), pk=pk)
    act(request, lambda: training.training_record_withdraw(record=record, by=request.user),
        _("Training record withdrawn."))
    return redirect("org:training")
