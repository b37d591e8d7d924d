"""The board's cards in its template: ``{{ items|board_cards }}`` prints a column (workshop.board.html)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from workshop.board import html

register = template.Library()


@register.filter
def board_cards(items, dispatch_url: str = "") -> SafeString:
    """``{{ items|board_cards:dispatch_url }}``: with a dispatch URL (``{}`` for the order id) each card of an order
    on the floor links to its dispatch form."""
    return html.cards(items, dispatch_url or "")
