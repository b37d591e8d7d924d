"""Default-deny access control and the idle-session timeout."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.access import deny
from org.permissions import has_action

# Requests sent by pages refreshing themselves carry this header; they do not count as user activity.
POLL_HEADER = "HTTP_X_BACKGROUND_POLL"
LAST_ACTIVITY_KEY = "last_activity"


def _to_login(request):
    """Back to the login page; for an htmx request (a board polling, a picker) the whole page goes there
    (``HX-Redirect``), so the login form never lands inside a board or a list."""
    response = redirect_to_login(request.get_full_path())
    if request.headers.get("HX-Request"):
        login = response["Location"]
        response = HttpResponse(status=204)
        response["HX-Redirect"] = login
    return response


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "kiosk", False):
            return None  # a wall TV's device link: no session is used, none is ended
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY_KEY)
            limit = settings.IDLE_TIMEOUT_MINUTES * 60
            if last is not None and now - last > limit:
                logout(request)
                messages.info(request, _("Your session ended after %(minutes)s minutes without activity. Please log in again.") % {"minutes": settings.IDLE_TIMEOUT_MINUTES})
                return _to_login(request)
            # Stamped at most once a minute: a stamp on every page would write the session row on every request.
            if not request.META.get(POLL_HEADER) and (last is None or now - last >= settings.IDLE_STAMP_SECONDS):
                request.session[LAST_ACTIVITY_KEY] = now
        return None


class PermissionMiddleware:
    """Every view must declare @public or @requires(action); anything else is refused."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.app_name == "admin":
            return None  # the admin checks is_staff and model permissions itself
        if getattr(view_func, "public", False):
            return None
        if not request.user.is_authenticated:
            return _to_login(request)
        action = getattr(view_func, "required_action", None)
        if action is None:
            return deny(request, action="", reason="undeclared view")
        actions = getattr(view_func, "required_actions", (action,))
        if not any(has_action(request.user, a) for a in actions):
            return deny(request, action="|".join(actions), reason="position")
        return None
