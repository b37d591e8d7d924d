"""Reads of counter sales for other pages: the extended warranties (延保) sold to a vehicle."""

from __future__ import annotations

from django.utils import timezone

from reception.services.warranty_terms import add_months
from settlement.models import CounterSale, CounterSaleLine


def vehicle_extended_warranties(vehicle) -> list[CounterSaleLine]:
    """The vehicle's extended warranties from confirmed counter sales, newest first, each with ``starts_on`` and
    ``ends_on`` (the sale's date plus the term) and ``active``."""
    lines = list(CounterSaleLine.objects.filter(
        kind=CounterSaleLine.Kind.WARRANTY, sale__vehicle=vehicle, sale__station_id=vehicle.station_id,
        sale__status=CounterSale.Status.CONFIRMED,
    ).select_related("sale").order_by("-sale__confirmed_at", "-id"))
    today = timezone.localdate()
    for line in lines:
        line.starts_on = timezone.localdate(line.sale.confirmed_at)
        line.ends_on = add_months(line.starts_on, line.term_months or 0)
        line.active = line.ends_on >= today
    return lines
