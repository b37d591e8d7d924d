"""Template helpers for customer care: the front-desk panel's data (the unread badge is core's ``notifications``)."""

from __future__ import annotations

from django import template

from complaints import selectors
from core.consent import consent_history
from core.delivery import OUTBOX_CHANNELS
from core.models import Notification
from org import permissions as perm

register = template.Library()


@register.simple_tag
def care_desk(user) -> dict:
    """My overdue complaints and my calls due, for the desk panel."""
    if not getattr(user, "is_authenticated", False) or not perm.has_action(user, perm.COMPLAINTS_VIEW):
        return {"complaints": [], "calls": [], "visible": False}
    return {
        "complaints": list(selectors.my_overdue_complaints(user)[:10]),
        "calls": list(selectors.my_calls_due(user)[:10]),
        "visible": True,
    }


@register.simple_tag
def order_complaints(order) -> list:
    """The order page's panel: the order's complaints, with only what the panel shows of them."""
    return list(order.complaints.only("order", "number", "subject", "state", "possible_comeback"))


@register.simple_tag
def care_customer(customer) -> dict:
    """The customer page's panel: the last complaints and follow-up calls, each call with its order and survey read in
    the same query (not one query per call)."""
    return {
        "complaints": list(customer.complaints.order_by("-received_at", "-id")[:10]),
        "calls": list(customer.follow_up_calls.select_related("order", "survey")[:10]),
    }


@register.simple_tag
def customer_consent(customer) -> dict:
    """The customer page's consent panel: the consent history (with who recorded it) and the last messages sent."""
    return {
        "history": consent_history(customer=customer, limit=10),
        "messages": list(Notification.objects.filter(recipient_customer=customer, channel__in=OUTBOX_CHANNELS)
                         .order_by("-created_at", "-id")[:5]),
    }
