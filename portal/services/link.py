"""The work order's link for the customer (/c/<token>/): issue, send, revoke, re-issue, look up, and the gate.

The token is 32 bytes of HMAC-SHA256 over a random 32-byte nonce under ``SECRET_KEY`` (≥128 bits of entropy, from
``secrets``); only the nonce and the token's SHA-256 are stored, the token is recomputed when the link is sent again.
Unknown, revoked and expired tokens behave exactly alike: the same gate, the same refusal — a visitor learns nothing
about which tokens exist. The gate asks for the last four digits of the customer's mobile; the comparison is constant
time, tries are counted per link and per address in the cache, and a link locks for a while after too many wrong tries.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from core.errors import DomainError
from core.notifications import notification_send
from org.models import Staff
from portal.models import OrderLink
from portal.services.link_wechat import link_send_wechat
from reception.models import WorkOrder
from reception.services.workflow import record_event

LIFETIME_AFTER_DELIVERY = timedelta(days=30)
GATE_TRIES = 5  # wrong suffixes per link before it locks
GATE_LOCK = timedelta(minutes=30)
HITS_PER_TOKEN = 60  # page views per link per window
HITS_PER_ADDRESS = 120  # page views per client address per window (any token, known or not)
HIT_WINDOW = timedelta(minutes=10)
VERIFIED_FOR = timedelta(hours=2)  # how long the browser's session remembers a verified link
SESSION_KEY = "portal_links"

# why a link is sent → the message's words (the SMS layer wraps them in its template)
REASONS = {
    "received": gettext_noop("Your car %(plate)s is checked in (order %(number)s). Follow the work here: %(url)s"),
    "decision": gettext_noop("The workshop found additional work on %(plate)s that needs your decision: %(url)s"),
    "ready": gettext_noop("Your car %(plate)s is ready for pickup. Details and documents: %(url)s"),
    "delivered": gettext_noop("Thank you for visiting. Your documents and a short survey for %(plate)s: %(url)s"),
}


def _token_for(nonce: str) -> str:
    return salted_hmac("portal.order-link", nonce, algorithm="sha256").hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_token(link: OrderLink) -> str:
    return _token_for(link.nonce)


def link_url(link: OrderLink) -> str:
    base = getattr(settings, "PORTAL_BASE_URL", "")
    return f"{base}{reverse('portal:link', args=[link_token(link)])}"


def link_expires_at(order: WorkOrder):
    return order.delivered_at + LIFETIME_AFTER_DELIVERY if order.delivered_at else None


def link_usable(link: OrderLink | None, *, now=None) -> bool:
    if link is None or link.revoked_at is not None:
        return False
    expires = link_expires_at(link.order)
    return expires is None or (now or timezone.now()) < expires


def _fresh(link: OrderLink) -> None:
    link.nonce = secrets.token_hex(32)
    link.token_hash = token_hash(_token_for(link.nonce))


@transaction.atomic
def link_issue(*, order: WorkOrder, by: Staff | None = None) -> OrderLink:
    """The order's link, created on first use (one per order); an existing one is returned as it is."""
    link = OrderLink.objects.filter(order=order).first()
    if link is not None:
        return link
    link = OrderLink(order=order, issued_at=timezone.now(), issued_by=by)
    _fresh(link)
    link.save()
    return link


@transaction.atomic
def link_revoke(*, order: WorkOrder, by: Staff) -> OrderLink:
    link = OrderLink.objects.select_for_update().filter(order=order).first()
    if link is None or link.revoked_at is not None:
        raise DomainError(_("This order has no active customer link."))
    link.revoked_at = timezone.now()
    link.revoked_by = by
    link.save(update_fields=["revoked_at", "revoked_by"])
    record_event(order=order, by=by, kind="link_revoked", note=_("The customer's link no longer opens."))
    return link


@transaction.atomic
def link_reissue(*, order: WorkOrder, by: Staff, send: bool = True) -> OrderLink:
    """A new address for the order (the old one stops working), sent to the customer by SMS."""
    link = OrderLink.objects.select_for_update().filter(order=order).first()
    if link is None:
        link = OrderLink(order=order)
    _fresh(link)
    link.issued_at = timezone.now()
    link.issued_by = by
    link.revoked_at = None
    link.revoked_by = None
    link.save()
    record_event(order=order, by=by, kind="link_issued", note=_("A new customer link was issued."))
    if send:
        link_send(order=order, reason="received", link=link)
    return link


