"""Notifications: every message to staff or customers is recorded here with its channel and delivery state.

Any app sends through ``notification_send``; the in-app ones ring the bell in the top bar (``{% load notifications %}``
``{% unread_notifications user as n %}``) until read. Email and SMS are recorded in the caller's transaction and
delivered after it commits, once, by ``core.tasks.send_notification`` (see ``core.delivery``).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from core.models import Notification
from core.tasks import send_notification

logger = logging.getLogger(__name__)

Channel = Notification.Channel


def _address(*, channel: str, staff, customer) -> str:
    person = staff or customer
    if channel == Channel.EMAIL:
        return getattr(person, "email", "") or ""
    if channel == Channel.SMS:
        return (staff.phone if staff else customer.mobile) or ""
    if channel == Channel.WECHAT and customer is not None:
        return wechat_openid(customer)
    return ""


def wechat_openid(customer) -> str:
    """The customer's WeChat openid, from the field named by WECHAT_OPENID_FIELD ("" when none is configured)."""
    field = getattr(settings, "WECHAT_OPENID_FIELD", "")
    return (getattr(customer, field, "") or "") if field else ""


def notification_send(
    *,
    channel: str,
    to_staff=None,
    to_customer=None,
    to_mobile: str = "",
    station_id: int | None = None,
    subject: str,
    body: str,
    related: models.Model | None = None,
    key: str | None = None,
    template: str = "",
    params: dict | None = None,
) -> Notification:
    """Record a notification; an email or SMS is delivered after the caller's transaction commits.

    In-app notifications are "sent" once stored: they show on the recipient's reminders page until read. An email or
    SMS is stored ``queued`` and handed to ``send_notification`` on commit (right away outside a transaction; never
    if the transaction rolls back). ``key`` names the message for its reason and run (e.g.
    ``appointment-reminder:<id>:<date>``): when a message with that key exists it is returned and nothing new is
    recorded or sent. A delivery failure is recorded on the row (status failed), never raised.

    ``to_mobile`` (with ``station_id``) sends an SMS to a number that is not (yet) a known person's — the code of an
    online booking, say; the row then has no recipient.

    ``template`` names the kind of message (``booking-code``, ``order-link``…) and ``params`` its values in the
    template's order; settings map the kind to the provider's template code (``core.sms_templates``). Without them
    the message goes through the generic template with the text as its one parameter. A WeChat message
    (``channel="wechat"``) goes to the customer's openid.
    """
    if sum(x is not None and x != "" for x in (to_staff, to_customer, to_mobile)) != 1:
        raise ValueError("exactly one of to_staff / to_customer / to_mobile")
    if channel == Channel.WECHAT and to_customer is None:
        raise ValueError("WeChat messages go to customers only")
    if channel == Channel.IN_APP and to_staff is None:
        raise ValueError("in-app notifications go to staff only")
    if to_mobile and (channel != Channel.SMS or station_id is None):
        raise ValueError("to_mobile is for an SMS of a given station")
    if not to_mobile:
        station_id = to_staff.station_id if to_staff else to_customer.station_id
    if related is not None and getattr(related, "station_id", None):
        station_id = related.station_id
    in_app = channel == Channel.IN_APP
    if in_app:
        _recount(to_staff)
    fields = dict(
        station_id=station_id,
        recipient_staff=to_staff,
        recipient_customer=to_customer,
        channel=channel,
        address=to_mobile or _address(channel=channel, staff=to_staff, customer=to_customer),
        subject=subject[:200],
        body=body,
        related_type=ContentType.objects.get_for_model(related) if related is not None else None,
        related_id=related.pk if related is not None else None,
        status=Notification.Status.SENT if in_app else Notification.Status.QUEUED,
        sent_at=timezone.now() if in_app else None,
        template=template[:64],
        params={str(k): str(v) for k, v in (params or {}).items()},
    )
    if key:
        note, created = Notification.objects.get_or_create(key=key, defaults=fields)
    else:
        note, created = Notification.objects.create(**fields), True
    if not in_app and note.status == Notification.Status.QUEUED:
        # Also for a row found by its key still queued: its first enqueue may have been lost, and the task is
        # idempotent, so a second one costs nothing. robust: a broker that is down must not turn the committed
        # business change into an error page; the row stays queued and the beat sweep sends it.
        pk = note.pk
        transaction.on_commit(lambda: send_notification.delay(pk), robust=True)
    if not created:
        logger.info("notification %s already recorded under key %s", note.pk, key)
    return note


