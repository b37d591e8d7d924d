"""Sessions: cached_db, the idle-timeout stamp written at most once a minute, expired rows cleared daily."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_writes():
    writes = []

    def count(sender, instance, **kwargs):
        writes.append(instance.session_key)

    post_save.connect(count, sender=Session)
    yield writes
    post_save.disconnect(count, sender=Session)


def test_sessions_are_read_through_the_cache():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"


def test_ten_page_views_within_a_minute_write_the_session_once(client_as, alice, session_writes):
    client = client_as(alice)
    session_writes.clear()  # the login itself
    with time_machine.travel(timezone.now(), tick=True):
        for _ in range(10):
            assert client.get(reverse("reception:index")).status_code == 200
    assert len(session_writes) == 1


def test_the_activity_stamp_is_written_again_after_a_minute(client_as, alice, session_writes):
    client = client_as(alice)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(reverse("reception:index"))
    session_writes.clear()
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        client.get(reverse("reception:index"))
    assert session_writes == []
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        client.get(reverse("reception:index"))
    assert len(session_writes) == 1


def test_idle_timeout_still_ends_the_session(client_as, alice):
    client = client_as(alice)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(reverse("reception:index"))
    with time_machine.travel(start + timedelta(minutes=settings.IDLE_TIMEOUT_MINUTES, seconds=90), tick=False):
        response = client.get(reverse("reception:index"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_daily_task_clears_expired_sessions(client_as, alice):
    from core.tasks import clear_sessions

    client_as(alice)
    live = Session.objects.get()
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(days=1))
    clear_sessions.delay()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "core.tasks.clear_sessions" in schedule
