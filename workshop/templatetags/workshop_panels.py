"""Tags for the workshop panels that other apps' pages include (order page, front desk, customer file)."""

from __future__ import annotations

from django import template

from org.selectors import current_station
from workshop import selectors

register = template.Library()


@register.simple_tag
def workshop_order_panel(order) -> dict:
    return selectors.order_panel(order)


@register.simple_tag
def workshop_desk_findings(request) -> list:
    station = current_station(request)
    return list(selectors.pending_findings(station_ids=[station.pk])) if station else []


@register.simple_tag
def workshop_recommendations(customer) -> list:
    return list(selectors.recommendations(vehicle_ids=customer.vehicles.values("id")))


@register.filter
def hours(value) -> str:
    """1.50 → "1.5 h" (decimal hours, never more than two places)."""
    if value is None:
        return "—"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text} h"


@register.filter
def assignees(people: dict, line_id) -> str:
    """Who a line is dispatched to, from the view's {line id: [assignments]}: "王师傅 · A1, 李师傅"."""
    return ", ".join(f"{a.technician} · {a.bay.code}" if a.bay else str(a.technician)
                     for a in people.get(line_id, ()))
