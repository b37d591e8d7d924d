from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from parts.models import LostSale, Supplier, SupplierReturn, Warehouse

QTY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0.01")}
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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


class LostSaleFilterForm(forms.Form):
    """The filters of the lost-sales list (GET); both dates are included in the period."""

    date_from = forms.DateField(label=pgettext_lazy("period", "from"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=pgettext_lazy("period", "to"), required=False, widget=DATE_WIDGET)
    outcome = forms.ChoiceField(label=_("outcome"), required=False,
                                choices=[("", _("all")), *LostSale.Outcome.choices])
    part_number = forms.CharField(label=_("part number"), max_length=40, required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data


class TransferForm(forms.Form):
    """调拨: move stock of one part between two warehouses of the station."""

    part_number = forms.CharField(label=_("part number"), max_length=40)
    source = forms.ModelChoiceField(label=_("from warehouse"), queryset=Warehouse.objects.none())
    target = forms.ModelChoiceField(label=_("to warehouse"), queryset=Warehouse.objects.none())
    quantity = forms.DecimalField(label=_("quantity"), **QTY)
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)

    def __init__(self, *args, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        warehouses = Warehouse.objects.filter(station=station).order_by("-is_main", "code")
        self.fields["source"].queryset = warehouses
        self.fields["target"].queryset = warehouses