def link_send(*, order: WorkOrder, reason: str, link: OrderLink | None = None, occasion: str = ""):
    """Send the order's link by SMS for ``reason`` (once per reason, ``occasion`` and address), and in WeChat as well
    when WeChat is configured and the customer bound their account; nothing for a revoked link. Returns the SMS
    (None for a customer without a mobile)."""
    link = link or link_issue(order=order)
    if not link_usable(link):
        return None
    language = "en" if order.customer.preferred_language == "en" else "zh-hans"
    with override(language):
        body = _(REASONS[reason]) % {"plate": order.vehicle.plate, "number": order.number, "url": link_url(link)}
        subject = _("Your car at %(station)s") % {"station": order.station.name}
    key = f"{order.pk}:{reason}{occasion}:{link.token_hash[:12]}"
    link_send_wechat(order=order, subject=subject, body=body, key=f"portal-link-wechat:{key}")
    if not order.customer.mobile:
        return None
    return notification_send(channel="sms", to_customer=order.customer, subject=subject, body=body, related=order,
                             key=f"portal-link:{key}")


# --- the visitor's side -------------------------------------------------------------------------------------------

def link_for_token(token: str) -> OrderLink | None:
    """The usable link a token opens, or None — for unknown, revoked and expired tokens alike."""
    if not token or len(token) > 100:
        token = ""
    digest = token_hash(token)  # hashed even when empty: the same work whatever was asked
    link = (OrderLink.objects.select_related("order__customer", "order__vehicle", "order__station", "order__advisor")
            .filter(token_hash=digest).first())
    return link if link_usable(link) else None


def _bump(key: str, window: timedelta) -> int:
    cache.add(key, 0, int(window.total_seconds()))
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, int(window.total_seconds()))
        return 1


def rate_limited(*, token: str, address: str | None) -> bool:
    """Count one page view; True when the link or the address has asked too often in the window."""
    per_token = _bump(f"portal:hits:t:{token_hash(token or '')[:32]}", HIT_WINDOW)
    per_address = _bump(f"portal:hits:a:{address or '-'}", HIT_WINDOW)
    return per_token > HITS_PER_TOKEN or per_address > HITS_PER_ADDRESS


def _fail_key(token: str) -> str:
    return f"portal:gate:{token_hash(token or '')[:32]}"


def gate_locked(token: str) -> bool:
    return (cache.get(_fail_key(token)) or 0) >= GATE_TRIES


def gate_check(*, token: str, digits: str) -> OrderLink | None:
    """The link when ``digits`` are the last four of the customer's mobile and the link is usable and not locked;
    else None (and one more wrong try counted, whether or not the token exists)."""
    if gate_locked(token):
        return None
    link = link_for_token(token)
    expected = (link.order.customer.mobile or "")[-4:] if link else "----"
    given = (digits or "").strip()[-4:]
    ok = len(given) == 4 and len(expected) == 4 and hmac.compare_digest(given.encode(), expected.encode())
    if link is not None and ok:
        cache.delete(_fail_key(token))
        return link
    _bump(_fail_key(token), GATE_LOCK)
    return None


def session_remember(session, link: OrderLink) -> None:
    known = dict(session.get(SESSION_KEY) or {})
    now = timezone.now().timestamp()
    known = {k: v for k, v in known.items() if v > now}
    known[link.token_hash] = now + VERIFIED_FOR.total_seconds()
    session[SESSION_KEY] = known


def session_verified(session, link: OrderLink) -> bool:
    until = (session.get(SESSION_KEY) or {}).get(link.token_hash)
    return bool(until) and until > timezone.now().timestamp()


def link_opened(link: OrderLink) -> None:
    now = timezone.now()
    if link.last_opened_at is None or now - link.last_opened_at > timedelta(minutes=1):
        OrderLink.objects.filter(pk=link.pk).update(last_opened_at=now)
