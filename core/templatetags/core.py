"""Template helpers of the kernel: ``{% load core %}``."""

from __future__ import annotations

from django import template

from core.files import private_file_url
from core.registry import registry

register = template.Library()


@register.filter
def event_label(code: str, log: str = ""):
    """The translated label of an event kind, as registered by the app that writes it:
    ``{{ e.kind|event_label }}`` (the work order's history) or ``{{ e.kind|event_label:"complaint" }}``."""
    return registry.event_label(code, log)


@register.simple_tag
def file_url(obj, field: str) -> str:
    """The checked address of a private file: ``{% file_url photo "image" %}`` (``core.files``; never ``.url``)."""
    return private_file_url(obj, field)

