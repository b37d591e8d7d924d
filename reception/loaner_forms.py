"""Forms of the loaner pages (代步车)."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from reception.models import Loaner

LOCAL_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class LoanerForm(forms.ModelForm):
    class Meta:
        model = Loaner
        fields = ["plate", "model_name", "daily_rate", "active"]


class LoanerBookForm(forms.Form):
    loaner = forms.ModelChoiceField(label=_("loaner car"), queryset=Loaner.objects.none())
    starts_at = forms.DateTimeField(label=_("from"), widget=LOCAL_INPUT)
    ends_at = forms.DateTimeField(label=_("until"), widget=LOCAL_INPUT)
    note = forms.CharField(label=_("note"), required=False, max_length=200)

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        # a station's fleet is a handful of cars, not a growing table
        self.fields["loaner"].queryset = Loaner.objects.filter(station=station, active=True)


class LoanerHandForm(forms.Form):
    mileage = forms.IntegerField(label=_("mileage (km)"), min_value=0)
    fuel = forms.IntegerField(label=_("fuel (%)"), min_value=0, validators=[MaxValueValidator(100)])
    damage = forms.CharField(label=_("damage noted"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class LoanerFreeForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200)
