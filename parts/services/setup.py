"""The station's warehouses (仓库) and suppliers (供应商), set up on the first-run checklist and changed later.

Rows in use are never deleted (stock, purchase orders and returns refer to them). Codes are unique in the station.
A station has exactly one main warehouse: the first one becomes it, marking another moves the mark, and the mark
cannot simply be taken away. Every change writes a parts event (who, when, what).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from parts.models import Supplier, Warehouse
from parts.services.stock import event_record


def _code(code: str) -> str:
    code = (code or "").strip()
    if not code:
        raise DomainError(_("Enter a code."), field="code")
    return code


def _changes(before: dict, after: dict) -> str:
    return "; ".join(f"{k}: {before.get(k, '')} → {v}" for k, v in after.items() if str(before.get(k, "")) != str(v))


@transaction.atomic
def warehouse_create(*, station, by, code: str, name: str, is_main: bool = False) -> Warehouse:
    code = _code(code)
    if Warehouse.objects.filter(station=station, code__iexact=code).exists():
        raise DomainError(_("This station already has a warehouse with code %(code)s.") % {"code": code}, field="code")
    current_main = Warehouse.objects.select_for_update().filter(station=station, is_main=True).first()
    is_main = is_main or current_main is None  # the station's first warehouse is its main one
    if is_main and current_main is not None:
        current_main.is_main = False
        current_main.save(update_fields=["is_main"])
    warehouse = Warehouse.objects.create(station=station, code=code, name=name.strip(), is_main=is_main)
    event_record(station_id=station.pk, kind="warehouse.created", by=by, reference=code,
                 note=f"{warehouse.name}{' (main)' if is_main else ''}")
    return warehouse


@transaction.atomic
def warehouse_update(*, warehouse: Warehouse, by, code: str, name: str, is_main: bool) -> Warehouse:
    warehouse = Warehouse.objects.select_for_update().get(pk=warehouse.pk)
    code = _code(code)
    if Warehouse.objects.filter(station_id=warehouse.station_id, code__iexact=code).exclude(pk=warehouse.pk).exists():
        raise DomainError(_("This station already has a warehouse with code %(code)s.") % {"code": code}, field="code")
    if warehouse.is_main and not is_main:
        raise DomainError(_("A station needs a main warehouse: mark another warehouse as the main one instead."),
                          field="is_main")
    before = {"code": warehouse.code, "name": warehouse.name, "is_main": warehouse.is_main}
    if is_main and not warehouse.is_main:
        Warehouse.objects.filter(station_id=warehouse.station_id, is_main=True).update(is_main=False)
    warehouse.code, warehouse.name, warehouse.is_main = code, name.strip(), is_main
    warehouse.save()
    event_record(station_id=warehouse.station_id, kind="warehouse.changed", by=by, reference=code,
                 note=_changes(before, {"code": code, "name": warehouse.name, "is_main": is_main}))
    return warehouse


@transaction.atomic
def supplier_create(*, station, by, code: str, name: str, lead_days: int = 3, is_active: bool = True) -> Supplier:
    code = _code(code)
    if Supplier.objects.filter(station=station, code__iexact=code).exists():
        raise DomainError(_("This station already has a supplier with code %(code)s.") % {"code": code}, field="code")
    supplier = Supplier.objects.create(station=station, code=code, name=name.strip(), lead_days=lead_days,
                                       is_active=is_active)
    event_record(station_id=station.pk, kind="supplier.created", by=by, reference=code, note=supplier.name)
    return supplier


@transaction.atomic
def supplier_update(*, supplier: Supplier, by, code: str, name: str, lead_days: int,
                    is_active: bool = True) -> Supplier:
    """A new lead time counts for orders placed from now on; orders already placed keep their due date."""
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    code = _code(code)
    if Supplier.objects.filter(station_id=supplier.station_id, code__iexact=code).exclude(pk=supplier.pk).exists():
        raise DomainError(_("This station already has a supplier with code %(code)s.") % {"code": code}, field="code")
    before = {"code": supplier.code, "name": supplier.name, "lead_days": supplier.lead_days,
              "is_active": supplier.is_active}
    supplier.code, supplier.name, supplier.lead_days, supplier.is_active = code, name.strip(), lead_days, is_active
    supplier.save()
    event_record(station_id=supplier.station_id, kind="supplier.changed", by=by, reference=code,
                 note=_changes(before, {"code": code, "name": supplier.name, "lead_days": lead_days,
                                        "is_active": is_active}))
    return supplier
