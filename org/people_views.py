"""People-KPI pages (issue 19 item 4): the staff survey every staff member answers anonymously, and the manager's
page — open the quarter's survey and read its results, the mystery-shop checklist and visits (org.staff_survey)."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.formflow import act, submit
from org import permissions as perm
from org import staff_survey as people
from org.models import MysteryShopItem, MysteryShopVisit, StaffSurvey
from org.permissions import requires
from org.selectors import get_scoped, station_or_404

SCORES = [(i, str(i)) for i in range(5, 0, -1)]


class SurveyForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in people.QUESTIONS:
            self.fields[code] = forms.TypedChoiceField(label=label, choices=SCORES, coerce=int,
                                                       widget=forms.RadioSelect)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*[InlineRadios(code) for code in people.QUESTION_CODES])


class SurveyOpenForm(forms.Form):
    closes_on = forms.DateField(label=gettext_lazy("closes on"), widget=forms.DateInput(attrs={"type": "date"}))


class ItemForm(forms.Form):
    label = forms.CharField(label=gettext_lazy("checklist item"), max_length=200)
    max_points = forms.DecimalField(label=gettext_lazy("maximum points"), max_digits=6, decimal_places=1)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=gettext_lazy("visit date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=gettext_lazy("note"), max_length=300, required=False)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.DecimalField(
                label=f"{item.label} (/{item.max_points})", min_value=Decimal("0"), max_value=item.max_points,
                max_digits=6, decimal_places=1)


def _form_page(request, form, title: str) -> HttpResponse:
    return render(request, "org/people_form.html", {"form": form, "title": title},
                  status=400 if form.errors else 200)


@requires(perm.STAFF_SURVEY)
def staff_survey(request: HttpRequest) -> HttpResponse:
    survey = people.open_survey(request.user.station_id)
    answered = survey is not None and people.has_answered(survey, request.user)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and survey is not None and submit(
        form, lambda d: people.staff_survey_answer(survey=survey, staff=request.user, scores=d)
    ):
        messages.success(request, _("Thank you. Your answers are recorded without your name."))
        return redirect("org:staff_survey")
    return render(request, "org/staff_survey.html", {"survey": survey, "answered": answered, "form": form},
                  status=400 if form.errors else 200)


@requires(perm.PEOPLE_KPI_MANAGE)
def people_page(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    surveys = list(StaffSurvey.objects.filter(station=station).order_by("-quarter")[:4])
    return render(request, "org/people.html", {
        "station": station, "today": timezone.localdate(),
        "surveys": [(s, people.survey_results(s)) for s in surveys],
        "min_responses": people.MIN_RESPONSES,
        "items": people.checklist(station),
        "visits": list(MysteryShopVisit.objects.filter(station=station).select_related("entered_by")[:20]),
    })


@requires(perm.PEOPLE_KPI_MANAGE)
def survey_open(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    form = SurveyOpenForm(request.POST or None)
    if request.method == "POST" and submit(form, lambda d: people.staff_survey_open(
        station=station, by=request.user, **d)):
        messages.success(request, _("The staff survey is open. Every staff member of the station can answer it."))
        return redirect("org:people")
    return _form_page(request, form, _("Open the quarter's staff survey"))


@requires(perm.PEOPLE_KPI_MANAGE)
def mystery_item_new(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and submit(form, lambda d: people.mystery_item_add(
        station=station, by=request.user, **d)):
        messages.success(request, _("Checklist item added."))
        return redirect("org:people")
    return _form_page(request, form, _("Add a mystery-shop checklist item"))


@require_POST
@requires(perm.PEOPLE_KPI_MANAGE)
def mystery_item_retire(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_scoped(request, MysteryShopItem.objects.all(), pk=pk)
    act(request, lambda: people.mystery_item_retire(item=item, by=request.user),
        _("Checklist item taken out of use."))
    return redirect("org:people")


@requires(perm.PEOPLE_KPI_MANAGE)
def mystery_visit_new(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    items = people.checklist(station)
    form = VisitForm(request.POST or None, items=items, initial={"visited_on": timezone.localdate()})

    def record(data):
        scores = {item.pk: data[f"item_{item.pk}"] for item in items}
        return people.mystery_visit_record(station=station, visited_on=data["visited_on"], scores=scores,
                                                 note=data["note"], by=request.user)

    if request.method == "POST" and submit(form, record):
        messages.success(request, _("Mystery-shop visit recorded."))
        return redirect("org:mystery_visit", pk=form.result.pk)
    return _form_page(request, form, _("Enter a mystery-shop visit"))


@requires(perm.PEOPLE_KPI_MANAGE)
def mystery_visit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_scoped(request, MysteryShopVisit.objects.select_related("entered_by"), pk=pk)
    return render(request, "org/mystery_visit.html", {"visit": visit, "scores": list(visit.scores.all())})
