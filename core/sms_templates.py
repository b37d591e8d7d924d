"""Which provider template an outgoing SMS (or WeChat message) uses, and with which parameters.

Chinese gateways send only pre-approved templates (模板) under an approved signature (签名): free text is refused.
So every message kind the system sends is mapped, in settings, to the provider's template code:

    SMS_TEMPLATES = {"appointment-reminder": "SMS_270000001", "maintenance-reminder": "SMS_270000002",
                     "order-link": "SMS_270000003", "booking-code": "SMS_270000004"}      (env SMS_TEMPLATES, JSON)

A message's kind is the ``template`` it was recorded with (``notification_send(template=..., params=...)``), else the
first part of its key (``appointment-reminder:<id>:<date>`` → ``appointment-reminder``).

Fallback — a message of a kind with no template code, or recorded without parameters (everything sent before
templates existed, and any sender that still passes only subject and body): it goes through the one generic
template ``SMS_GENERIC_TEMPLATE`` whose single parameter ``content`` is the whole text ("{subject} {body}"). Register
that template with the provider as "${content}" (Aliyun) / "{1}" (Tencent). With no generic template configured
either, the gateway adapters refuse the message (``SmsError``: nothing to send it with) and the row shows it.

The signature is ``SMS_SIGN_NAME``; a station may use its own (``SMS_STATION_SIGN_NAMES``, JSON {station id: name}),
e.g. a group whose stations trade under different names.
"""

from __future__ import annotations

from django.conf import settings

from core.models import Notification
from core.notify import SmsMessage

GENERIC_PARAM = "content"


def message_kind(note: Notification) -> str:
    """The kind of message this row is (its template name, else the first part of its key), or ""."""
    if note.template:
        return note.template
    return (note.key or "").split(":", 1)[0]


def sign_name(station_id: int | None) -> str:
    by_station = getattr(settings, "SMS_STATION_SIGN_NAMES", {}) or {}
    return by_station.get(str(station_id)) or by_station.get(station_id) or getattr(settings, "SMS_SIGN_NAME", "")


def template_for(note: Notification, mapping: dict, generic: str) -> tuple[str, dict]:
    """(provider template code, parameters) for this row: its kind's template with its params, else the generic one."""
    text = f"{note.subject} {note.body}".strip()
    code = mapping.get(message_kind(note), "")
    if code and note.params:
        return code, {str(k): str(v) for k, v in note.params.items()}
    return generic, {GENERIC_PARAM: text}


def sms_message(note: Notification) -> SmsMessage:
    """The SMS to hand to the gateway for this outbox row."""
    code, params = template_for(note, getattr(settings, "SMS_TEMPLATES", {}) or {},
                                getattr(settings, "SMS_GENERIC_TEMPLATE", ""))
    return SmsMessage(to=note.address, body=f"{note.subject} {note.body}".strip(), template=code, params=params,
                      sign_name=sign_name(note.station_id), reference=str(note.pk or ""))


def wechat_message(note: Notification) -> SmsMessage:
    """The WeChat template message for this row (``to`` is the customer's openid; params become the data fields)."""
    code, params = template_for(note, getattr(settings, "WECHAT_TEMPLATES", {}) or {},
                                getattr(settings, "WECHAT_GENERIC_TEMPLATE", ""))
    return SmsMessage(to=note.address, body=f"{note.subject} {note.body}".strip(), template=code, params=params,
                      reference=str(note.pk or ""))
