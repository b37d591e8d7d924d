"""Shifts left open: a technician who started a shift and never ended it.

Such a shift counts as attended up to the end of its day at most (``workshop.models.Attendance.counted_until``), which
is still too much when the technician left at 17:00. The nightly rollup tells the station's workshop leads once per
shift (in-app, ``core.notifications``), and the KPI workshop board lists them, so the shift end is corrected — the correction marks the day dirty and the
next rollup restates it.
"""

from __future__ import annotations

import logging
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from core.notifications import notification_send
from org.models import Position, Staff
from workshop.models import Attendance

logger = logging.getLogger(__name__)


def unclosed_shifts(*, since: date, until: date, station_ids: list[int] | None = None):
    """Shifts of the days [since, until] started and never ended (of the stations, or all)."""
    qs = Attendance.objects.filter(day__gte=since, day__lte=until, started_at__isnull=False,
                                   ended_at__isnull=True).select_related("technician").order_by("day", "pk")
    return qs if station_ids is None else qs.filter(station_id__in=station_ids)


def unclosed_shifts_flag(*, since: date, until: date) -> int:
    """Notify each station's workshop leads of the open shifts of [since, until] (days that have ended), once per
    shift and lead (the notification key). Returns the notifications recorded or found."""
    shifts = list(unclosed_shifts(since=since, until=until))
    if not shifts:
        return 0
    leads: dict[int, list[Staff]] = {}
    for person in Staff.objects.filter(station_id__in={a.station_id for a in shifts}, is_active=True,
                                       position=Position.WORKSHOP_LEAD):
        leads.setdefault(person.station_id, []).append(person)
    sent = 0
    for shift in shifts:
        name = shift.technician.display_name or shift.technician.username
        values = {"name": name, "day": shift.day.isoformat(),
                  "start": timezone.localtime(shift.started_at).strftime("%H:%M")}
        for lead in leads.get(shift.station_id, []):
            try:
                notification_send(
                    channel="in_app", to_staff=lead,
                    subject=_("Shift not ended: %(name)s on %(day)s") % values,
                    body=_("%(name)s started a shift on %(day)s at %(start)s and never ended it. Until the shift end "
                           "is entered, the hours attended count to the end of that day.") % values,
                    related=shift, key=f"unclosed-shift:{shift.pk}:{lead.pk}",
                )
                sent += 1
            except Exception:  # a failed notice must not stop the rollup
                logger.exception("unclosed shift notification failed")
    return sent
