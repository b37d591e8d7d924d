"""The board's cards in its template: ``{{ items|board_cards }}`` prints a column (workshop.board.html)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from workshop.board import html

register = template.Library()


@register.filter
def board_cards(items) -> SafeString:
    return html.cards(items)
