"""Forms of the ledger pages (issue 18): voucher day, account mapping, remittance, fleet contract and drivers."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.pickers import PickerField, picker_params
from reception.models import Customer
from settlement.models import Payment
from settlement.services.receivables import PAYER_KINDS


class VoucherDayForm(forms.Form):
    day = forms.DateField(label=_("day"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))


class AccountForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    code = forms.CharField(label=_("account code"), max_length=24)
    name = forms.CharField(label=_("account name"), max_length=60)


METHODS = [(v, label) for v, label in Payment.Method.choices if v != Payment.Method.FLEET_CREDIT]


class RemittanceForm(forms.Form):
    payer_kind = forms.ChoiceField(widget=forms.HiddenInput, choices=PAYER_KINDS)
    method = forms.ChoiceField(label=_("method"), choices=METHODS,
                               widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    amount = forms.DecimalField(label=_("amount received"), max_digits=12, decimal_places=2, min_value=0)
    reference = forms.CharField(label=_("reference"), max_length=64, required=False)


class FleetContractForm(forms.Form):
    customer = PickerField(label=_("customer"), url="reception:pick_customers", queryset=Customer.objects.none())
    number = forms.CharField(label=_("contract number"), max_length=40)
    labour_rate = forms.DecimalField(label=_("negotiated labour rate (per hour)"), max_digits=12, decimal_places=2,
                                     required=False, min_value=0)
    parts_discount_pct = forms.DecimalField(label=_("parts discount (%)"), max_digits=5, decimal_places=2,
                                            min_value=0, max_value=100, initial=0)
    credit_limit = forms.DecimalField(label=_("credit limit"), max_digits=12, decimal_places=2, min_value=0)
    valid_until = forms.DateField(label=_("valid until"), required=False,
                                  widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)

    def __init__(self, *args, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.filter(station=station, kind=Customer.Kind.FLEET)
        picker_params(self, station=getattr(station, "pk", None))


class DriverForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=60)
    mobile = forms.CharField(label=_("mobile"), max_length=20)


class CreditRequestForm(forms.Form):
    amount = forms.DecimalField(label=_("amount on credit"), max_digits=12, decimal_places=2, min_value=0)


class MonthForm(forms.Form):
    month = forms.DateField(label=_("month"), input_formats=["%Y-%m"], required=False)
