"""Numbers typed by people: refused when they are not finite or beyond what the business allows.

``Decimal("NaN")``, ``Decimal("Infinity")`` and ``Decimal("1e20")`` all parse; NaN cannot even be compared, and a
value beyond a column's ``max_digits`` makes PostgreSQL refuse the row. Every hand-typed number (form fields, the
CSV imports, the free-text purchase-order lines) goes through :func:`parse_decimal` or one of the form fields here,
which refuse such values with a translated message.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _

from core.errors import DomainError

# Sane caps: nobody sells 10,000 of one part on a line or 200 hours of one operation.
MAX_QUANTITY = Decimal("9999")
MAX_HOURS = Decimal("200")
MAX_PRICE = Decimal("9999999.99")
MAX_DAY_HOURS = Decimal("24")


class NumberError(ValueError):
    """A typed number that is refused; the message is translated."""


def parse_decimal(raw, *, name: str = "", max_value: Decimal | None = None, min_value: Decimal | None = None,
                  places: int | None = None) -> Decimal:
    """``raw`` (a str or number) as a finite Decimal within the bounds, else :class:`NumberError`."""
    text = str(raw if raw is not None else "").strip().replace(",", "")
    prefix = f"{name}: " if name else ""
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise NumberError(prefix + _("“%(value)s” is not a number.") % {"value": text[:40]}) from None
    if not value.is_finite():
        raise NumberError(prefix + _("“%(value)s” is not a number.") % {"value": text[:40]})
    if min_value is not None and value < min_value:
        raise NumberError(prefix + _("Must be at least %(min)s.") % {"min": min_value})
    if max_value is not None and value > max_value:
        raise NumberError(prefix + _("Must be at most %(max)s.") % {"max": max_value})
    if places is not None and value != value.quantize(Decimal(1).scaleb(-places)):
        raise NumberError(prefix + _("At most %(places)s decimal places.") % {"places": places})
    return value


def checked(value, *, field: str, max_value: Decimal, min_value: Decimal | None = None) -> Decimal:
    """For services: ``value`` as a finite Decimal within the bounds, else a DomainError on ``field``."""
    try:
        return parse_decimal(value, max_value=max_value, min_value=min_value)
    except NumberError as exc:
        raise DomainError(str(exc), field=field) from None


def quantity_field(label, **kwargs) -> forms.DecimalField:
    options = {"max_digits": 10, "decimal_places": 2, "min_value": Decimal("0.01"), "max_value": MAX_QUANTITY}
    return forms.DecimalField(label=label, **{**options, **kwargs})


def hours_field(label, **kwargs) -> forms.DecimalField:
    options = {"max_digits": 6, "decimal_places": 2, "min_value": Decimal("0"), "max_value": MAX_HOURS}
    return forms.DecimalField(label=label, **{**options, **kwargs})


def money_field(label, **kwargs) -> forms.DecimalField:
    options = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0"), "max_value": MAX_PRICE}
    return forms.DecimalField(label=label, **{**options, **kwargs})

