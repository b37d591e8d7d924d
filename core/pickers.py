"""Search-as-you-type pickers: a form field over a (station-scoped) queryset that never renders the queryset.

The page shows a text box; typing asks a suggestion endpoint (htmx, ``static/js/picker.js``) for at most a few
matches, shown as an ARIA listbox (arrows move, Enter picks, Esc closes). The chosen id travels in a hidden input
and is validated like any ``ModelChoiceField``: against the queryset the form gives the field, so an id of another
station is refused with the field's translated error. Only the chosen rows are read to show their labels again
when a bound form comes back with errors (one query, whatever the table's size).

    vehicle = PickerField(label=_("vehicle"), url="reception:pick_vehicles")
    parts = PickerMultipleField(label=_("parts"), url="reception:pick_parts", required=False)
    # in __init__: self.fields["vehicle"].queryset = ...; self.fields["parts"].widget.params = {"vehicle": pk}

A suggestion endpoint answers ``<li role="option" data-value="<pk>" data-label="<label>">…</li>`` items (see
``core/widgets/_picker_options.html``); ``q`` is the typed text.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Picker(forms.Widget):
    template_name = "core/widgets/picker.html"
    multiple = False

    def __init__(self, url: str = "", *, params: dict | None = None, placeholder=None, attrs=None):
        super().__init__(attrs)
        self.url = url
        self.params = dict(params or {})
        self.url_kwargs: dict = {}  # for an endpoint under an id (the order line a finding is about)
        self.context_fields: list[str] = []  # other fields of the form whose value goes with each query
        self.placeholder = placeholder
        self.choices = ()  # ModelChoiceField sets its iterator here; only its queryset and field are used

    def __deepcopy__(self, memo):
        obj = super().__deepcopy__(memo)
        obj.params = dict(self.params)
        obj.context_fields = list(self.context_fields)
        obj.url_kwargs = dict(self.url_kwargs)
        return obj

    def format_value(self, value) -> list[str]:
        if value is None or value == "":
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(getattr(v, "pk", v)) for v in values if v not in (None, "")]

    def value_from_datadict(self, data, files, name):
        if self.multiple and hasattr(data, "getlist"):
            return [v for v in data.getlist(name) if v]
        return data.get(name)

    def value_omitted_from_data(self, data, files, name) -> bool:
        return False if self.multiple else name not in data

    def selected(self, values: list[str]) -> list[dict]:
        """The chosen rows with their labels, in the order chosen; ids not in the queryset keep an empty label."""
        queryset = getattr(self.choices, "queryset", None)
        field = getattr(self.choices, "field", None)
        labels = {}
        ids = [v for v in values if v.isdigit()]
        if queryset is not None and field is not None and ids:
            labels = {str(obj.pk): field.label_from_instance(obj) for obj in queryset.filter(pk__in=ids)}
        return [{"value": v, "label": labels.get(v, "")} for v in values]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        attrs = widget["attrs"]
        widget["input_id"] = attrs.get("id") or f"id_{name}"
        widget["selected"] = self.selected(self.format_value(value))
        widget["multiple"] = self.multiple
        url = reverse(self.url, kwargs=self.url_kwargs or None) if self.url else ""
        if self.params:
            url += "?" + urlencode(self.params)
        widget["url"] = url
        widget["context_fields"] = " ".join(self.context_fields)
        widget["invalid"] = "is-invalid" in attrs.get("class", "")
        widget["placeholder"] = self.placeholder or attrs.get("placeholder") or _("Type to search…")
        widget["input_attrs"] = {k: v for k, v in attrs.items() if k not in ("id", "placeholder", "required")}
        return context

    def id_for_label(self, id_):
        return id_


class MultiplePicker(Picker):
    multiple = True


class PickerField(forms.ModelChoiceField):
    """One row, picked by searching. ``url`` names the suggestion endpoint."""

    widget = Picker

    def __init__(self, *, url: str, queryset=None, params: dict | None = None, **kwargs):
        kwargs.setdefault("widget", self.widget(url, params=params))
        super().__init__(queryset=queryset, **kwargs)
        self.error_messages["invalid_choice"] = _("Pick one of the suggestions (type to search).")


class PickerMultipleField(forms.ModelMultipleChoiceField):
    """Several rows, each picked by searching; shown as removable tags."""

    widget = MultiplePicker

    def __init__(self, *, url: str, queryset=None, params: dict | None = None, **kwargs):
        kwargs.setdefault("widget", self.widget(url, params=params))
        super().__init__(queryset=queryset, **kwargs)
        self.error_messages["invalid_choice"] = _("Pick one of the suggestions (type to search).")
        self.error_messages["invalid_pk_value"] = _("Pick one of the suggestions (type to search).")


def suggestions(request, rows, *, label=str, detail=None) -> HttpResponse:
    """A suggestion endpoint's answer: one ``role=option`` item per row (``label`` is what the text box shows once
    picked, and must match the field's ``label_from_instance``; ``detail`` a grey hint after it)."""
    options = [{"value": row.pk, "label": label(row), "detail": detail(row) if detail else ""} for row in rows]
    return render(request, "core/widgets/_picker_options.html",
                  {"options": options, "query": (request.GET.get("q") or "").strip()})


def picker_params(form: forms.BaseForm, **params) -> None:
    """Send ``params`` (the form's station, the vehicle in question) with every query of the form's pickers."""
    for field in form.fields.values():
        if isinstance(field.widget, Picker):
            field.widget.params.update({k: v for k, v in params.items() if v is not None})
