"""The one HTTP call every gateway adapter makes (standard library only; a short timeout; errors mapped for delivery)."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request

from django.conf import settings

from core.notify import SmsError, SmsTemporaryError


def call(url: str, *, data: bytes | None = None, headers: dict | None = None) -> dict:
    """POST ``data`` (or GET when None) and return the JSON answer, whatever the HTTP status.

    A connection that could not be made is temporary (the gateway cannot have the message); a timeout or a broken
    answer after the request went out is not (it may have it) — see ``core.notify.SmsTemporaryError``.
    """
    request = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data is not None else "GET")
    timeout = getattr(settings, "SMS_HTTP_TIMEOUT", 10)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the configured gateway URL
            raw = response.read()
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        if not raw:
            raise SmsError(f"gateway answered HTTP {exc.code}") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (ConnectionRefusedError, socket.gaierror)):
            raise SmsTemporaryError(f"gateway unreachable: {exc.reason}") from exc
        raise SmsError(f"gateway call failed: {exc.reason}") from exc
    except (TimeoutError, OSError) as exc:
        raise SmsError(f"gateway call failed after sending: {exc}") from exc
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise SmsError(f"gateway answered no JSON: {raw[:200]!r}") from exc
