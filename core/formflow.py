"""One shape for the pages that post a form to one service call.

``submit(form, action)`` validates the form and runs ``action(cleaned_data)``. When the form is invalid, or the
service refuses with a DomainError, the error lands on the form — at the field the error names, else at the top —
and the view renders the page again with that bound form, so what the user typed stays and the error stands next
to it. Only a successful call redirects. The service's answer is kept as ``form.result`` for the success message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages

from core.errors import DomainError


def submit(form, action: Callable[[dict], Any]) -> bool:
    """True when the form was valid and the service accepted it; False with the errors on the form otherwise."""
    if not form.is_valid():
        return False
    try:
        form.result = action(form.cleaned_data)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return False
    return True


def act(request, action: Callable[[], Any], success: str | Callable[[Any], str]) -> bool:
    """A button with nothing typed: run the service; a refusal becomes an error message, else ``success`` (a text,
    or a function of the service's answer) a success message. True when the service accepted. The view redirects
    either way."""
    try:
        result = action()
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success(result) if callable(success) else success)
    return True
