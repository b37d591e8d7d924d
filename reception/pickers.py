"""What a picker's suggestion shows after its label (core/pickers.py): the hint that tells two matches apart. Shared
by the front desk's suggestion endpoints and the workshop's (a technician's finding)."""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.money import money_text
from reception.models import Customer, LabourOperation, Loaner, Vehicle


def vehicle_detail(v: Vehicle) -> str:
    owner = f" · {v.owner.name} {v.owner.mobile}" if v.owner_id else ""
    return f"{v.vin} · {v.make} {v.model}".rstrip() + owner


def customer_detail(c: Customer) -> str:
    return c.mobile


def operation_detail(o: LabourOperation) -> str:
    return f"{o.name_en} · {o.standard_hours} h" if o.name_en else f"{o.standard_hours} h"


def part_detail(p) -> str:
    return f"{p.name_en} · ¥{p.list_price}" if p.name_en else f"¥{p.list_price}"


def loaner_detail(car: Loaner) -> str:
    """The car's model and rate, and whether it is free for the asked period (``reception.selectors.pick_loaners``)."""
    rate = _("%(rate)s/day") % {"rate": money_text(car.daily_rate)}
    if not getattr(car, "window_known", False):
        return f"{car.model_name} · {rate}"
    if car.clash is None:
        return f"{car.model_name} · {rate} · " + _("free then")
    until = formats.date_format(timezone.localtime(car.clash.ends_at), "SHORT_DATETIME_FORMAT")
    return f"{car.model_name} · {rate} · " + _("taken then: order %(number)s until %(until)s") % {
        "number": car.clash.order.number, "until": until}
