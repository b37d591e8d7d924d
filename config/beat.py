"""Celery beat with a Redis lock: however many beats run against one Redis, only the lock holder sends tasks.

The schedule is ``CELERY_BEAT_SCHEDULE`` in settings (code, crontab in local time); the state (last run times) is
celery's own shelve file (``--schedule``). Each tick the beat takes or renews ``aftersales:beat-lock``
(``SET NX EX ttl``, renewed only by its holder). A beat without the lock is a standby: it advances its entries as
if it had sent them and sends nothing, so when the holder dies (its lock expires within ``CELERY_BEAT_LOCK_TTL``
seconds) the standby takes over with the next due time, without a burst of catch-up sends. A beat that stops
cleanly releases the lock at once.

Without Redis (no ``REDIS_URL``: in-process tasks) there is nothing to lock and the beat always sends.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid

from celery.beat import PersistentScheduler
from django.conf import settings

logger = logging.getLogger(__name__)

LOCK_KEY = "aftersales:beat-lock"

# KEYS[1] lock key, ARGV[1] our token, ARGV[2] ttl: renew when ours, take when free; 1 when we hold it after.
_TAKE_OR_RENEW = """
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return 1
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class LockedScheduler(PersistentScheduler):
    """A PersistentScheduler that sends only while it holds the Redis beat lock."""

    def __init__(self, *args, **kwargs):
        self.lock_ttl = max(3, int(getattr(settings, "CELERY_BEAT_LOCK_TTL", 60)))
        self.lock_key = os.environ.get("CELERY_BEAT_LOCK_KEY", LOCK_KEY)
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        url = getattr(settings, "REDIS_URL", "")
        self._redis = None
        if url:
            import redis

            self._redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self.holds_lock = self._redis is None
        super().__init__(*args, **kwargs)

    def refresh_lock(self) -> bool:
        if self._redis is None:
            return True
        before = self.holds_lock
        try:
            self.holds_lock = bool(self._redis.eval(_TAKE_OR_RENEW, 1, self.lock_key, self.token, self.lock_ttl))
        except Exception as exc:  # noqa: BLE001 - Redis down: send nothing (the broker is down too)
            logger.warning("beat lock: Redis unavailable (%s); not sending", exc)
            self.holds_lock = False
        if self.holds_lock != before:
            logger.warning("beat lock %s %s by %s", self.lock_key, "taken" if self.holds_lock else "lost", self.token)
        return self.holds_lock

    def tick(self, *args, **kwargs):
        self.refresh_lock()
        interval = super().tick(*args, **kwargs)
        # Wake up often enough to renew the lock (or to see it free) well within its TTL.
        return min(interval, self.lock_ttl / 4)

    def apply_entry(self, entry, producer=None):
        if not self.holds_lock:
            logger.info("beat standby (lock held elsewhere): not sending %s", entry.name)
            return
        super().apply_entry(entry, producer=producer)

    def close(self):
        try:
            super().close()
        finally:
            if self._redis is not None and self.holds_lock:
                try:
                    self._redis.eval(_RELEASE, 1, self.lock_key, self.token)
                except Exception:  # noqa: BLE001 - the lock expires by itself
                    pass
