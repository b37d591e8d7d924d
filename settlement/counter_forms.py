"""Forms of the counter sale pages (issue 19, item 12)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2}


class CounterSaleStartForm(forms.Form):
    mobile = forms.CharField(label=_("customer mobile"), max_length=20, required=False,
                             help_text=_("Leave empty for a walk-in customer."))
    plate = forms.CharField(label=_("licence plate"), max_length=12, required=False,
                            help_text=_("Needed for an extended warranty."))
    walk_in_name = forms.CharField(label=_("walk-in customer"), max_length=60, required=False)


class CounterPartLineForm(forms.Form):
    part_number = forms.CharField(label=_("part number"), max_length=40)
    quantity = forms.DecimalField(label=_("quantity"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2,
                                  initial=1)
    discount_pct = forms.DecimalField(label=_("discount %"), min_value=Decimal("0"), max_value=Decimal("100"),
                                      max_digits=5, decimal_places=2, required=False, initial=0)


class CounterWarrantyLineForm(forms.Form):
    description = forms.CharField(label=_("description"), max_length=120, initial=_("Extended warranty"))
    provider = forms.CharField(label=_("provider"), max_length=80)
    term_months = forms.IntegerField(label=_("term (months)"), min_value=1, max_value=120)
    term_km = forms.IntegerField(label=_("term (km)"), min_value=1, max_value=1_000_000)
    price = forms.DecimalField(label=_("price"), min_value=Decimal("0.01"), **MONEY)
    discount_pct = forms.DecimalField(label=_("discount %"), min_value=Decimal("0"), max_value=Decimal("100"),
                                      max_digits=5, decimal_places=2, required=False, initial=0)


class CounterPackageLineForm(forms.Form):
    """A prepaid service package (保养套餐) for the sale's customer."""

    name = forms.CharField(label=_("package"), max_length=120)
    uses_total = forms.IntegerField(label=_("services included"), min_value=1, max_value=100)
    price = forms.DecimalField(label=_("price (before VAT)"), min_value=Decimal("0.01"), **MONEY)
    valid_until = forms.DateField(label=_("valid until"), widget=forms.DateInput(format="%Y-%m-%d",
                                                                                 attrs={"type": "date"}))
    discount_pct = forms.DecimalField(label=_("discount %"), min_value=Decimal("0"), max_value=Decimal("100"),
                                      max_digits=5, decimal_places=2, required=False, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="package", **kwargs)
