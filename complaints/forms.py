from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.models import Staff
from complaints.models import CallAttempt, Complaint, ComplaintContact, SurveyAnswer
from reception.models import Customer, Vehicle, WorkOrder

SCORES = [(i, str(i)) for i in range(1, 6)]
YES_NO = [("", _("not asked")), ("true", _("yes")), ("false", _("no"))]


def _yes_no(label):
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, required=False, empty_value=None,
        coerce=lambda v: {"true": True, "false": False}.get(v),
    )


def station_staff(station) -> forms.ModelChoiceField:
    return Staff.objects.filter(station=station, is_active=True).order_by("position", "display_name")


class IntakeForm(forms.Form):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.none())
    vehicle = forms.ModelChoiceField(label=_("Vehicle"), queryset=Vehicle.objects.none(), required=False)
    order = forms.ModelChoiceField(label=_("Related work order"), queryset=WorkOrder.objects.none(), required=False)
    source = forms.ChoiceField(label=_("Source"), choices=Complaint.Source.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Complaint.Category.choices)
    severity = forms.TypedChoiceField(label=_("Severity"), choices=Complaint.Severity.choices, coerce=int)
    is_crisis = forms.BooleanField(
        label=_("Crisis incident (public or media impact)"), required=False,
        help_text=_("Goes straight to the station manager and the group director."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("The customer's words"), widget=forms.Textarea(attrs={"rows": 4}))
    staff_involved = forms.ModelChoiceField(label=_("Staff involved"), queryset=Staff.objects.none(), required=False)
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=Staff.objects.none(), required=False, help_text=_("Empty: you.")
    )

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.filter(station=station).order_by("name")
        self.fields["vehicle"].queryset = Vehicle.objects.filter(station=station).order_by("plate")
        self.fields["order"].queryset = WorkOrder.objects.filter(station=station).order_by("-opened_at")
        self.fields["staff_involved"].queryset = station_staff(station)
        self.fields["owner"].queryset = station_staff(station)


class AnalyseForm(forms.Form):
    root_cause = forms.CharField(label=_("Root cause"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible_department = forms.ChoiceField(label=_("Responsible department"),
                                               choices=Complaint.Department.choices)
    responsible_person = forms.ModelChoiceField(label=_("Responsible person"), queryset=Staff.objects.none(),
                                                required=False)
    severity = forms.TypedChoiceField(label=_("Severity"), choices=Complaint.Severity.choices, coerce=int)

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_person"].queryset = station_staff(station)


class HandleForm(forms.Form):
    remedy = forms.CharField(label=_("Actions taken"), widget=forms.Textarea(attrs={"rows": 3}))
    goodwill = forms.DecimalField(label=_("Goodwill (CNY)"), min_value=0, max_digits=12, decimal_places=2,
                                  required=False, initial=0)


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=ComplaintContact.Channel.choices)
    summary = forms.CharField(label=_("What was said"), widget=forms.Textarea(attrs={"rows": 2}))
    customer_accepts = _yes_no(_("Customer accepts the solution"))


class CloseForm(forms.Form):
    corrective_action = forms.CharField(label=_("Corrective action"), widget=forms.Textarea(attrs={"rows": 2}))
    corrective_owner = forms.ModelChoiceField(label=_("Corrective action owner"), queryset=Staff.objects.none())
    corrective_due = forms.DateField(label=_("Corrective action due"), widget=forms.DateInput(attrs={"type": "date"}))
    satisfaction = forms.TypedChoiceField(label=_("Customer's satisfaction with the outcome"), choices=SCORES,
                                          coerce=int, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corrective_owner"].queryset = station_staff(station)


class ReassignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("New owner"), queryset=Staff.objects.none())

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = station_staff(station)


class AttemptForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[c for c in CallAttempt.Outcome.choices if c[0] != CallAttempt.Outcome.REACHED]
    )
    note = forms.CharField(label=_("Note"), required=False)


class SurveyForm(forms.Form):
    """The customer was reached: the short survey. One question per SERVQUAL dimension."""

    overall = forms.TypedChoiceField(label=_("Overall, how satisfied are you with our service?"), choices=SCORES,
                                     coerce=int, widget=forms.RadioSelect)
    problem_fixed = _yes_no(_("Was the problem fixed?"))
    would_recommend = _yes_no(_("Would you recommend us to friends?"))
    comments = forms.CharField(label=_("In the customer's words"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))

    QUESTIONS = {
        SurveyAnswer.Dimension.TANGIBLES: _("Tangibles: the facilities, lounge and the car's cleanliness"),
        SurveyAnswer.Dimension.RELIABILITY: _("Reliability: the work was done right, as promised"),
        SurveyAnswer.Dimension.RESPONSIVENESS: _("Responsiveness: prompt, willing help"),
        SurveyAnswer.Dimension.ASSURANCE: _("Assurance: competent, trustworthy staff"),
        SurveyAnswer.Dimension.EMPATHY: _("Empathy: attention to your needs"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for dimension, question in self.QUESTIONS.items():
            self.fields[f"p_{dimension}"] = forms.TypedChoiceField(
                label=question, choices=SCORES, coerce=int, widget=forms.RadioSelect
            )
            self.fields[f"e_{dimension}"] = forms.TypedChoiceField(
                label=_("Expected (optional)"), choices=[("", "—"), *SCORES], coerce=int, required=False,
                empty_value=None,
            )

    def dimension_rows(self):
        return [(self[f"p_{d}"], self[f"e_{d}"]) for d in self.QUESTIONS]

    def perceptions(self) -> dict[str, int]:
        return {d: self.cleaned_data[f"p_{d}"] for d in self.QUESTIONS}

    def expectations(self) -> dict[str, int | None]:
        return {d: self.cleaned_data[f"e_{d}"] for d in self.QUESTIONS if self.cleaned_data.get(f"e_{d}")}
