"""Forms of 三包 (repairs counted on the order, the models' periods) and of the campaigns' pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reception.models import SanbaoRepair, WarrantyTerms


class SanbaoRepairForm(forms.Form):
    component = forms.ChoiceField(label=_("system"), choices=SanbaoRepair.Component.choices)
    fault = forms.CharField(label=_("fault"), max_length=120,
                            help_text=_("The same words for the same quality problem: repeats are counted by it."))
    serious_safety = forms.BooleanField(label=_("serious safety fault"), required=False)
    replaced = forms.BooleanField(label=_("main part replaced"), required=False)


class WarrantyTermsForm(forms.ModelForm):
    class Meta:
        model = WarrantyTerms
        fields = ["model", "warranty_months", "warranty_km", "sanbao_months", "sanbao_km"]
