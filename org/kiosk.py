"""Device links for wall TVs (kiosk mode): create, revoke, look up by token, note when a screen was last seen.

A TV in the workshop or the customer lounge shows a board through a secret address instead of a staff login, so it
never meets the idle timeout and never shows a staff menu. The token is 32 random bytes; only its SHA-256 is stored,
so the full address is shown once, to the manager who creates it. Revoking is immediate: the next poll of the board
answers the "link revoked" page.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.registry import registry
from org.models import KioskLink, Staff, Station

# how often a screen's "last seen" is written (each poll would otherwise write the row every 30 s)
SEEN_EVERY = timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def kiosk_link_create(*, station: Station, board: str, label: str, by: Staff) -> tuple[KioskLink, str]:
    """A new device link; returns it and its token (shown once: only the hash is kept)."""
    if board not in registry.kiosk_boards:
        raise DomainError(_("Choose a board."), field="board")
    label = (label or "").strip()
    if not label:
        raise DomainError(_("Name the screen, e.g. \"Lounge TV\"."), field="label")
    token = secrets.token_urlsafe(32)
    link = KioskLink.objects.create(station=station, board=board, label=label[:80], token_hash=token_hash(token),
                                    created_by=by)
    return link, token


@transaction.atomic
def kiosk_link_revoke(*, link: KioskLink, by: Staff) -> KioskLink:
    link = KioskLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is not None:
        raise DomainError(_("This link is already revoked."))
    link.revoked_at = timezone.now()
    link.revoked_by = by
    link.save(update_fields=["revoked_at", "revoked_by"])
    return link


def kiosk_link_for_token(token: str) -> KioskLink | None:
    """The link a token opens (revoked ones too: they answer "link revoked"), or None."""
    if not token or len(token) > 100:
        return None
    return KioskLink.objects.select_related("station").filter(token_hash=token_hash(token)).first()


def kiosk_link_seen(link: KioskLink) -> None:
    """Note that the screen polled; written at most once a minute."""
    now = timezone.now()
    if link.last_seen_at is None or now - link.last_seen_at >= SEEN_EVERY:
        KioskLink.objects.filter(pk=link.pk).update(last_seen_at=now)
        link.last_seen_at = now


def kiosk_links(station: Station):
    return KioskLink.objects.filter(station=station).select_related("created_by", "revoked_by")
