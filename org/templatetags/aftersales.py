"""Template helpers: money in CNY, and permission checks for showing buttons."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

from org import permissions as perm

register = template.Library()


@register.filter
def money(value) -> str:
    """¥1,234.50 — two decimals, grouped, in either language. Empty for None."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


@register.filter
def percent(value, digits: int = 1) -> str:
    """A ratio as a percentage; None (zero denominator) shows as an em dash."""
    if value is None:
        return "—"
    return f"{Decimal(value) * 100:.{int(digits)}f}%"


@register.simple_tag(takes_context=True)
def can(context, action: str) -> bool:
    request = context.get("request")
    return bool(request and perm.has_action(request.user, action))
