from __future__ import annotations

from django import template

from parts.selectors import order_part_lines as _order_part_lines

register = template.Library()


@register.simple_tag
def order_part_lines(order):
    """{% order_part_lines order as lines %}: the order's part lines with reserved/issued/outstanding (no bins: the
    panel does not show them)."""
    return _order_part_lines(order=order, bins=False)
