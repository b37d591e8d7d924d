"""The login backend: Django's ModelBackend, reading with the logged-in person what nearly every page asks next.

Every request loads the person from the session; the same query also reads their station (``current_station``),
whether they were granted extra stations (``visible_station_ids`` needs no query for the many who were not) and the
bell's count of unread notifications (``core.notifications``) — three queries fewer on every page."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from core.notifications import UNREAD_ATTR, unread_count_annotation
from org.models import Staff
from org.selectors import HAS_EXTRA_ATTR


class StaffBackend(ModelBackend):
    def get_user(self, user_id):
        grants = Staff.extra_stations.through.objects.filter(staff_id=OuterRef("pk"))
        user = (Staff._default_manager.select_related("station")
                .annotate(**{HAS_EXTRA_ATTR: Exists(grants), UNREAD_ATTR: unread_count_annotation()})
                .filter(pk=user_id).first())
        return user if user is not None and self.user_can_authenticate(user) else None
