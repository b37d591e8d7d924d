"""Delivering one recorded email or SMS at most once (the send step of the outbox; see ``core.models.Notification``).

The row is locked and marked ``sending`` with its attempt counted in a short transaction that commits BEFORE the
gateway is called. So whatever happens to the worker afterwards, the row says an attempt began:

* a task that finds the row ``sent`` does nothing (a redelivered task after the first one finished);
* a task that finds it ``sending`` does not call the gateway again: the worker that marked it may have died after
  the gateway took the message. The row becomes ``unknown`` for a person to check (admin, filter by status). We
  chose at-most-once over a possible duplicate SMS to a customer; a message lost this way is visible, a duplicate
  is not. If the first worker was only slow and finishes after all, its result (sent or failed) replaces ``unknown``;
* ``failed`` rows are tried again only by the task's own retries of a temporary gateway error, up to ``MAX_ATTEMPTS``.

Quiet hours (this module is the one place they are enforced): a reminder (a message recorded with a key in
``REMINDER_KEY_PREFIXES``) is never sent between ``QUIET_HOURS`` start and end, local time (21:00-08:00). Its task
leaves it ``queued`` and answers ``deferred``; the outbox sweep (every 10 minutes) enqueues it again after 08:00.
No ``eta`` on the broker: a countdown of hours outlives Redis' visibility timeout and would be redelivered.
Marketing (``marketing:``) counts as a reminder here: no marketing either in quiet hours.

Consent (``core.consent``): a reminder or marketing message to a customer who has opted out (or, for marketing, has
not opted in) is not sent; the row becomes ``withheld``. Transactional messages (booking codes, the order link,
"car ready") go regardless.

SMS go out as template messages (``core.sms_templates``); WeChat template messages through
``core.gateways.wechat`` to the customer's openid.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from core import consent
from core.gateways.wechat import WechatTemplateSender
from core.models import Notification
from core.notify import SmsTemporaryError, get_sms_backend
from core.sms_templates import sms_message, wechat_message

logger = logging.getLogger(__name__)

Status = Notification.Status
Channel = Notification.Channel
MAX_ATTEMPTS = 5
DEFERRED = "deferred"
# Messages of a "reminder" kind (recorded by complaints.services.reminders with these keys): kept out of quiet hours.
REMINDER_KEY_PREFIXES = ("appointment-reminder:", "maintenance-reminder:", "reminder:", "marketing:")
MARKETING_KEY_PREFIXES = ("marketing:",)
OUTBOX_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.WECHAT)


def quiet_until(now: datetime | None = None) -> datetime | None:
    """The end of the quiet hours (aware, local) when ``now`` is inside them, else None."""
    start, end = getattr(settings, "QUIET_HOURS", (21, 8))
    local = timezone.localtime(now or timezone.now())
    inside = local.hour >= start or local.hour < end if start > end else start <= local.hour < end
    if not inside:
        return None
    day = local.date() if local.hour < end else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(end)), local.tzinfo)


def is_reminder(key: str | None) -> bool:
    return bool(key) and key.startswith(REMINDER_KEY_PREFIXES)


def message_class(key: str | None) -> str:
    """transactional, reminder or marketing (``core.consent``), by the message's key."""
    if key and key.startswith(MARKETING_KEY_PREFIXES):
        return consent.MARKETING
    return consent.REMINDER if is_reminder(key) else consent.TRANSACTIONAL


class TemporaryDeliveryError(Exception):
    """The message was certainly not taken and may be tried again later (the task retries with backoff)."""


def _transmit(note: Notification) -> str:
    """Hand the message to its gateway; return the gateway's message id ("" when it gives none)."""
    if note.channel == Channel.EMAIL:
        if not note.address:
            raise ValueError("no email address")
        send_mail(note.subject, note.body, settings.DEFAULT_FROM_EMAIL, [note.address])
        return ""
    try:
        if note.channel == Channel.SMS:
            return get_sms_backend().send_message(sms_message(note)) or ""
        if note.channel == Channel.WECHAT:
            return WechatTemplateSender().send_message(wechat_message(note)) or ""
    except SmsTemporaryError as exc:
        raise TemporaryDeliveryError(str(exc)) from exc
    raise ValueError(f"nothing to deliver on channel {note.channel}")


