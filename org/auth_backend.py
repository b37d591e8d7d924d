"""The login backend: Django's ModelBackend, reading a logged-in person's station with them.

Nearly every page asks for the person's station (``org.selectors.current_station``); joining it to the one query that
loads the user from the session saves a second query on every request."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from org.models import Staff


class StaffBackend(ModelBackend):
    def get_user(self, user_id):
        user = Staff._default_manager.select_related("station").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
