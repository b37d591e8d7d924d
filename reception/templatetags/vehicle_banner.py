"""The banner shown wherever one vehicle appears (vehicle file, reception, appointment, order): its open recalls and
service campaigns, and its 三包 state with the thresholds it nears or has reached."""

from __future__ import annotations

from django import template

from reception.services.campaigns import open_campaigns_for
from reception.services.warranty_terms import sanbao_status

register = template.Library()


@register.simple_tag
def vehicle_banner(vehicle) -> dict:
    if vehicle is None or not getattr(vehicle, "pk", None):
        return {}
    campaigns = open_campaigns_for(vehicle).only("code", "name", "kind", "parts", "labour_operation__code")
    return {"campaigns": list(campaigns), "sanbao": sanbao_status(vehicle)}
