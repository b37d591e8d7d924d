from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from parts.models import LostSale, Supplier, SupplierReturn

QTY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0.01")}


class QuantityForm(forms.Form):
    quantity = forms.DecimalField(label=_("quantity"), **QTY)
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)


class LocationForm(forms.Form):
    bin_location = forms.CharField(label=_("bin"), max_length=20, required=False)
    min_qty = forms.DecimalField(label=_("minimum"), max_digits=12, decimal_places=2, min_value=0, initial=0)
    max_qty = forms.DecimalField(label=_("maximum"), max_digits=12, decimal_places=2, min_value=0, initial=0)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_(
        "Columns: part_number, brand, name_zh, name_en, genuine, unit, list_price, bin, min, max, superseded_by."
    ))


class LostSaleForm(forms.Form):
    part_number = forms.CharField(label=_("part number"), max_length=40)
    quantity = forms.DecimalField(label=_("quantity"), **QTY)
    outcome = forms.ChoiceField(label=_("outcome"), choices=LostSale.Outcome.choices)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class SupplierChoiceForm(forms.Form):
    supplier = forms.ModelChoiceField(label=_("supplier"), queryset=Supplier.objects.none())
    is_emergency = forms.BooleanField(label=_("emergency purchase"), required=False)

    def __init__(self, *args, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.filter(station=station)


class PurchaseOrderForm(SupplierChoiceForm):
    lines = forms.CharField(
        label=_("parts"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One part per line: part number, quantity (for example “04152-YZZA1 10”)."),
    )


class SupplierReturnForm(forms.Form):
    supplier = forms.ModelChoiceField(label=_("supplier"), queryset=Supplier.objects.none())
    part_number = forms.CharField(label=_("part number"), max_length=40)
    quantity = forms.DecimalField(label=_("quantity"), **QTY)
    kind = forms.ChoiceField(label=_("type"), choices=SupplierReturn.Kind.choices)
    reason = forms.CharField(label=_("reason"), max_length=200)

    def __init__(self, *args, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.filter(station=station)


class StocktakeForm(forms.Form):
    bin_prefix = forms.CharField(label=_("bins starting with"), max_length=20, required=False)
    blind = forms.BooleanField(label=_("blind count"), required=False, initial=True)


class ScrapForm(forms.Form):
    part_number = forms.CharField(label=_("part number"), max_length=40)
    quantity = forms.DecimalField(label=_("quantity"), **QTY)
    reason = forms.CharField(label=_("reason"), max_length=200)
