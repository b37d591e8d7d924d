"""Guards named in the transition table (reception's own)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import TransitionError


def estimate_signed(*, order, by) -> None:
    """An order opens only when the customer has signed its current estimate."""
    if order.signed_at is None:
        raise TransitionError(_("The customer has not signed the estimate yet."))
