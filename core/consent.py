"""A customer's consent to reminders and marketing (个人信息保护法): recorded with who, when, channel and source.

Kinds of message (by the key they are recorded with, see ``core.delivery.message_class``):

* transactional — a booking code, the order link, "your car is ready", a receipt: always sent, consent or not
  (they are part of the service the customer asked for);
* reminders (appointment and maintenance reminders): sent unless the customer opted out (``Customer.contact_consent``
  false, or their latest consent record for that channel or for every channel says no);
* marketing: sent only when the customer's latest record for the channel (or every channel) says yes — an explicit
  opt-in; the default flag is not enough.

``consent_record`` is the only way the state changes: it appends a ``ContactConsent`` row (never edited) and mirrors
the answer on ``Customer.contact_consent`` when it covers every channel.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from core.models import ContactConsent

REMINDER = "reminder"
MARKETING = "marketing"
TRANSACTIONAL = "transactional"


def latest_consent(*, customer_id: int, channel: str) -> ContactConsent | None:
    return (ContactConsent.objects.filter(Q(channel="") | Q(channel=channel), customer_id=customer_id)
            .order_by("-at", "-id").first())


def may_contact(*, customer, channel: str, kind: str) -> bool:
    """May a message of this kind go to this customer on this channel?"""
    if kind == TRANSACTIONAL:
        return True
    latest = latest_consent(customer_id=customer.pk, channel=channel)
    if kind == MARKETING:
        return bool(latest and latest.granted)
    if latest is not None:
        return latest.granted
    return bool(customer.contact_consent)


@transaction.atomic
def consent_record(*, customer, granted: bool, source: str, by=None, channel: str = "", note: str = "") -> ContactConsent:
    """Record a consent or an opt-out (staff at the desk, a TD reply, the customer's own page)."""
    if source not in ContactConsent.Source.values:
        raise ValueError(f"unknown consent source {source!r}")
    row = ContactConsent.objects.create(customer=customer, granted=granted, source=source, recorded_by=by,
                                        channel=channel, note=note[:200])
    if not channel and customer.contact_consent != granted:
        customer.contact_consent = granted
        customer.save(update_fields=["contact_consent"])
    return row


def consent_history(*, customer, limit: int = 20) -> list[ContactConsent]:
    return list(ContactConsent.objects.filter(customer=customer).select_related("recorded_by")[:limit])