def _claim(*, notification_id: int, retry: bool) -> tuple[Notification | None, str]:
    """Lock the row and mark it ``sending`` when this run may send it. Commits before returning."""
    with transaction.atomic():
        note = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if note is None:
            return None, "missing"
        if note.status == Status.SENDING:
            note.status = Status.UNKNOWN
            note.error = (
                f"attempt {note.attempts} began at {note.attempted_at:%Y-%m-%d %H:%M:%S%z} and never finished: "
                "the gateway may have the message; not sent again"
            )
            note.save(update_fields=["status", "error"])
            logger.warning("notification %s: unfinished attempt found, marked unknown", note.pk)
            return None, note.status
        may_send = note.status == Status.QUEUED or (
            retry and note.status == Status.FAILED and note.attempts < MAX_ATTEMPTS
        )
        if not may_send:
            return None, note.status
        note.status = Status.SENDING
        note.attempts += 1
        note.attempted_at = timezone.now()
        note.error = ""
        note.save(update_fields=["status", "attempts", "attempted_at", "error"])
        return note, note.status


def _finish(note: Notification, **fields) -> None:
    """Record the outcome of this attempt, unless a later attempt has taken the row since."""
    with transaction.atomic():
        Notification.objects.filter(
            pk=note.pk, attempts=note.attempts, status__in=[Status.SENDING, Status.UNKNOWN]
        ).update(**fields)


def notification_deliver(*, notification_id: int, retry: bool = False) -> str:
    """Deliver one queued email/SMS at most once; return the state it leaves the row in.

    ``retry`` is true only for the task's own retry after a temporary error. Raises ``TemporaryDeliveryError``
    (after recording ``failed``) when the gateway may take the message later and attempts are left.
    """
    if quiet_until() is not None:
        key = Notification.objects.filter(pk=notification_id).values_list("key", flat=True).first()
        if is_reminder(key):
            logger.info("notification %s: a reminder in quiet hours, left queued until %s", notification_id,
                        quiet_until())
            return DEFERRED
    note, state = _claim(notification_id=notification_id, retry=retry)
    if note is None:
        return state
    kind = message_class(note.key)
    if note.recipient_customer_id and not consent.may_contact(customer=note.recipient_customer, channel=note.channel,
                                                              kind=kind):
        logger.info("notification %s: a %s message to a customer who has not agreed to it, withheld", note.pk, kind)
        _finish(note, status=Status.WITHHELD, error=f"{kind}: the customer has not agreed to be contacted")
        return Status.WITHHELD
    # The attempt is committed: from here a dead worker leaves "sending", which no later run sends again.
    try:
        provider_id = _transmit(note)
    except TemporaryDeliveryError as exc:
        logger.warning("notification %s: temporary failure (attempt %s): %s", note.pk, note.attempts, exc)
        _finish(note, status=Status.FAILED, error=f"temporary: {exc}"[:2000])
        if note.attempts < MAX_ATTEMPTS:
            raise
        return Status.FAILED
    except Exception as exc:  # noqa: BLE001 - any gateway failure is recorded on the row, not raised
        logger.warning("notification %s failed: %s", note.pk, exc)
        _finish(note, status=Status.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:2000])
        return Status.FAILED
    _finish(note, status=Status.SENT, sent_at=timezone.now(), provider_id=provider_id[:100], error="")
    return Status.SENT


def notifications_stalled(*, older_than: timedelta = timedelta(minutes=10)):
    """Queued messages whose task never ran (the process died between commit and enqueue), oldest first."""
    rows = Notification.objects.filter(
        status=Status.QUEUED, channel__in=OUTBOX_CHANNELS, created_at__lt=timezone.now() - older_than
    )
    if quiet_until() is not None:  # reminders wait for the morning (quiet hours, see the module's docstring)
        for prefix in REMINDER_KEY_PREFIXES:
            rows = rows.exclude(key__startswith=prefix)
    return rows.order_by("created_at").values_list("pk", flat=True)


def notifications_mark_abandoned(*, older_than: timedelta) -> int:
    """Mark ``unknown`` the attempts left ``sending`` longer than any redelivery would take (the task was lost too).

    Never resent: like a redelivered task, the sweep cannot know whether the gateway took the message.
    """
    with transaction.atomic():
        return Notification.objects.filter(
            status=Status.SENDING, attempted_at__lt=timezone.now() - older_than
        ).update(status=Status.UNKNOWN, error="the attempt never finished and its task did not come back; "
                                               "the gateway may have the message; not sent again")
