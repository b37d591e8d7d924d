from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from kpi.models import AppraisalReview, AppraisalSettings, KpiSettings
from kpi.registry import KPIS


def kpi_choices():
    return [(code, k.label) for code, k in KPIS.items()]


class TargetForm(forms.Form):
    kpi = forms.ChoiceField(label=_("KPI"), choices=kpi_choices)
    value = forms.DecimalField(
        label=_("target"), max_digits=14, decimal_places=4, required=False,
        help_text=_("Percentages as a percentage (95 for 95%); leave empty to remove the target."),
    )


class OverheadForm(forms.Form):
    month = forms.DateField(label=_("month"), widget=forms.DateInput(attrs={"type": "month"}),
                            input_formats=["%Y-%m", "%Y-%m-%d"])
    amount = forms.DecimalField(label=_("overhead (CNY)"), max_digits=14, decimal_places=2, min_value=Decimal("0"))


class PurchaseTargetForm(forms.Form):
    month = forms.DateField(label=_("month"), widget=forms.DateInput(attrs={"type": "month"}),
                            input_formats=["%Y-%m", "%Y-%m-%d"])
    amount = forms.DecimalField(label=_("genuine-parts purchase target (CNY)"), max_digits=14, decimal_places=2,
                                min_value=Decimal("0"))


class ReviewForm(forms.Form):
    kind = forms.ChoiceField(label=_("review"), choices=AppraisalReview.Kind.choices)
    score = forms.DecimalField(label=_("score (0–100)"), max_digits=5, decimal_places=2)
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AppraisalSettingsForm(forms.ModelForm):
    class Meta:
        model = AppraisalSettings
        fields = ["weight_system", "weight_self", "weight_supervisor", "weight_customer", "weight_peer", "pass_mark"]

    def clean(self):
        data = super().clean()
        weights = [data.get(f) or 0 for f in self.Meta.fields[:-1]]
        if sum(weights) != 100:
            raise forms.ValidationError(_("The weights must add up to 100."))
        return data


class KpiSettingsForm(forms.ModelForm):
    class Meta:
        model = KpiSettings
        fields = ["technician_hourly_cost", "followup_window_days", "obsolete_months"]


class PayGradeForm(forms.Form):
    name = forms.CharField(label=_("technician grade"), max_length=40)
    rate = forms.DecimalField(label=_("rate per sold hour (CNY)"), max_digits=8, decimal_places=2)


class TechnicianGradeForm(forms.Form):
    """Put one technician (a row of the pay page) on one of the station's grades."""

    technician = forms.IntegerField(widget=forms.HiddenInput)
    grade = forms.ModelChoiceField(label=_("technician grade"), queryset=None)

    def __init__(self, *args, grades, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].queryset = grades