@transaction.atomic
def notification_mark_read(*, notification: Notification, by) -> Notification:
    if notification.recipient_staff_id != by.pk:
        raise PermissionError("not your notification")
    _recount(by)
    if notification.status != Notification.Status.READ:
        notification.status = Notification.Status.READ
        notification.read_at = timezone.now()
        notification.save(update_fields=["status", "read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, by) -> int:
    _recount(by)
    return unread_in_app(by).update(status=Notification.Status.READ, read_at=timezone.now())


@transaction.atomic
def notifications_resolve(*, related: models.Model, key_prefix: str) -> int:
    """Mark every unread in-app notification about ``related`` whose key starts with ``key_prefix`` read, for
    every recipient: the matter they called for has been dealt with (e.g. an escalation the manager has decided).
    Returns how many were marked."""
    return Notification.objects.filter(
        related_type=ContentType.objects.get_for_model(related), related_id=related.pk, channel=Channel.IN_APP,
        status=Notification.Status.SENT, key__startswith=key_prefix,
    ).update(status=Notification.Status.READ, read_at=timezone.now())


# The count read with the person when the request began (``unread_count_annotation``); a change made to their
# notifications during the request drops it, so the bell then counts again.
UNREAD_ATTR = "unread_at_load"


def _recount(staff) -> None:
    if staff is not None:
        vars(staff).pop(UNREAD_ATTR, None)


def unread_in_app(staff) -> QuerySet[Notification]:
    """The bell's rule, in one place: in-app notifications of ``staff`` (a person, or ``OuterRef``) not yet read."""
    return Notification.objects.filter(recipient_staff=staff, channel=Channel.IN_APP, status=Notification.Status.SENT)


def unread_count(*, staff) -> int:
    return unread_in_app(staff).count()


def unread_count_annotation(outer_pk: str) -> RawSQL:
    """``unread_count`` as a column of a ``Staff`` query (``outer_pk``: that query's quoted id column): the login
    backend reads it with the person, so the bell of every page costs no query of its own.

    ``unread_in_app``'s rule written once as SQL: compiling the ORM's subquery on every request cost more CPU than the
    count itself (about 0.7 ms a page, measured in bench/README.md); core/tests/test_notifications.py holds the two
    to the same counts."""
    quote, field = connection.ops.quote_name, Notification._meta.get_field
    sql = (f"(SELECT COUNT(*) FROM {quote(Notification._meta.db_table)} "  # noqa: S608 - names from the model
           f"WHERE {quote(field('recipient_staff').column)} = {outer_pk} AND {quote(field('channel').column)} = %s "
           f"AND {quote(field('status').column)} = %s)")
    return RawSQL(sql, (Channel.IN_APP.value, Notification.Status.SENT.value), output_field=models.IntegerField())


def my_notifications(user) -> QuerySet[Notification]:
    """The in-app notifications of this staff member, newest first."""
    return Notification.objects.filter(recipient_staff=user, channel=Channel.IN_APP).order_by("-created_at", "-id")


@transaction.atomic
def notification_resend(*, notification: Notification) -> bool:
    """Queue a failed or unknown email/SMS again, after a person has checked the gateway did not take it."""
    note = Notification.objects.select_for_update().get(pk=notification.pk)
    if note.channel == Channel.IN_APP or note.status not in (Notification.Status.FAILED, Notification.Status.UNKNOWN):
        return False
    note.status = Notification.Status.QUEUED
    note.error = ""
    note.save(update_fields=["status", "error"])
    pk = note.pk
    transaction.on_commit(lambda: send_notification.delay(pk), robust=True)
    return True
