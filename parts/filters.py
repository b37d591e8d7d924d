from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from parts.models import StockBalance


class StockFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("part number or name"), method="search")
    bin = django_filters.CharFilter(label=_("bin"), method="by_bin")
    brand = django_filters.CharFilter(label=_("brand"), field_name="part__brand", lookup_expr="iexact")
    genuine = django_filters.ChoiceFilter(
        label=_("genuine part"), method="by_genuine", empty_label=_("all"),
        choices=[("yes", _("genuine")), ("no", _("non-genuine"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    state = django_filters.ChoiceFilter(
        label=_("stock"), method="by_state", empty_label=_("all"), widget=forms.Select(attrs={"class": "form-select"}),
        choices=[("in_stock", _("in stock")), ("out", _("out of stock")), ("low", _("at or below minimum")),
                 ("reserved", _("with reservations"))],
    )

    class Meta:
        model = StockBalance
        fields: list[str] = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            # Part numbers are stored in capitals: a plain prefix LIKE can use the pattern index.
            Q(part__part_number__startswith=value.upper()) | Q(part__name_zh__icontains=value)
            | Q(part__name_en__icontains=value)
        )

    def by_bin(self, queryset, name, value):
        return queryset.filter(bin_location__startswith=value.strip().upper()) if value.strip() else queryset

    def by_genuine(self, queryset, name, value):
        return queryset.filter(part__is_genuine=value == "yes") if value in ("yes", "no") else queryset

    def by_state(self, queryset, name, value):
        if value == "in_stock":
            return queryset.filter(on_hand__gt=0)
        if value == "out":
            return queryset.filter(on_hand=0)
        if value == "low":
            return queryset.filter(min_qty__gt=0, on_hand__lte=F("min_qty") + F("reserved"))
        if value == "reserved":
            return queryset.filter(reserved__gt=0)
        return queryset
