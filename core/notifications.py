"""Notifications: every message to staff or customers is recorded here with its channel and delivery state.

Any app sends through ``notification_send``; the in-app ones ring the bell in the top bar (``{% load notifications %}``
``{% unread_notifications user as n %}``) until read.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.models import Notification
from core.notify import get_sms_backend

logger = logging.getLogger(__name__)

Channel = Notification.Channel


def _address(*, channel: str, staff, customer) -> str:
    person = staff or customer
    if channel == Channel.EMAIL:
        return getattr(person, "email", "") or ""
    if channel == Channel.SMS:
        return (staff.phone if staff else customer.mobile) or ""
    return ""


def notification_send(
    *,
    channel: str,
    to_staff=None,
    to_customer=None,
    subject: str,
    body: str,
    related: models.Model | None = None,
) -> Notification:
    """Record a notification and deliver it now. A delivery failure is recorded (status failed), never raised.

    In-app notifications are "sent" once stored: they show on the recipient's reminders page until read.
    """
    if (to_staff is None) == (to_customer is None):
        raise ValueError("exactly one of to_staff / to_customer")
    if channel == Channel.IN_APP and to_staff is None:
        raise ValueError("in-app notifications go to staff only")
    station_id = to_staff.station_id if to_staff else to_customer.station_id
    if related is not None and getattr(related, "station_id", None):
        station_id = related.station_id
    note = Notification.objects.create(
        station_id=station_id,
        recipient_staff=to_staff,
        recipient_customer=to_customer,
        channel=channel,
        address=_address(channel=channel, staff=to_staff, customer=to_customer),
        subject=subject[:200],
        body=body,
        related_type=ContentType.objects.get_for_model(related) if related is not None else None,
        related_id=related.pk if related is not None else None,
    )
    _deliver(note)
    return note


def _deliver(note: Notification) -> None:
    try:
        if note.channel == Channel.EMAIL:
            if not note.address:
                raise ValueError("no email address")
            send_mail(note.subject, note.body, settings.DEFAULT_FROM_EMAIL, [note.address])
        elif note.channel == Channel.SMS:
            get_sms_backend().send(to=note.address, body=f"{note.subject} {note.body}".strip())
    except Exception as exc:  # noqa: BLE001 - any gateway failure is recorded on the row, not raised
        logger.warning("notification %s failed: %s", note.pk, exc)
        note.status = Notification.Status.FAILED
        note.error = f"{exc.__class__.__name__}: {exc}"[:2000]
        note.save(update_fields=["status", "error"])
        return
    note.status = Notification.Status.SENT
    note.sent_at = timezone.now()
    note.save(update_fields=["status", "sent_at"])


@transaction.atomic
def notification_mark_read(*, notification: Notification, by) -> Notification:
    if notification.recipient_staff_id != by.pk:
        raise PermissionError("not your notification")
    if notification.status != Notification.Status.READ:
        notification.status = Notification.Status.READ
        notification.read_at = timezone.now()
        notification.save(update_fields=["status", "read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, by) -> int:
    return Notification.objects.filter(
        recipient_staff=by, channel=Channel.IN_APP, status=Notification.Status.SENT
    ).update(status=Notification.Status.READ, read_at=timezone.now())


def unread_count(*, staff) -> int:
    return Notification.objects.filter(
        recipient_staff=staff, channel=Channel.IN_APP, status=Notification.Status.SENT
    ).count()


def my_notifications(user) -> QuerySet[Notification]:
    """The in-app notifications of this staff member, newest first."""
    return Notification.objects.filter(recipient_staff=user, channel=Channel.IN_APP).order_by("-created_at", "-id")
