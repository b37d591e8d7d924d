"""The Redis cache degrades to a miss when Redis does not answer: pages still load (sessions from the database)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.cache import TolerantRedisCache

CLOSED = "redis://127.0.0.1:1/0"  # a real, closed port: nothing answers
DOWN = {"default": {"BACKEND": "core.cache.TolerantRedisCache", "LOCATION": CLOSED,
                    "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}


def test_an_unreachable_redis_cache_answers_as_a_miss():
    cache = TolerantRedisCache(CLOSED, {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}})
    cache.set("k", "v", 10)
    assert cache.get("k") is None
    assert cache.get("k", "fallback") == "fallback"
    assert cache.get_many(["k"]) == {}
    assert cache.add("k", "v") is False
    assert cache.delete("k") is False


@pytest.mark.django_db
def test_pages_and_the_board_load_while_redis_is_down(settings, client_as, alice, make_staff, carol):
    settings.CACHES = DOWN
    settings.WORKSHOP_BOARD_CACHE_SECONDS = 15
    assert settings.SESSION_ENGINE.endswith("cached_db")
    client = client_as(alice)  # the session is saved to the database; the cache write is skipped
    assert client.get(reverse("reception:index")).status_code == 200
    lead = client_as(make_staff("workshop_lead", username="dave", reports_to=carol))
    assert lead.get(reverse("workshop:board")).status_code == 200
    assert lead.get(reverse("workshop:board")).status_code == 200
