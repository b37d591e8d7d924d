"""The login lockout: who is refused, until when, and the page they see.

django-axes counts failed logins per (login name, client address) — ``AXES_LOCKOUT_PARAMETERS`` — so a stranger
elsewhere cannot lock a colleague out by guessing their name. On top of that this handler refuses an address that
failed ``LOGIN_ADDRESS_FAILURE_LIMIT`` times over any names within the cool-off (password spraying), while the same
people can still log in from anywhere else. Both counts read axes's own rows (``AccessAttempt``: one per name,
address and browser, with its number of failures and the time of the last one), so there is one store and axes's
``reset`` helpers clear both. The client's address comes from ``core.net.client_ip`` (``AXES_CLIENT_IP_CALLABLE``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from org.models import Staff


def _free_at(attempts: Iterable[tuple[datetime, int]], *, limit: int, now: datetime) -> datetime | None:
    """When the failures still inside the cool-off drop below ``limit``; None when they already are. Each row
    leaves the window a cool-off after its last failure, oldest first."""
    cool_off = get_cool_off()
    live = sorted((at, failures) for at, failures in attempts if at + cool_off > now)
    total = sum(failures for _at, failures in live)
    if total < limit:
        return None
    for at, failures in live:
        total -= failures
        if total < limit:
            return at + cool_off
    return None


def _rows(**lookup) -> list[tuple[datetime, int]]:
    return list(AccessAttempt.objects.filter(**lookup).values_list("attempt_time", "failures_since_start"))


def name_locked_until(*, username: str | None, ip_address: str | None, now: datetime | None = None) -> datetime | None:
    """Until when this login name is refused at this address (None: it is not)."""
    if not username:
        return None
    now = now or timezone.now()
    return _free_at(_rows(username=username, ip_address=ip_address), limit=settings.AXES_FAILURE_LIMIT, now=now)


def address_refused_until(*, ip_address: str | None, now: datetime | None = None) -> datetime | None:
    """Until when this client address is refused for failing over many names (None: it is not)."""
    if not ip_address:
        return None
    now = now or timezone.now()
    return _free_at(_rows(ip_address=ip_address), limit=settings.LOGIN_ADDRESS_FAILURE_LIMIT, now=now)


class LockoutHandler(AxesDatabaseHandler):
    """Axes's database handler plus the per-address throttle."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or address_refused_until(
            ip_address=request.axes_ip_address
        ) is not None

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # The failure that reaches the address limit already answers with the lockout page (as the fifth for a name).
        if request is not None and not request.axes_locked_out:
            if address_refused_until(ip_address=request.axes_ip_address) is not None:
                request.axes_locked_out = True
                request.axes_credentials = credentials


def lockout_response(request, original_response=None, credentials: dict | None = None):
    """The translated page (429) that says when to try again (AXES_LOCKOUT_CALLABLE)."""
    now = timezone.now()
    username = get_client_username(request, credentials) or ""
    ip_address = getattr(request, "axes_ip_address", None)
    by_name = name_locked_until(username=username, ip_address=ip_address, now=now)
    by_address = address_refused_until(ip_address=ip_address, now=now)
    until = max((t for t in (by_name, by_address) if t is not None), default=now + get_cool_off(request))
    context = {
        "username": username,
        "retry_at": until,
        "address_refused": by_address is not None and (by_name is None or by_address >= by_name),
        "failure_limit": get_failure_limit(request, credentials),
    }
    return render(request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


@dataclass(frozen=True)
class Lockout:
    staff: Staff
    ip_address: str
    failures: int
    until: datetime


def lockouts_of(people: Iterable[Staff], *, now: datetime | None = None) -> list[Lockout]:
    """The current lockouts of these people, one per (person, address), soonest free last."""
    now = now or timezone.now()
    by_name = {person.username: person for person in people}
    grouped: dict[tuple[str, str], list[tuple[datetime, int]]] = {}
    for username, ip_address, at, failures in AccessAttempt.objects.filter(username__in=by_name).values_list(
        "username", "ip_address", "attempt_time", "failures_since_start"
    ):
        grouped.setdefault((username, ip_address or ""), []).append((at, failures))
    result = []
    for (username, ip_address), rows in grouped.items():
        until = _free_at(rows, limit=settings.AXES_FAILURE_LIMIT, now=now)
        if until is not None:
            result.append(Lockout(by_name[username], ip_address, sum(f for _a, f in rows), until))
    return sorted(result, key=lambda lock: (lock.staff.username, lock.ip_address))
