"""Reads of the roster (排班表): one week of planned hours, absences and actual shifts, for one station.

Rows are the people the board counts (``selectors.technicians``); planned hours follow ``selectors.planned_hours``, so
the day totals here are the capacity the board and appointment booking use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from org.models import Staff, Station
from workshop.models import Attendance, RosterChange
from workshop.selectors import planned_hours, technicians, week_start


@dataclass
class RosterCell:
    technician: Staff
    day: date
    row: Attendance | None
    today: date
    form: Any = None  # the edit form when this cell is being edited

    @property
    def key(self) -> str:
        return f"{self.technician.pk}-{self.day:%Y%m%d}"

    @property
    def planned(self) -> Decimal:
        return planned_hours(self.row)

    @property
    def is_set(self) -> bool:
        """False when the day has no row: the default shift counts."""
        return self.row is not None

    @property
    def is_absent(self) -> bool:
        return bool(self.row and self.row.is_absent)

    @property
    def is_past(self) -> bool:
        return self.day < self.today

    @property
    def is_today(self) -> bool:
        return self.day == self.today

    @property
    def editable(self) -> bool:
        return not self.is_past

    @property
    def started_at(self):
        return self.row.started_at if self.row else None

    @property
    def ended_at(self):
        return self.row.ended_at if self.row else None

    @property
    def attended_hours(self) -> Decimal | None:
        return self.row.attended_hours if self.row and self.row.started_at else None


@dataclass
class RosterRow:
    technician: Staff
    cells: list[RosterCell]

    @property
    def total(self) -> Decimal:
        return sum((c.planned for c in self.cells), Decimal("0"))

    @property
    def dom_id(self) -> str:
        return f"roster-total-{self.technician.pk}"


@dataclass
class DayTotal:
    day: date
    total: Decimal

    @property
    def dom_id(self) -> str:
        return f"roster-day-{self.day:%Y%m%d}"


@dataclass
class RosterWeek:
    station: Station
    start: date
    today: date
    rows: list[RosterRow] = field(default_factory=list)

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(7)]

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def previous(self) -> date:
        return self.start - timedelta(days=7)

    @property
    def next(self) -> date:
        return self.start + timedelta(days=7)

    @property
    def is_this_week(self) -> bool:
        return self.start == week_start(self.today)

    @property
    def has_editable_days(self) -> bool:
        return self.end >= self.today

    @property
    def day_totals(self) -> list[DayTotal]:
        """Planned capacity per day (hours), equal to ``selectors.capacity_hours`` for that day."""
        return [DayTotal(day, sum((r.cells[i].planned for r in self.rows), Decimal("0"))) for i, day in enumerate(self.days)]

    @property
    def total(self) -> Decimal:
        return sum((r.total for r in self.rows), Decimal("0"))

    total_dom_id = "roster-total"

    def row(self, technician_id: int) -> RosterRow | None:
        return next((r for r in self.rows if r.technician.pk == technician_id), None)

    def day_total(self, day: date) -> DayTotal | None:
        return next((t for t in self.day_totals if t.day == day), None)

    def cell(self, technician_id: int, day: date) -> RosterCell | None:
        row = self.row(technician_id)
        return next((c for c in row.cells if c.day == day), None) if row else None


def roster_week(*, station: Station, day: date, today: date | None = None) -> RosterWeek:
    """The week (Monday to Sunday) holding ``day``: two queries whatever the number of technicians."""
    today = today or timezone.localdate()
    week = RosterWeek(station=station, start=week_start(day), today=today)
    people = list(technicians(station))
    rows = {
        (a.technician_id, a.day): a
        for a in Attendance.objects.filter(station=station, day__gte=week.start, day__lte=week.end)
    }
    week.rows = [
        RosterRow(technician=p, cells=[RosterCell(p, d, rows.get((p.pk, d)), today) for d in week.days]) for p in people
    ]
    return week


def recent_changes(*, station: Station, limit: int = 20) -> QuerySet[RosterChange]:
    return RosterChange.objects.filter(station=station).select_related("technician", "changed_by")[:limit]
