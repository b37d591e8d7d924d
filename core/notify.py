"""Outgoing SMS: a small adapter interface so a real gateway can be plugged in by settings.SMS_BACKEND.

Email goes through Django's own email backend; SMS through the class named in ``settings.SMS_BACKEND``. Every
message is recorded by ``core.notifications.notification_send`` and delivered once by ``core.delivery`` — backends
only deliver.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("aftersales.sms")


class SmsError(Exception):
    """The gateway refused the message: sending it again will not help."""


class SmsTemporaryError(SmsError):
    """The gateway certainly did not take the message and may take it later (busy, connection refused).

    Raise it only when the gateway cannot have the message; a timeout after the request went out is not temporary
    (the message may be there), so it is an ``SmsError`` and the message is not retried.
    """


@dataclass(frozen=True)
class SmsMessage:
    """One SMS as the Chinese gateways take it: a pre-approved template (模板), its parameters and the signature (签名).

    ``body`` is the text as the staff see it on the message list; ``params`` keep the order the template's
    placeholders are numbered in (Tencent takes a list). See ``core.sms_templates`` for how a row becomes one.
    """

    to: str
    body: str
    template: str = ""
    params: dict = field(default_factory=dict)
    sign_name: str = ""
    reference: str = ""  # our id of the message (Aliyun OutId, Tencent SessionContext), echoed in receipts


class BaseSmsBackend:
    def send(self, *, to: str, body: str) -> str:
        """Deliver one message; return the gateway's message id (or ""). Raise SmsError on failure."""
        raise NotImplementedError

    def send_message(self, message: SmsMessage) -> str:
        """Deliver one template message. Text-only backends (log, memory, file) send the body as before."""
        return self.send(to=message.to, body=message.body)


class TemplateSmsBackend(BaseSmsBackend):
    """A gateway that sends only approved templates under a signature (the Chinese providers, ``core.gateways``)."""

    def send(self, *, to: str, body: str) -> str:
        return self.send_message(SmsMessage(to=to, body=body))

    @staticmethod
    def check(message: SmsMessage) -> None:
        if not message.to:
            raise SmsError("no mobile number")
        if not message.template or not message.sign_name:
            raise SmsError("no SMS template or signature configured (SMS_GENERIC_TEMPLATE, SMS_SIGN_NAME)")


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


class FileSmsBackend(BaseSmsBackend):
    """Test backend shared by several processes: one JSON line per message in the file ``$SMS_FILE``.

    If the file ``$SMS_HANG_FLAG`` exists, the first send removes it after writing its line and then hangs (at most
    ``$SMS_HANG_SECONDS``, default 120): the gateway has the message and the worker has not recorded it, which is
    when the killed-worker test kills it.
    """

    def send(self, *, to: str, body: str) -> str:
        if not to:
            raise SmsError("no mobile number")
        path = os.environ["SMS_FILE"]
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"to": to, "body": body, "pid": os.getpid()}, ensure_ascii=False) + "\n")
            out.flush()
            os.fsync(out.fileno())
        flag = os.environ.get("SMS_HANG_FLAG", "")
        if flag and os.path.exists(flag):
            os.unlink(flag)
            time.sleep(int(os.environ.get("SMS_HANG_SECONDS", "120")))
        with open(path, encoding="utf-8") as lines:
            return f"file-{sum(1 for _ in lines)}"


def get_sms_backend() -> BaseSmsBackend:
    path = getattr(settings, "SMS_BACKEND", "") or "core.notify.LoggingSmsBackend"
    return import_string(path)()
