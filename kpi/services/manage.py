"""What the manager enters: targets, the monthly overhead and the monthly purchase target."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from kpi.models import Overhead, PurchaseTarget, Target
from kpi.registry import KPIS
from org.models import Staff, Station


@transaction.atomic
def target_set(*, station: Station, kpi: str, value: Decimal | None, by: Staff) -> Target | None:
    """Set (or, with ``value=None``, remove) a station's target for one KPI. Percentages are entered as ratios."""
    if kpi not in KPIS:
        raise DomainError(_("Unknown KPI."), field="kpi")
    if value is None:
        Target.objects.filter(station=station, kpi=kpi).delete()
        return None
    if value < 0:
        raise DomainError(_("A target cannot be negative."), field="value")
    target, _created = Target.objects.update_or_create(
        station=station, kpi=kpi, defaults={"value": value, "set_by": by}
    )
    return target


@transaction.atomic
def overhead_set(*, station: Station, month: date, amount: Decimal, by: Staff) -> Overhead:
    if amount < 0:
        raise DomainError(_("The overhead cannot be negative."), field="amount")
    overhead, _created = Overhead.objects.update_or_create(
        station=station, month=month.replace(day=1), defaults={"amount": amount, "set_by": by}
    )
    return overhead


@transaction.atomic
def purchase_target_set(*, station: Station, month: date, amount: Decimal, by: Staff) -> PurchaseTarget:
    """Set the genuine-parts purchase target of one month (the denominator of 采购目标达成率)."""
    if amount < 0:
        raise DomainError(_("The purchase target cannot be negative."), field="amount")
    target, _created = PurchaseTarget.objects.update_or_create(
        station=station, month=month.replace(day=1), defaults={"amount": amount, "set_by": by}
    )
    return target
