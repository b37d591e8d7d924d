"""Template helpers of the kernel: ``{% load core %}``."""

from __future__ import annotations

from django import template

from core.registry import registry

register = template.Library()


@register.filter
def event_label(code: str, log: str = ""):
    """The translated label of an event kind, as registered by the app that writes it:
    ``{{ e.kind|event_label }}`` (the work order's history) or ``{{ e.kind|event_label:"complaint" }}``."""
    return registry.event_label(code, log)
