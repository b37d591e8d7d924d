"""The roster (排班): planned hours or absence (请假) per technician and day, set by the workshop lead.

The roster is the Attendance row of a day that has not passed; its planned hours make the workshop's capacity
(``workshop.selectors.capacity_hours``). Past days are read-only: what happened is attendance, not a plan. Every change
is recorded as a RosterChange with who and when.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.errors import DomainError
from org.models import Staff, Station
from workshop.board.cache import board_touch
from workshop.models import TWO_PLACES, Attendance, RosterChange
from workshop.selectors import DEFAULT_SHIFT_HOURS, technicians, week_start

MAX_HOURS = Decimal("24")
Source = RosterChange.Source


def require_editable_day(day: date) -> None:
    """Today and later may be planned; the past is read-only."""
    if day < timezone.localdate():
        raise DomainError(
            _("%(day)s is in the past: the roster of past days cannot be changed.")
            % {"day": date_format(day, "SHORT_DATE_FORMAT")},
            field="day",
            code="past_day",
        )


def require_rostered(technician: Staff) -> None:
    """Only the people the board counts (``workshop.selectors.technicians``) have a roster."""
    station = technician.station
    if station is None or not technicians(station).filter(pk=technician.pk).exists():
        raise DomainError(
            _("%(name)s is not an active technician of this station.") % {"name": technician}, field="technician"
        )


def clean_hours(value) -> Decimal:
    """Planned hours: 0 to 24, at most two decimal places."""
    try:
        hours = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_("Enter the planned hours as a number."), field="planned_hours") from None
    if not hours.is_finite() or hours < 0 or hours > MAX_HOURS:
        raise DomainError(_("Planned hours must be between 0 and 24."), field="planned_hours")
    if hours != hours.quantize(TWO_PLACES):
        raise DomainError(_("Planned hours have at most two decimal places."), field="planned_hours")
    return hours.quantize(TWO_PLACES)


def _lock(technician: Staff, day: date) -> Attendance | None:
    return Attendance.objects.select_for_update().filter(technician=technician, day=day).first()


def _record(*, row: Attendance, old: tuple[Decimal | None, bool | None], source: str, by: Staff) -> RosterChange:
    return RosterChange.objects.create(
        station_id=row.station_id, attendance=row, technician_id=row.technician_id, day=row.day,
        old_planned_hours=old[0], old_is_absent=old[1], new_planned_hours=row.planned_hours,
        new_is_absent=row.is_absent, source=source, changed_by=by,
    )


def _touch_if_today(station_id: int, day: date) -> None:
    if day == timezone.localdate():
        board_touch(station_id)  # the board shows today's capacity


@transaction.atomic
def roster_set(
    *, technician: Staff, day: date, planned_hours: Decimal | None, absent: bool, by: Staff
) -> Attendance:
    """Plan a technician's day: ``planned_hours`` (0–24), or ``absent``. When marking absent without hours, the
    planned hours already on the day are kept (they count again if the absence is taken back)."""
    require_editable_day(day)
    require_rostered(technician)
    hours = clean_hours(planned_hours) if planned_hours is not None else None
    if hours is None and not absent:
        raise DomainError(_("Enter the planned hours, or mark the day as absent."), field="planned_hours")
    row = _lock(technician, day)
    if row is None:
        try:
            with transaction.atomic():
                row = Attendance.objects.create(
                    station_id=technician.station_id, technician=technician, day=day,
                    planned_hours=hours if hours is not None else DEFAULT_SHIFT_HOURS, is_absent=absent,
                )
        except IntegrityError:  # the technician started the shift this very moment: change that row instead
            row = _lock(technician, day)
        else:
            _record(row=row, old=(None, None), source=Source.EDIT, by=by)
            _touch_if_today(row.station_id, day)
            return row
    if absent and row.started_at is not None:
        raise DomainError(
            _("%(name)s has already started the shift on this day and cannot be marked absent.") % {"name": technician},
            field="absent",
        )
    old = (row.planned_hours, row.is_absent)
    new = (hours if hours is not None else row.planned_hours, absent)
    if new == old and row.station_id == technician.station_id:
        return row  # nothing changed, nothing to record
    row.planned_hours, row.is_absent = new
    row.station_id = technician.station_id
    row.save(update_fields=["planned_hours", "is_absent", "station"])
    _record(row=row, old=old, source=Source.EDIT, by=by)
    _touch_if_today(row.station_id, day)
    return row


@transaction.atomic
def roster_copy_previous_week(*, station: Station, week: date, by: Staff) -> list[Attendance]:
    """Fill the week of ``week`` (any day of it) from the previous week's plan, for the station's technicians.

    Only days from today on that have no row yet are filled, and only where the same weekday of the previous week has
    one: nothing already planned is overwritten, and days left unset keep the default shift. Returns the new rows."""
    start = week_start(week)
    end = start + timedelta(days=6)
    today = timezone.localdate()
    if end < today:
        raise DomainError(_("This week is in the past: the roster of past days cannot be changed."), field="week")
    people = list(technicians(station).values_list("pk", flat=True))
    previous = {
        (a.technician_id, a.day): a
        for a in Attendance.objects.filter(
            technician_id__in=people, day__gte=start - timedelta(days=7), day__lte=end - timedelta(days=7)
        )
    }
    taken = set(
        Attendance.objects.filter(technician_id__in=people, day__gte=start, day__lte=end).values_list(
            "technician_id", "day"
        )
    )
    created = []
    for tech_id in people:
        for offset in range(7):
            day = start + timedelta(days=offset)
            source = previous.get((tech_id, day - timedelta(days=7)))
            if day < today or (tech_id, day) in taken or source is None:
                continue
            try:
                with transaction.atomic():
                    row = Attendance.objects.create(
                        station=station, technician_id=tech_id, day=day, planned_hours=source.planned_hours,
                        is_absent=source.is_absent,
                    )
            except IntegrityError:  # set meanwhile (a shift started, another lead's edit): never overwrite
                continue
            _record(row=row, old=(None, None), source=Source.COPY, by=by)
            created.append(row)
    if any(row.day == today for row in created):
        board_touch(station.pk)
    return created
