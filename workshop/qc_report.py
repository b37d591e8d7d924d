"""The final-inspection (终检) pass-rate report: first-time pass rate per technician and per fault type.

An order counts once, in the period of its FIRST inspection (attempt 1): it is "inspected", and "passed first time"
when that first inspection passed. First-time pass rate = passed first time ÷ inspected. Per technician: every
technician dispatched on a line of the order; per fault type: the category of each labour operation on the order (an
order with brake and engine work counts under both). Two grouped queries, however many orders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from workshop.models import QualityCheck

PASSED = QualityCheck.Result.PASSED


@dataclass
class PassRate:
    key: object
    label: str
    inspected: int
    passed: int

    @property
    def rate(self) -> Decimal | None:
        """Passed first time ÷ inspected, None when nothing was inspected."""
        return Decimal(self.passed) / Decimal(self.inspected) if self.inspected else None


def _first_checks(station, date_from: date, date_to: date):
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(date_from, time.min), tz)
    end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min), tz)
    return QualityCheck.objects.filter(station=station, attempt=1, at__gte=start, at__lt=end)


def _grouped(checks, key: str) -> dict:
    rows = (checks.values(key)
            .annotate(inspected=Count("order", distinct=True),
                      passed=Count("order", distinct=True, filter=Q(result=PASSED)))
            .order_by(key))
    # no technician (never dispatched) or no labour operation (a parts line): not counted in that breakdown
    return {row[key]: (row["inspected"], row["passed"]) for row in rows if row[key] is not None}


def qc_pass_rates(*, station, date_from: date, date_to: date, uncategorised: str = "") -> dict:
    """{"total": PassRate, "technicians": [PassRate], "fault_types": [PassRate]} for first inspections in the days
    date_from..date_to (station's local days, both included)."""
    checks = _first_checks(station, date_from, date_to)
    totals = checks.aggregate(inspected=Count("order", distinct=True),
                              passed=Count("order", distinct=True, filter=Q(result=PASSED)))
    by_tech = _grouped(checks, "order__assignments__technician")
    names = {u.pk: str(u) for u in get_user_model().objects.filter(pk__in=by_tech)}
    by_fault = _grouped(checks, "order__lines__labour_operation__category")
    technicians = sorted((PassRate(pk, names.get(pk, ""), *counts) for pk, counts in by_tech.items()),
                         key=lambda r: r.label)
    faults = [PassRate(cat, cat or uncategorised, *counts) for cat, counts in by_fault.items()]
    return {"total": PassRate(None, "", totals["inspected"], totals["passed"]), "technicians": technicians,
            "fault_types": faults}
