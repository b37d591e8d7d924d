from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core.errors import DomainError
from org.models import Staff


def supervisor_from(request: HttpRequest, cleaned: dict) -> Staff | None:
    """The supervisor who confirms an odometer change with their own login and password (None if not given)."""
    username = (cleaned.get("supervisor_username") or "").strip()
    if not username:
        return None
    user = authenticate(request, username=username, password=cleaned.get("supervisor_password") or "")
    if user is None:
        raise DomainError(_("The supervisor's login or password is wrong."), field="supervisor_password")
    return user


def back(request: HttpRequest, fallback: str):
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def form_status(*forms) -> int:
    """The status of a page with forms: 400 when it shows a posted form again (the post failed), else 200."""
    return 400 if any(form is not None and form.is_bound for form in forms) else 200
