"""Guards the workshop adds to the work-order transitions (registered in WorkshopConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import TransitionError
from workshop.models import ClockEntry, Finding


def workshop_work_done(*, order, by) -> None:
    """Work leaves the workshop for the final inspection only when nobody's clock runs on it and no additional work
    awaits the customer's answer."""
    if ClockEntry.objects.filter(order=order, ended_at__isnull=True).exists():
        raise TransitionError(_("A technician is still clocked on this order."))
    if Finding.objects.filter(order=order, decision=Finding.Decision.PENDING).exists():
        raise TransitionError(_("Additional work awaits the customer's decision."))
