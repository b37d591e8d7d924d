"""Outgoing SMS: a small adapter interface so a real gateway can be plugged in by settings.SMS_BACKEND.

Email goes through Django's own email backend; SMS through the class named in ``settings.SMS_BACKEND``. Every
message sent is recorded by ``core.notifications.notification_send`` — backends only deliver.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("aftersales.sms")


class SmsError(Exception):
    """The gateway refused or failed to take the message."""


class BaseSmsBackend:
    def send(self, *, to: str, body: str) -> str:
        """Deliver one message; return the gateway's message id (or ""). Raise SmsError on failure."""
        raise NotImplementedError


class LoggingSmsBackend(BaseSmsBackend):
    """Development backend: writes the message to the log and delivers nothing."""

    def send(self, *, to: str, body: str) -> str:
        if not to:
            raise SmsError("no mobile number")
        logger.info("SMS to %s: %s", to, body)
        return ""


class MemorySmsBackend(BaseSmsBackend):
    """Test backend: keeps what was sent in ``MemorySmsBackend.outbox``."""

    outbox: list[tuple[str, str]] = []

    def send(self, *, to: str, body: str) -> str:
        if not to:
            raise SmsError("no mobile number")
        self.outbox.append((to, body))
        return str(len(self.outbox))


def get_sms_backend() -> BaseSmsBackend:
    path = getattr(settings, "SMS_BACKEND", "") or "core.notify.LoggingSmsBackend"
    return import_string(path)()
