"""Template helpers for customer care: the unread badge and the front-desk panel's data."""

from __future__ import annotations

from django import template

from org import permissions as perm

register = template.Library()


@register.simple_tag
def unread_notifications(user) -> int:
    """Unread in-app notifications of this user (for a badge: {% unread_notifications user as n %})."""
    if not getattr(user, "is_authenticated", False):
        return 0
    from complaints.services.notifications import unread_count

    return unread_count(staff=user)


@register.simple_tag
def care_desk(user) -> dict:
    """My overdue complaints and my calls due, for the desk panel."""
    from complaints import selectors

    if not getattr(user, "is_authenticated", False) or not perm.has_action(user, perm.COMPLAINTS_VIEW):
        return {"complaints": [], "calls": [], "visible": False}
    return {
        "complaints": list(selectors.my_overdue_complaints(user)[:10]),
        "calls": list(selectors.my_calls_due(user)[:10]),
        "visible": True,
    }
