"""Fixtures of the online booking tests (a folder of their own beside the link pages' tests)."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from core.models import Notification
from reception.factories import LabourOperationFactory


@pytest.fixture(autouse=True)
def _clean_cache():
    """Limits are counted per day in the cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def service(station):
    return LabourOperationFactory(station=station, code="MT001", name_zh="更换机油机滤", name_en="Oil change",
                                  standard_hours=Decimal("1.00"), bookable=True)


@pytest.fixture
def desk(make_staff, alice):
    """An advisor to receive the bookings, and one technician: 8 hours of capacity a day."""
    make_staff("technician", username="tech1")
    return alice


def tomorrow_at(hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1), time(hour, minute)))


def last_code(mobile: str) -> str:
    row = Notification.objects.filter(channel="sms", address=mobile).order_by("-pk").first()
    return re.search(r"\b(\d{6})\b", row.body).group(1)


def last_link(mobile: str) -> str:
    row = Notification.objects.filter(channel="sms", address=mobile).order_by("-pk").first()
    return re.search(r"(https?://\S+/book/a/\S+/)", row.body).group(1)
