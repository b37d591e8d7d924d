"""What a picker's suggestion shows after its label (core/pickers.py): the hint that tells two matches apart. Shared
by the front desk's suggestion endpoints and the workshop's (a technician's finding)."""

from __future__ import annotations

from reception.models import Customer, LabourOperation, Vehicle


def vehicle_detail(v: Vehicle) -> str:
    owner = f" · {v.owner.name} {v.owner.mobile}" if v.owner_id else ""
    return f"{v.vin} · {v.make} {v.model}".rstrip() + owner


def customer_detail(c: Customer) -> str:
    return c.mobile


def operation_detail(o: LabourOperation) -> str:
    return f"{o.name_en} · {o.standard_hours} h" if o.name_en else f"{o.standard_hours} h"


def part_detail(p) -> str:
    return f"{p.name_en} · ¥{p.list_price}" if p.name_en else f"¥{p.list_price}"
