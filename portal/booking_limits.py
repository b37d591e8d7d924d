"""Abuse limits of online booking: counters per calendar day in the cache (Redis in production), so every node sees
the same counts. Keys hold a hash of the mobile or address, never the number itself."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

DEFAULTS = {
    "CODES_PER_MOBILE": 5,
    "REQUESTS_PER_ADDRESS": 20,
    "BOOKINGS_PER_MOBILE": 3,
    "CODE_ATTEMPTS": 5,
    "CODE_MINUTES": 10,
    "MANAGE_FAILURES_PER_ADDRESS": 30,
    "OPEN": "08:30",
    "LAST_SLOT": "16:30",
    "SLOT_MINUTES": 30,
    "LEAD_HOURS": 2,
    "DAYS_AHEAD": 7,
}
DAY_SECONDS = 24 * 3600


def conf(name: str):
    """One setting of ``settings.ONLINE_BOOKING``, or its default."""
    return getattr(settings, "ONLINE_BOOKING", {}).get(name, DEFAULTS[name])


def _key(kind: str, who: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{who}".encode()).hexdigest()[:32]
    return f"portal:booking:{kind}:{timezone.localdate().isoformat()}:{digest}"


def limit_hit(kind: str, who: str | None, limit_name: str) -> bool:
    """Count one more ``kind`` for ``who`` today; True while the count stays within the limit."""
    key = _key(kind, who or "-")
    cache.add(key, 0, DAY_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, DAY_SECONDS)
        count = 1
    return count <= int(conf(limit_name))


def limit_reached(kind: str, who: str | None, limit_name: str) -> bool:
    """True when ``who`` has used up today's ``kind`` (without counting)."""
    return int(cache.get(_key(kind, who or "-"), 0)) >= int(conf(limit_name))
