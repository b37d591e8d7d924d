"""One form field in Bootstrap 5 markup, the markup ``{{ field|as_crispy_field }}`` writes, built in Python.

crispy renders a field through a dozen small templates (the field, its help and errors, then Django's widget, attrs
and option templates); a page with a few small forms spends milliseconds there. ``field_html`` writes the same elements,
attributes and text (only the whitespace between tags differs) for the plain widgets — text, number, e-mail, text
area, select, checkbox — and hands any other field (hidden, file, radio, multi-widget, a form with a crispy helper)
to crispy itself. ``core/tests/test_formfields.py`` holds it to crispy's output, unbound and with errors.
"""

from __future__ import annotations

import copy

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.conf import settings
from django.forms.boundfield import BoundField
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

_INPUTS = (forms.TextInput, forms.NumberInput, forms.EmailInput, forms.URLInput, forms.CheckboxInput)
_PLAIN = frozenset({*_INPUTS, forms.Textarea, forms.Select})


def _attrs(attrs: dict) -> str:
    """Django's ``django/forms/widgets/attrs.html``."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {conditional_escape(name)}")
        if value is not True:
            out.append(f'="{conditional_escape(str(value))}"')
    return "".join(out)


def _widget(widget: forms.Widget, context: dict) -> str:
    """Django's widget templates for the plain widgets (input, textarea, select and its options)."""
    name = conditional_escape(context["name"])
    attrs = _attrs(context["attrs"])
    if isinstance(widget, forms.Textarea):
        value = conditional_escape(context["value"]) if context["value"] else ""
        return f'<textarea name="{name}"{attrs}>\n{value}</textarea>'
    if isinstance(widget, forms.Select):
        out = [f'<select name="{name}"{attrs}>']
        for group_name, group_choices, _index in context["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                out.append(f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                           f'{conditional_escape(option["label"])}</option>')
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return "".join(out)
    value = "" if context["value"] is None else f' value="{conditional_escape(str(context["value"]))}"'
    return f'<input type="{conditional_escape(context["type"])}" name="{name}"{value}{attrs}>'


def _plain(field: BoundField) -> bool:
    widget = field.field.widget
    return (type(widget) in _PLAIN and not field.is_hidden and not widget.use_fieldset
            and getattr(field.form, "helper", None) is None and not field.field.localize
            and not getattr(settings, "CRISPY_CLASS_CONVERTERS", None)
            and widget.template_name == type(widget).template_name
            and getattr(widget, "option_template_name", None) == getattr(type(widget), "option_template_name", None))


def _widget_html(field: BoundField, bootstrap_class: str) -> str:
    """crispy's ``{% crispy_field field 'class' '…' %}``: the widget with its class name and Bootstrap's classes added
    to its own (here on a copy: the form's widget is left as it was)."""
    widget = copy.copy(field.field.widget)
    classes = widget.attrs.get("class", "")
    class_name = type(widget).__name__.lower()
    if not classes:
        classes = class_name
    elif class_name not in classes:
        classes += f" {class_name}"
    for css in bootstrap_class.split():
        if css not in classes.split():
            classes += f" {css}"
    widget.attrs = {**widget.attrs, "class": classes}
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    return _widget(widget, context)


def _help_and_errors(field: BoundField) -> str:
    """crispy's ``help_text_and_errors.html`` as ``as_crispy_field`` uses it: the errors as a block, then the help."""
    out = []
    errors = field.errors
    if errors:
        out.append(f'<div id="{conditional_escape(getattr(errors, "field_id", ""))}_error" class="invalid-feedback">')
        out.extend(f'<p id="error_{n}_{conditional_escape(field.auto_id)}"><strong>{conditional_escape(error)}'
                   f"</strong></p>" for n, error in enumerate(errors, 1))
        out.append("</div>")
    if field.help_text:
        ident = f'id="{conditional_escape(field.auto_id)}_helptext" ' if field.auto_id else ""
        out.append(f'<div {ident}class="form-text">{field.help_text}</div>')
    return "".join(out)


def field_html(field: BoundField) -> SafeString:
    """``{{ form.name|as_field }}``: the field as ``|as_crispy_field`` renders it (crispy's own rendering for any
    field this does not write itself)."""
    if not _plain(field):
        return as_crispy_field(field)
    required = field.field.required
    label = conditional_escape(field.label) if field.label else ""
    asterisk = '<span class="asteriskField">*</span>' if required else ""
    required_class = " requiredField" if required else ""
    extra = field.css_classes()
    extra = f" {extra}" if extra else ""
    invalid = " is-invalid" if field.errors else ""
    if isinstance(field.field.widget, forms.CheckboxInput):
        return mark_safe(
            f'<div class="mb-3"><div id="div_{conditional_escape(field.auto_id)}" class="form-check{extra}">'
            f"{_widget_html(field, 'form-check-input' + invalid)}"
            f'<label for="{conditional_escape(field.id_for_label)}" class="form-check-label{required_class}">\n'
            f"{label}{asterisk}\n</label>{_help_and_errors(field)}</div></div>"
        )
    bootstrap = "form-select" if isinstance(field.field.widget, forms.Select) else "form-control"
    label_html = ""
    if label:
        target = f'for="{conditional_escape(field.id_for_label)}" ' if field.id_for_label else ""
        label_html = f'<label {target}class="form-label{required_class}">\n{label}{asterisk}\n</label>'
    return mark_safe(
        f'<div id="div_{conditional_escape(field.auto_id)}" class="mb-3{extra}">{label_html}'
        f"{_widget_html(field, bootstrap + invalid)}{_help_and_errors(field)}</div>"
    )
