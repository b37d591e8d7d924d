"""The bell in the top bar: ``{% load notifications %}{% unread_notifications user as n %}``."""

from __future__ import annotations

from django import template

from core.notifications import unread_count

register = template.Library()


@register.simple_tag
def unread_notifications(user) -> int:
    """Unread in-app notifications of this user (0 for an anonymous visitor)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    n = getattr(user, "_unread_notifications", None)  # the top bar and a page's own tabs ask in the same request
    if n is None:
        n = user._unread_notifications = unread_count(staff=user)
    return n
