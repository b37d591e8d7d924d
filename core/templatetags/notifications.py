"""The bell in the top bar: ``{% load notifications %}{% unread_notifications user as n %}``."""

from __future__ import annotations

from django import template

from core.notifications import UNREAD_ATTR, unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context, user) -> int:
    """Unread in-app notifications of this user (0 for an anonymous visitor), counted once a request: the top bar
    and a page's own tabs both show it. The login backend (``org.auth_backend``) reads the count with the person,
    so usually no query is made here."""
    if not getattr(user, "is_authenticated", False):
        return 0
    request = context.get("request")
    counted = getattr(request, "_unread_notifications", {}) if request is not None else {}
    if user.pk not in counted:
        at_load = getattr(user, UNREAD_ATTR, None)  # read with the person by the login backend, when it did
        counted[user.pk] = at_load if at_load is not None else unread_count(staff=user)
        if request is not None:
            request._unread_notifications = counted
    return counted[user.pk]
