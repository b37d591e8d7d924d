"""Template filters for money: ``{% load money %}`` then ``{{ amount|money }}`` and ``{{ ratio|percent }}``.

``{% load aftersales %}`` (org's library) offers the same two filters, so existing templates keep working.
"""

from __future__ import annotations

from django import template

from core.money import money_text, percent_text

register = template.Library()


@register.filter
def money(value) -> str:
    """¥1,234.50 — two decimals, grouped, in either language. Empty for None."""
    return money_text(value)


@register.filter
def percent(value, digits: int = 1) -> str:
    """A ratio as a percentage; None (zero denominator) shows as an em dash."""
    return percent_text(value, digits)
