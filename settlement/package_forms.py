"""Forms of service packages and coupons (issue 19 item 8)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.money import Payer
from core.pickers import PickerField, picker_params
from reception.models import Customer, WorkOrderLine
from settlement.models import Coupon, PackageSale

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class PackageSellForm(forms.Form):
    customer = PickerField(label=_("customer"), url="reception:pick_customers", queryset=Customer.objects.none())
    name = forms.CharField(label=_("package"), max_length=120)
    uses_total = forms.IntegerField(label=_("services included"), min_value=1, max_value=100)
    price = forms.DecimalField(label=_("price (before VAT)"), max_digits=12, decimal_places=2, min_value=0)
    valid_until = forms.DateField(label=_("valid until"), widget=DATE)

    def __init__(self, *args, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.filter(station=station)
        picker_params(self, station=getattr(station, "pk", None))


class PackageUseForm(forms.Form):
    """The order's customer's packages and the order's customer-pay lines: both small, bounded by the order."""

    sale = forms.ModelChoiceField(label=_("package"), queryset=PackageSale.objects.none())
    line = forms.ModelChoiceField(label=_("line"), queryset=WorkOrderLine.objects.none())

    def __init__(self, *args, order=None, **kwargs):
        super().__init__(*args, prefix="use", **kwargs)
        self.fields["sale"].queryset = PackageSale.objects.filter(station=order.station_id, customer=order.customer_id)
        self.fields["line"].queryset = order.lines.filter(payer=Payer.CUSTOMER).exclude(kind="sublet")


class CouponRedeemForm(forms.Form):
    code = forms.CharField(label=_("coupon code"), max_length=32)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="coupon", **kwargs)


class CouponIssueForm(forms.Form):
    code = forms.CharField(label=_("coupon code"), max_length=32)
    kind = forms.ChoiceField(label=_("kind"), choices=Coupon.Kind.choices)
    value = forms.DecimalField(label=_("value"), max_digits=12, decimal_places=2, min_value=0)
    min_spend = forms.DecimalField(label=_("minimum spend"), max_digits=12, decimal_places=2, min_value=0, initial=0)
    line_kinds = forms.CharField(label=_("line kinds"), max_length=40, required=False,
                                 help_text=_("labour, part, sublet separated by commas; empty for all"))
    valid_from = forms.DateField(label=_("valid from"), widget=DATE)
    valid_until = forms.DateField(label=_("valid until"), widget=DATE)
