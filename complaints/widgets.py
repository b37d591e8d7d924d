"""Select widgets that write the HTML of Django's own select templates in Python.

A select rendered through the form renderer runs ``select.html``, then ``select_option.html`` and ``attrs.html`` for
every option: on the complaints list's filter (about 50 options, most of them the owner picker) that took ~2 ms of the
page's ~20 ms CPU (the crispy form 5.5 ms, 3.5 ms with these). These classes build the same string from the same
context (``get_context``: the options, their selection, their attributes) without the template engine; any other
template name (a widget or an option given its own) goes through the renderer as before. The class names stay
``Select``/``SelectMultiple``: crispy forms derives the field's CSS class from them.
``complaints/tests/test_list_pages.py`` compares the output with the renderer's.
"""

from __future__ import annotations

from django import forms
from django.utils import formats
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _text(value) -> str:
    """``{{ value }}``: in local time, localised, escaped unless safe."""
    return conditional_escape(value if isinstance(value, str) else formats.localize(template_localtime(value)))


def _string(value) -> str:
    """``{{ value|stringformat:'s' }}``: the filter keeps a safe value safe, the rest is escaped."""
    text = str(value)  # what "%s" % value gives
    return text if isinstance(value, SafeData) else conditional_escape(text)


def _attrs(attrs: dict) -> str:
    """``attrs.html``."""
    out = []
    for name, value in attrs.items():
        if value is not False:
            out.append(f" {conditional_escape(name)}")
            if value is not True:
                out.append(f'="{_string(value)}"')
    return "".join(out)


def _select_html(widget: dict) -> str | None:
    """``select.html`` with its options, or None when an option has a template of its own."""
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            out.append(f'\n  <option value="{_string(option["value"])}"'
                       f'{_attrs(option["attrs"])}>{_text(option["label"])}</option>\n')
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class _PythonSelect:
    def _render(self, template_name, context, renderer=None):
        html = _select_html(context["widget"]) if template_name == SELECT_TEMPLATE else None
        if html is None:
            return super()._render(template_name, context, renderer)
        return mark_safe(html)


class Select(_PythonSelect, forms.Select):
    pass


class SelectMultiple(_PythonSelect, forms.SelectMultiple):
    pass
