"""The login backend: Django's ModelBackend, reading with the logged-in person what nearly every page asks next.

Every request loads the person from the session; the same query also reads their station (``current_station``),
whether they were granted extra stations (``visible_station_ids`` needs no query for the many who were not) and the
bell's count of unread notifications (``core.notifications``) — three queries fewer on every page."""

from __future__ import annotations

from functools import lru_cache

from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from core.notifications import UNREAD_ATTR, unread_count_annotation
from org.models import Staff
from org.selectors import HAS_EXTRA_ATTR


class StaffBackend(ModelBackend):
    def get_user(self, user_id):
        user = (Staff._default_manager.select_related("station").annotate(**_extras())
                .filter(pk=user_id).first())
        return user if user is not None and self.user_can_authenticate(user) else None


@lru_cache(maxsize=1)
def _extras() -> dict:
    """The two extra columns, as SQL written once: the ORM's ``Exists`` and count subqueries took longer to compile on
    every request than the queries they saved (org/tests/test_auth_backend.py checks what they read)."""
    quote = connection.ops.quote_name
    outer = f"{quote(Staff._meta.db_table)}.{quote(Staff._meta.pk.column)}"
    grants = Staff.extra_stations.through._meta
    has_extra = (f"EXISTS (SELECT 1 FROM {quote(grants.db_table)} "  # noqa: S608 - names from the models
                 f"WHERE {quote(grants.get_field('staff').column)} = {outer})")
    return {HAS_EXTRA_ATTR: RawSQL(has_extra, (), output_field=BooleanField()),
            UNREAD_ATTR: unread_count_annotation(outer)}
