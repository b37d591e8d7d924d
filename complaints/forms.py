from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints.models import CallAttempt, CareSettings, Complaint, ComplaintContact, SurveyAnswer
from core.pickers import PickerField, picker_params
from org.models import Staff
from reception.models import Customer, Vehicle, WorkOrder

SCORES = [(i, str(i)) for i in range(1, 6)]
YES_NO = [("", _("not asked")), ("true", _("yes")), ("false", _("no"))]


def _yes_no(label):
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, required=False, empty_value=None,
        coerce=lambda v: {"true": True, "false": False}.get(v),
    )


def station_staff(station) -> QuerySet[Staff]:
    return Staff.objects.filter(station=station, is_active=True)


def staff_picker(label, **kwargs) -> PickerField:
    """A person of the station, picked by typing their name (a station's staff is too long a list to scroll)."""
    return PickerField(label=label, url="org:pick_staff", queryset=Staff.objects.none(), **kwargs)


class IntakeForm(forms.Form):
    """Who complains is found by mobile or plate (or comes prefilled from a customer or order page)."""

    lookup = forms.CharField(
        label=_("Customer's mobile or licence plate"), max_length=40, required=False,
        help_text=_("Or open the complaint from the customer's or the order's page."),
    )
    order_number = forms.CharField(label=_("Related work order number"), max_length=24, required=False)
    customer = forms.ModelChoiceField(queryset=Customer.objects.none(), required=False, widget=forms.HiddenInput)
    vehicle = forms.ModelChoiceField(queryset=Vehicle.objects.none(), required=False, widget=forms.HiddenInput)
    order = forms.ModelChoiceField(queryset=WorkOrder.objects.none(), required=False, widget=forms.HiddenInput)
    source = forms.ChoiceField(label=_("Source"), choices=Complaint.Source.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Complaint.Category.choices)
    severity = forms.TypedChoiceField(label=_("Severity"), choices=Complaint.Severity.choices, coerce=int)
    is_crisis = forms.BooleanField(
        label=_("Crisis incident (public or media impact)"), required=False,
        help_text=_("Goes straight to the station manager and the group director."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("The customer's words"), widget=forms.Textarea(attrs={"rows": 4}))
    staff_involved = staff_picker(_("Staff involved"), required=False)
    owner = staff_picker(pgettext_lazy("complaint", "Owner"), required=False, help_text=_("Empty: you."))

    SERVICE_FIELDS = ("customer", "vehicle", "order", "source", "category", "severity", "is_crisis", "subject",
                      "description", "staff_involved", "owner")

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.station = station
        self.fields["customer"].queryset = Customer.objects.filter(station=station)
        self.fields["vehicle"].queryset = Vehicle.objects.filter(station=station)
        self.fields["order"].queryset = WorkOrder.objects.filter(station=station)
        self.fields["staff_involved"].queryset = station_staff(station)
        self.fields["owner"].queryset = station_staff(station)
        picker_params(self, station=getattr(station, "pk", None))

    def clean(self):
        data = super().clean()
        number = (data.get("order_number") or "").strip()
        if number and not data.get("order"):
            data["order"] = WorkOrder.objects.filter(station=self.station, number__iexact=number).first()
            if data["order"] is None:
                self.add_error("order_number", _("No work order with this number."))
        order = data.get("order")
        if order is not None:
            data["customer"] = data.get("customer") or order.customer
            data["vehicle"] = data.get("vehicle") or order.vehicle
            data["staff_involved"] = data.get("staff_involved") or order.advisor
        lookup = (data.get("lookup") or "").strip()
        if data.get("customer") is None and lookup:
            customer = Customer.objects.filter(station=self.station, mobile=lookup).first()
            vehicle = Vehicle.objects.filter(station=self.station, plate__iexact=lookup.replace(" ", "")).first()
            if customer is None and vehicle is not None:
                customer = vehicle.owner
                data["vehicle"] = data.get("vehicle") or vehicle
            data["customer"] = customer
            if customer is None:
                self.add_error("lookup", _("No customer with this mobile or licence plate."))
        elif data.get("customer") is None and "order_number" not in self.errors:
            self.add_error("lookup", _("Give the customer's mobile or licence plate."))
        return data

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.SERVICE_FIELDS}


class AnalyseForm(forms.Form):
    root_cause = forms.CharField(label=_("Root cause"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible_department = forms.ChoiceField(label=_("Responsible department"),
                                               choices=Complaint.Department.choices)
    responsible_person = staff_picker(_("Responsible person"), required=False)
    severity = forms.TypedChoiceField(label=_("Severity"), choices=Complaint.Severity.choices, coerce=int)

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_person"].queryset = station_staff(station)
        picker_params(self, station=getattr(station, "pk", None))


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
    corrective_owner = staff_picker(_("Corrective action owner"))
    corrective_due = forms.DateField(label=_("Corrective action due"), widget=forms.DateInput(attrs={"type": "date"}))
    satisfaction = forms.TypedChoiceField(label=_("Customer's satisfaction with the outcome"), choices=SCORES,
                                          coerce=int, widget=forms.RadioSelect)
    note = forms.CharField(label=pgettext_lazy("complaint", "Note"), required=False)

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corrective_owner"].queryset = station_staff(station)
        picker_params(self, station=getattr(station, "pk", None))


class ReassignForm(forms.Form):
    owner = staff_picker(_("New owner"))

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = station_staff(station)
        picker_params(self, station=getattr(station, "pk", None))


class AttemptForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[c for c in CallAttempt.Outcome.choices if c[0] != CallAttempt.Outcome.REACHED]
    )
    note = forms.CharField(label=pgettext_lazy("complaint", "Note"), required=False)


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


class CareSettingsForm(forms.ModelForm):
    class Meta:
        model = CareSettings
        fields = [f.name for f in CareSettings._meta.fields
                  if f.name not in {"id", "station", "created_at", "updated_at"}]
