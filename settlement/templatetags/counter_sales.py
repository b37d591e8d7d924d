"""Template tags for the settlement panels on other apps' pages."""

from django import template

from settlement.counter_selectors import vehicle_extended_warranties

register = template.Library()


@register.simple_tag
def extended_warranties(vehicle):
    return vehicle_extended_warranties(vehicle)
