"""Meetings and their follow-up actions (会议纪要与跟进事项): the minutes of the station's morning and quality meetings,
and the actions decided there, each with an owner and a due date, told to the owner and done by them (or by a
manager) with who and when. The meetings page lists every open action, overdue first."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.notifications import notification_send
from org import permissions as perm
from org.models import Meeting, MeetingAction, Staff, Station


def _station_people(station: Station, people, field: str) -> None:
    if any(person.station_id != station.pk for person in people):
        raise DomainError(_("Choose staff members of this station."), field=field)


@transaction.atomic
def meeting_record(*, station: Station, kind: str, held_at: datetime, chaired_by: Staff, attendees, minutes: str,
                   by: Staff) -> Meeting:
    attendees = list(attendees)
    _station_people(station, [chaired_by], "chaired_by")
    _station_people(station, attendees, "attendees")
    if held_at > timezone.now():
        raise DomainError(_("Record a meeting once it has been held."), field="held_at")
    minutes = (minutes or "").strip()
    if not minutes:
        raise DomainError(_("Write the minutes: what was discussed and decided."), field="minutes")
    meeting = Meeting.objects.create(station=station, kind=kind, held_at=held_at, chaired_by=chaired_by,
                                     minutes=minutes, recorded_by=by)
    meeting.attendees.set({p.pk for p in attendees} | {chaired_by.pk})
    return meeting


@transaction.atomic
def meeting_action_add(*, meeting: Meeting, description: str, owner: Staff, due_on: date, by: Staff) -> MeetingAction:
    _station_people(meeting.station, [owner], "owner")
    description = (description or "").strip()
    if not description:
        raise DomainError(_("Say what is to be done."), field="description")
    if due_on < meeting.held_at.date():
        raise DomainError(_("The due date cannot be before the meeting."), field="due_on")
    action = MeetingAction.objects.create(meeting=meeting, station=meeting.station, description=description[:300],
                                          owner=owner, due_on=due_on, created_by=by)
    notification_send(channel="in_app", to_staff=owner, related=action, key=f"meeting-action:{action.pk}",
                      subject=_("Action from the %(meeting)s, due %(due)s") % {
                          "meeting": meeting.get_kind_display(), "due": due_on.isoformat()},
                      body=action.description)
    return action


def may_close(action: MeetingAction, user: Staff) -> bool:
    return action.owner_id == user.pk or perm.has_action(user, perm.MEETINGS_MANAGE)


@transaction.atomic
def meeting_action_done(*, action: MeetingAction, note: str = "", by: Staff) -> MeetingAction:
    action = MeetingAction.objects.select_for_update().get(pk=action.pk)
    if not may_close(action, by):
        raise DomainError(_("Only the owner of an action or a manager marks it done."))
    if action.done_at is not None:
        raise DomainError(_("This action is already done."))
    action.done_at, action.done_by, action.done_note = timezone.now(), by, (note or "").strip()[:300]
    action.save(update_fields=["done_at", "done_by", "done_note"])
    return action


def open_actions(station: Station, *, limit: int = 100) -> list[MeetingAction]:
    """The station's open actions, the most overdue first (the (station, done_at, due_on) index)."""
    rows = MeetingAction.objects.filter(station=station, done_at__isnull=True)
    return list(rows.select_related("owner", "meeting").order_by("due_on", "id")[:limit])


def recent_meetings(station: Station, *, kind: str = "", limit: int = 30) -> list[Meeting]:
    rows = Meeting.objects.filter(station=station)
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.select_related("chaired_by").order_by("-held_at", "-id")[:limit])
