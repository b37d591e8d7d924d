"""A short-lived cache of the rendered board, per station and language.

Several screens poll the same board (TVs, the dispatcher, the desk); each poll would rebuild the same 300 cards. The
board is cached for ``WORKSHOP_BOARD_CACHE_SECONDS`` (default 15 s, 0 = off) under a per-station version that every
workshop write bumps, so dispatch and clock changes show at the next poll; changes made elsewhere (a new order, a
promised time moved at the desk) show within the time limit. With REDIS_URL (or CACHE_URL) set the cache is shared
by every process, so a bump from any web process, Celery worker or management command reaches every board at once
(workshop/tests/test_board_two_processes.py); with the local-memory fallback the version only reaches the process that
made the change, and the time limit bounds what the others show.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache


def _version_key(station_id: int) -> str:
    return f"workshop:board:v:{station_id}"


def board_seconds() -> int:
    return int(getattr(settings, "WORKSHOP_BOARD_CACHE_SECONDS", 15))


def board_touch(station_id: int) -> None:
    """Something on the floor changed: the next poll rebuilds the board. (Not deferred to commit: a rolled-back
    change only costs one rebuild.)"""
    if board_seconds():
        cache.set(_version_key(station_id), time.time_ns(), None)


def _board_key(station_id: int, variant: str) -> str:
    version = cache.get(_version_key(station_id), 0)
    return f"workshop:board:{station_id}:{version}:{variant}"


def board_cached(station_id: int, variant: str, build: Callable[[], str]) -> str:
    """The rendered board of a station in one variant (language, TV mode): from the cache while it is fresh,
    else ``build()`` — stored for ``board_seconds()`` unless the cache is off."""
    seconds = board_seconds()
    if not seconds:
        return build()
    key = _board_key(station_id, variant)
    fragment = cache.get(key)
    if fragment is None:
        fragment = build()
        cache.set(key, fragment, seconds)
    return fragment
