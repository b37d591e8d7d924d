"""A long list's rows worked out once per page in Python, not per row by template tags.

Through the template engine each row's ``{% url %}``, ``|date`` and ``|floatformat`` cost tens of microseconds; a page
of 50 rows spent most of its CPU on them. These make each piece once for the whole page."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache, partial

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import formats, timezone

_PK = "987654321"  # a placeholder id: the page's links are one reverse() with each row's id put in its place


def pk_link(name: str) -> Callable[[int], str]:
    """id → the address of the route ``name`` (one id argument)."""
    head, tail = reverse(name, args=[_PK]).split(_PK)
    return lambda pk: f"{head}{pk}{tail}"


def date_formatter(format_name: str) -> Callable[..., str]:
    """``value|date:format_name``: in local time, the active language's named format, each value formatted once;
    nothing for no value. Make one per request (it follows the active language)."""
    done: dict = {}

    def text(value) -> str:
        if value in (None, ""):
            return ""
        if value not in done:
            done[value] = formats.date_format(timezone.template_localtime(value), format_name)
        return done[value]

    return text


def quantity_formatter() -> Callable[[Decimal | None], str]:
    """A quantity as the templates print it (``|floatformat:"-2"``), each value formatted once. One per request."""
    return lru_cache(maxsize=None)(partial(floatformat, arg="-2"))
