from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from aftersales.exceptions import DomainError
from aftersales.models import Staff
from aftersales.selectors import current_station


def station_or_404(request: HttpRequest):
    from django.http import Http404

    station = current_station(request)
    if station is None:
        raise Http404(_("No station"))
    return station


def show_error(request: HttpRequest, form, exc: DomainError) -> None:
    """A service refused: at the form field when it names one the form has, else as a message."""
    if form is not None and exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    elif form is not None:
        form.add_error(None, exc.message)
    else:
        messages.error(request, exc.message)


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
