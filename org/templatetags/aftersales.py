"""Template helpers: permission checks for showing buttons, and (from core) money in CNY and percentages."""

from __future__ import annotations

from django import template

from core.templatetags.money import money, percent
from org import permissions as perm

register = template.Library()
register.filter("money", money)
register.filter("percent", percent)


@register.simple_tag(takes_context=True)
def can(context, action: str) -> bool:
    request = context.get("request")
    return bool(request and perm.has_action(request.user, action))
