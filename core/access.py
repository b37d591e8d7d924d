"""Refusing a request, and recording that we did."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.models import AccessDenial
from core.net import client_ip

logger = logging.getLogger("core.access")


def record_denial(request, *, action: str, reason: str) -> None:
    user = request.user if request.user.is_authenticated else None
    logger.warning(
        "access denied user=%s path=%s method=%s action=%s reason=%s",
        getattr(user, "username", "-"),
        request.path,
        request.method,
        action or "-",
        reason,
    )
    AccessDenial.objects.create(
        user=user, path=request.path[:500], method=request.method, action=action, reason=reason, ip=client_ip(request)
    )


def deny(request, *, action: str, reason: str):
    """Log and raise 403: the user is known but may not do this."""
    record_denial(request, action=action, reason=reason)
    raise PermissionDenied


def not_found(request, *, what: str):
    """Log and raise 404: the record exists in another station, or not at all (we do not say which)."""
    record_denial(request, action=what, reason="scope")
    raise Http404
