"""Warranty (包修期) and 三包 periods per model, and the vehicle's 三包 repair history against the legal thresholds.

家用汽车产品修理更换退货责任规定 (SAMR order 43, in force since 2022-01-01), article 24: within the 三包 period
(at least 2 years or 50,000 km, whichever first) the customer may ask for a replacement car or a refund when

1. a serious safety fault was repaired twice and is still there (or a new one appeared);
2. the engine, transmission, traction battery or drive motor — or the same main part of one of those or of the
   steering, braking, suspension, driveline, emission control or body — was replaced twice for a quality problem;
3. the repairs for quality problems took more than 30 days in total, or the same quality problem was repaired more
   than 4 times.

A vehicle is *near* a threshold one step before it: a serious safety repair or a replacement already done once,
20 repair days or more, the same fault repaired 3 times or more. Repair days: a started day of repair counts as one.
"""

from __future__ import annotations

import math
from calendar import monthrange
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from org.models import Staff
from reception.models import SanbaoRepair, Vehicle, WarrantyTerms, WorkOrder
from reception.services.workflow import record_event

# Legal minimums when a model has no terms of its own (article 18: 包修期 ≥ 3 years / 60,000 km; 三包 ≥ 2 / 50,000).
DEFAULT_TERMS = {"warranty_months": 36, "warranty_km": 60_000, "sanbao_months": 24, "sanbao_km": 50_000}
DAYS_LIMIT, DAYS_NEAR = 30, 20  # more than 30 days is the threshold
SAME_FAULT_LIMIT, SAME_FAULT_NEAR = 5, 3  # "more than 4 times"
SERIOUS_LIMIT = 2
REPLACED_LIMIT = 2


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


@dataclass
class SanbaoStatus:
    vehicle: Vehicle
    sale_date: date | None = None
    warranty_until: date | None = None
    warranty_km: int = 0
    sanbao_until: date | None = None
    sanbao_km: int = 0
    in_warranty: bool = False
    in_sanbao: bool = False
    repair_days: int = 0
    repairs: int = 0
    by_component: list[tuple[str, int, int]] = field(default_factory=list)  # (label, repairs, replaced)
    reached: list[str] = field(default_factory=list)  # thresholds passed (translated sentences)
    near: list[str] = field(default_factory=list)  # thresholds one step away

    @property
    def level(self) -> str:
        if not self.in_sanbao:
            return ""
        return "danger" if self.reached else "warning" if self.near else "info"


def terms_for(vehicle: Vehicle) -> dict:
    terms = WarrantyTerms.objects.filter(station_id=vehicle.station_id, model__iexact=vehicle.model).first()
    if terms is None:
        return dict(DEFAULT_TERMS)
    return {k: getattr(terms, k) for k in DEFAULT_TERMS}


def repair_days(order: WorkOrder, *, now=None) -> int:
    """From reception to the end of the work (or now, while in the workshop); a started day counts as one."""
    end = order.work_completed_at or now or timezone.now()
    seconds = max((end - order.opened_at).total_seconds(), 0)
    return max(1, math.ceil(seconds / 86400))


def thresholds(repairs: list[SanbaoRepair]) -> tuple[list[str], list[str], int]:
    """(reached, near, total days) for repairs within the period."""
    reached, near = [], []
    days = sum(r.days for r in repairs)
    serious = sum(1 for r in repairs if r.serious_safety)
    faults = Counter(r.fault.strip().lower() for r in repairs)
    replaced = Counter(r.component for r in repairs if r.replaced and r.component != SanbaoRepair.Component.OTHER)
    labels = dict(SanbaoRepair.Component.choices)
    if days > DAYS_LIMIT:
        reached.append(_("Repair days %(days)d: more than %(limit)d.") % {"days": days, "limit": DAYS_LIMIT})
    elif days >= DAYS_NEAR:
        near.append(_("Repair days %(days)d of at most %(limit)d.") % {"days": days, "limit": DAYS_LIMIT})
    if serious >= SERIOUS_LIMIT:
        reached.append(_("Serious safety fault repaired %(n)d times.") % {"n": serious})
    elif serious:
        near.append(_("Serious safety fault repaired once: a second repair reaches the threshold."))
    if faults:
        fault, n = faults.most_common(1)[0]
        original = next(r.fault for r in repairs if r.fault.strip().lower() == fault)
        if n >= SAME_FAULT_LIMIT:
            reached.append(_("“%(fault)s” repaired %(n)d times.") % {"fault": original, "n": n})
        elif n >= SAME_FAULT_NEAR:
            near.append(_("“%(fault)s” repaired %(n)d times (threshold: more than 4).") % {"fault": original, "n": n})
    for component, n in sorted(replaced.items()):
        if n >= REPLACED_LIMIT:
            reached.append(_("%(system)s: main part replaced %(n)d times.") % {"system": labels[component], "n": n})
        else:
            near.append(_("%(system)s: main part replaced once.") % {"system": labels[component]})
    return reached, near, days


