"""core.formfields: ``|as_field`` writes what crispy's ``|as_crispy_field`` writes (same elements, attributes, labels,
help and errors; only the whitespace between tags may differ), unbound, filled in and with errors."""

from __future__ import annotations

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.template import Context, Template

from core.formfields import field_html


class Everything(forms.Form):
    text = forms.CharField(label="Name <b>", max_length=20, help_text="Your <em>own</em> name.")
    optional = forms.CharField(label="Optional", required=False, initial="x \"quoted\" & <tag>")
    number = forms.DecimalField(label="Price", min_value=0, max_digits=6, decimal_places=2)
    email = forms.EmailField(label="E-mail", required=False)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    choice = forms.ChoiceField(label="Payer", choices=[("a", "A & co"), ("b", "B")], initial="b")
    grouped = forms.ChoiceField(label="Grouped", required=False,
                                choices=[("", "—"), ("G1", [("x", "X"), ("y", "Y")]), ("z", "Z")])
    styled = forms.CharField(label="Styled", required=False,
                             widget=forms.TextInput(attrs={"class": "font-monospace", "placeholder": "e.g. 1"}))
    flag = forms.BooleanField(label="Flag", required=False, help_text="Tick it.")
    must = forms.BooleanField(label="Must")
    unlabelled = forms.CharField(label="", required=False)
    # handed to crispy: hidden, file, radio, multiple choice
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    upload = forms.FileField(label="File", required=False)
    radio = forms.ChoiceField(label="Radio", choices=[("1", "one"), ("2", "two")], widget=forms.RadioSelect,
                              required=False)
    many = forms.MultipleChoiceField(label="Many", choices=[("1", "one"), ("2", "two")], required=False)

    def clean(self):
        self.add_error("styled", "First problem.")
        self.add_error("styled", "Second <problem>.")
        return self.cleaned_data


def _same(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


FILLED = {"text": "Wang", "number": "12.5", "email": "w@example.com", "notes": "line 1\n<line 2>", "choice": "a",
          "grouped": "y", "styled": "s", "flag": "on", "must": "on", "many": ["2"]}
BROKEN = {"text": "x" * 30, "number": "-1", "email": "not-an-address", "choice": "nope", "grouped": "q"}


@pytest.mark.parametrize("form", [
    Everything(), Everything(prefix="p"), Everything(auto_id=False), Everything(FILLED), Everything(BROKEN),
], ids=["unbound", "prefix", "no-ids", "filled", "errors"])
def test_every_field_reads_as_crispy_writes_it(form):
    for field in form:
        assert _same(field_html(field)) == _same(as_crispy_field(field)), field.name


def test_the_form_keeps_its_widgets_as_they_were():
    """(crispy adds its classes to the form's own widgets; the fields it still renders keep doing so)"""
    form = Everything(BROKEN)
    plain = [name for name in form.fields if name not in {"hidden", "upload", "radio", "many"}]
    before = {name: dict(form.fields[name].widget.attrs) for name in plain}
    for name in plain:
        field_html(form[name])
    assert {name: dict(form.fields[name].widget.attrs) for name in plain} == before


def test_the_filter_is_in_the_core_library():
    form = Everything(BROKEN)
    html = Template("{% load core %}{{ form.number|as_field }}").render(Context({"form": form}))
    assert 'class="numberinput form-control is-invalid"' in html and 'id="div_id_number"' in html
    assert _same(html) == _same(as_crispy_field(form["number"]))
