from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.numbers import MAX_PRICE, MAX_QUANTITY
from parts.models import LostSale, PricePolicy, ReceiptException, Supplier, SupplierReturn, Warehouse

QTY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0.01"), "max_value": MAX_QUANTITY}
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class QuantityForm(forms.Form):
    quantity = forms.DecimalField(label=_("quantity"), **QTY)
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)


class LocationForm(forms.Form):
    bin_location = forms.CharField(label=_("bin"), max_length=20, required=False)
    min_qty = forms.DecimalField(label=_("minimum"), max_digits=12, decimal_places=2, min_value=0, initial=0,
                                 max_value=MAX_QUANTITY)
    max_qty = forms.DecimalField(label=_("maximum"), max_digits=12, decimal_places=2, min_value=0, initial=0,
                                 max_value=MAX_QUANTITY)


class LostSaleForm(forms.Form):
    part_number = forms.CharField(label=_("part number"), max_length=40)
    quantity = forms.DecimalField(label=_("quantity"), **QTY)
    outcome = forms.ChoiceField(label=_("outcome"), choices=LostSale.Outcome.choices)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class SpecialOrderForm(forms.Form):
    """特殊订货 from the pick list: the part of one work-order line, from one supplier of the station."""

    supplier = forms.ModelChoiceField(label=_("supplier"), queryset=Supplier.objects.none())
    quantity = forms.DecimalField(label=_("quantity"), **QTY)
    is_emergency = forms.BooleanField(label=_("emergency"), required=False)

    def __init__(self, *args, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.filter(station=station, is_active=True)


class SupplierChoiceForm(forms.Form):
    supplier = forms.ModelChoiceField(label=_("supplier"), queryset=Supplier.objects.none())
    is_emergency = forms.BooleanField(label=_("emergency purchase"), required=False)

    def __init__(self, *args, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.filter(station=station, is_active=True)


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


def plain(value) -> str:
    """A number as a person types it: 5 not 5.00, 40.5 not 40.5000; '' for nothing."""
    if value is None or value == "":
        return ""
    text = format(Decimal(value).normalize(), "f")
    return "0" if text in ("-0", "") else text


def _number(label, *, places: int = 2, max_value=MAX_QUANTITY, **kw) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=12, decimal_places=places, min_value=0, max_value=max_value,
                              required=False, **kw)


class SuggestedOrderForm(SupplierChoiceForm):
    """The suggested order: which suggestions to order (``part``) and how many of each (``qty_<part id>``)."""

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = list(suggestions)
        self.fields["part"] = forms.MultipleChoiceField(
            label=_("parts"), required=False, choices=[(str(s.part.pk), s.part.part_number) for s in self.suggestions],
        )
        for s in self.suggestions:
            self.fields[f"qty_{s.part.pk}"] = _number(s.part.part_number, places=0)
            self.initial.setdefault(f"qty_{s.part.pk}", plain(s.quantity))

    def order_lines(self) -> list[dict]:
        """The chosen parts with a quantity above zero (an empty quantity orders the suggested one)."""
        chosen = set(self.cleaned_data.get("part") or [])
        lines = []
        for s in self.suggestions:
            qty = self.cleaned_data.get(f"qty_{s.part.pk}")
            qty = s.quantity if qty is None else qty
            if str(s.part.pk) in chosen and qty > 0:
                lines.append({"part": s.part, "quantity": qty})
        return lines


class ReceiveForm(forms.Form):
    """Goods receipt against a purchase order: per line qty_, cost_, exc_kind_, exc_qty_, exc_note_ (line id)."""

    delivery_note = forms.CharField(label=_("delivery note"), max_length=40, required=False)

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(order.lines.select_related("part"))
        kinds = [("", "—"), *ReceiptException.Kind.choices]
        for line in self.lines:
            self.fields[f"qty_{line.pk}"] = _number(_("receive now"))
            self.fields[f"cost_{line.pk}"] = _number(_("unit cost"), places=4, max_value=MAX_PRICE)
            self.fields[f"exc_kind_{line.pk}"] = forms.ChoiceField(label=_("exception"), choices=kinds, required=False)
            self.fields[f"exc_qty_{line.pk}"] = _number(_("quantity"))
            self.fields[f"exc_note_{line.pk}"] = forms.CharField(label=_("note"), max_length=200, required=False)
            self.initial.setdefault(f"qty_{line.pk}", plain(line.outstanding))
            self.initial.setdefault(f"cost_{line.pk}", plain(line.unit_cost))

    def clean(self):
        data = super().clean()
        for line in self.lines:
            qty = data.get(f"qty_{line.pk}")
            if qty and qty > line.outstanding:
                self.add_error(f"qty_{line.pk}", _("%(part)s: receive between 0 and %(max)s.")
                               % {"part": line.part.part_number, "max": plain(line.outstanding)})
        return data

    def receipt(self) -> dict:
        """Keyword arguments for ``purchase_order_receive``."""
        data = self.cleaned_data
        quantities, costs, exceptions = {}, {}, []
        for line in self.lines:
            quantities[line.pk] = data.get(f"qty_{line.pk}") or Decimal("0")
            costs[line.pk] = data.get(f"cost_{line.pk}") or line.unit_cost
            if data.get(f"exc_kind_{line.pk}"):
                exceptions.append({"po_line": line.pk, "kind": data[f"exc_kind_{line.pk}"],
                                   "quantity": data.get(f"exc_qty_{line.pk}") or Decimal("0"),
                                   "note": data.get(f"exc_note_{line.pk}", "")})
        return {"quantities": quantities, "unit_costs": costs, "exceptions": exceptions,
                "delivery_note": data.get("delivery_note", "")}


class ReturnCloseForm(forms.Form):
    quantity_back = _number(_("quantity back"))


class CountForm(forms.Form):
    """The counts of a count sheet: ``count_<line id>``; an empty box leaves the line as it was."""

    def __init__(self, *args, stocktake, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(stocktake.lines.select_related("part"))
        for line in self.lines:
            self.fields[f"count_{line.pk}"] = _number(line.part.part_number)
            self.initial.setdefault(f"count_{line.pk}", plain(line.counted_qty))

    def counts(self) -> dict:
        return {line.pk: self.cleaned_data.get(f"count_{line.pk}") for line in self.lines}

    def mark_uncounted(self, message: str) -> None:
        """Put ``message`` at every box left empty on a line that has no count yet."""
        for line in self.lines:
            if line.counted_qty is None and self.cleaned_data.get(f"count_{line.pk}") is None:
                self.add_error(f"count_{line.pk}", message)


class PricePolicyForm(forms.Form):
    """One payer's price: the basis (OEM list price or cost) and the markup in per cent."""

    payer = forms.CharField(widget=forms.HiddenInput, max_length=10)
    basis = forms.ChoiceField(label=_("basis"), choices=PricePolicy.Basis.choices)
    markup_pct = forms.DecimalField(label=_("markup %"), max_digits=6, decimal_places=2)


class WarehouseForm(forms.Form):
    code = forms.CharField(label=_("code"), max_length=20, help_text=_("Short, e.g. MAIN or QUICK; unique in the station."))
    name = forms.CharField(label=pgettext_lazy("warehouse or supplier", "name"), max_length=80)
    is_main = forms.BooleanField(label=_("main warehouse"), required=False,
                                 help_text=_("Issues, receipts and stocktakes use the main warehouse unless told otherwise."))


class SupplierForm(forms.Form):
    code = forms.CharField(label=_("code"), max_length=20, help_text=_("Unique in the station."))
    name = forms.CharField(label=pgettext_lazy("warehouse or supplier", "name"), max_length=120)
    lead_days = forms.IntegerField(label=_("lead time (days)"), min_value=0, max_value=365, initial=3,
                                   help_text=_("A placed purchase order is due this many days after it is placed."))
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True,
                                   help_text=_("Only active suppliers can be chosen on a new purchase order."))