def sanbao_status(vehicle: Vehicle, *, today: date | None = None) -> SanbaoStatus:
    """The vehicle's periods and its 三包 repair count (two queries)."""
    today = today or timezone.localdate()
    status = SanbaoStatus(vehicle=vehicle, sale_date=vehicle.warranty_start)
    if vehicle.warranty_start is None:
        return status
    terms = terms_for(vehicle)
    status.warranty_until = add_months(vehicle.warranty_start, terms["warranty_months"])
    status.sanbao_until = add_months(vehicle.warranty_start, terms["sanbao_months"])
    status.warranty_km, status.sanbao_km = terms["warranty_km"], terms["sanbao_km"]
    status.in_warranty = today < status.warranty_until and vehicle.mileage <= status.warranty_km
    status.in_sanbao = today < status.sanbao_until and vehicle.mileage <= status.sanbao_km
    repairs = list(SanbaoRepair.objects.filter(vehicle=vehicle, order__opened_at__date__lt=status.sanbao_until))
    status.repairs = len(repairs)
    status.reached, status.near, status.repair_days = thresholds(repairs)
    labels = dict(SanbaoRepair.Component.choices)
    per = Counter(r.component for r in repairs)
    swapped = Counter(r.component for r in repairs if r.replaced)
    status.by_component = [(labels[c], n, swapped[c]) for c, n in sorted(per.items())]
    return status


@transaction.atomic
def sanbao_repair_record(*, order: WorkOrder, by: Staff, component: str, fault: str, serious_safety: bool = False,
                         replaced: bool = False) -> SanbaoRepair:
    """Count this order's repair of a quality fault for 三包; the repair days come from the order."""
    if order.status in (WorkOrder.Status.DRAFT, WorkOrder.Status.CANCELLED):
        raise DomainError(_("Only a signed order's repair counts for 三包."), field="component")
    if component not in SanbaoRepair.Component.values:
        raise DomainError(_("Choose the system."), field="component")
    fault = (fault or "").strip()
    if not fault:
        raise DomainError(_("Describe the fault (the same words for the same problem)."), field="fault")
    repair = SanbaoRepair.objects.create(order=order, vehicle_id=order.vehicle_id, component=component,
                                         fault=fault[:120], serious_safety=serious_safety, replaced=replaced,
                                         days=repair_days(order), by=by)
    record_event(order=order, by=by, kind="sanbao_repair", note=str(repair))
    return repair


def sanbao_days_refresh(*, order: WorkOrder, by=None) -> None:
    """After-hook once the work is done: the order's 三包 repairs take their final repair days."""
    SanbaoRepair.objects.filter(order=order).update(days=repair_days(order))


@transaction.atomic
def warranty_terms_save(*, station, model: str, warranty_months: int, warranty_km: int, sanbao_months: int,
                        sanbao_km: int) -> WarrantyTerms:
    """A model's periods (a model written again replaces its terms). The 三包 period lies within the warranty and is
    at least the legal 2 years / 50,000 km."""
    model = (model or "").strip()
    if not model:
        raise DomainError(_("Name the model."), field="model")
    if sanbao_months < DEFAULT_TERMS["sanbao_months"] or sanbao_km < DEFAULT_TERMS["sanbao_km"]:
        raise DomainError(_("The 三包 period is at least 2 years or 50,000 km."), field="sanbao_months")
    if warranty_months < sanbao_months or warranty_km < sanbao_km:
        raise DomainError(_("The warranty is at least as long as the 三包 period."), field="warranty_months")
    terms, _created = WarrantyTerms.objects.update_or_create(
        station=station, model=model, defaults={"warranty_months": warranty_months, "warranty_km": warranty_km,
                                                "sanbao_months": sanbao_months, "sanbao_km": sanbao_km})
    return terms
