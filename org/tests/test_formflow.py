"""The shared shape of a form post and of a button: refusals land on the field or become a message."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from core.errors import DomainError
from core.formflow import act, submit


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(min_value=1)


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_submit_runs_the_service_with_the_cleaned_data_and_keeps_its_answer():
    form = QuantityForm({"quantity": "3"})
    assert submit(form, lambda data: data["quantity"] * 2) is True
    assert form.result == 6


def test_submit_puts_a_refusal_on_the_field_it_names_else_on_the_form():
    def refuse(field):
        def action(data):
            raise DomainError("不够", field=field)
        return action

    form = QuantityForm({"quantity": "3"})
    assert submit(form, refuse("quantity")) is False
    assert form.errors == {"quantity": ["不够"]}
    form = QuantityForm({"quantity": "3"})
    assert submit(form, refuse("no_such_field")) is False
    assert form.non_field_errors() == ["不够"]


def test_submit_does_not_call_the_service_for_an_invalid_form():
    called = []
    form = QuantityForm({"quantity": "0"})
    assert submit(form, called.append) is False
    assert called == [] and "quantity" in form.errors


def test_act_says_what_was_done_or_why_not():
    request = _request()
    assert act(request, lambda: 4, lambda n: f"{n} posted") is True
    assert act(request, lambda: (_ for _ in ()).throw(DomainError("已结算")), "never shown") is False
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [("success", "4 posted"), ("error", "已结算")]
