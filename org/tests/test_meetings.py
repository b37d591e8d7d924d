"""Meetings (issue 19, item 5): minutes with the people of the station, actions with an owner and a due date told to
the owner, done by the owner or a manager only, the open ones on the meetings page overdue first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.models import Notification
from org import meetings
from org.models import Meeting, MeetingAction

pytestmark = pytest.mark.django_db


def _meeting(station, chair, people=(), **kw):
    return meetings.meeting_record(station=station, kind=kw.pop("kind", Meeting.Kind.QUALITY),
                                   held_at=kw.pop("held_at", timezone.now() - timedelta(hours=1)), chaired_by=chair,
                                   attendees=people, minutes=kw.pop("minutes", "返修率上升，讨论原因。"), by=chair)


def test_a_meeting_takes_only_this_stations_people_and_needs_minutes(station, carol, bob, mallory):
    with pytest.raises(DomainError) as exc:
        _meeting(station, carol, [bob, mallory])
    assert exc.value.field == "attendees"
    with pytest.raises(DomainError) as exc:
        _meeting(station, carol, [bob], minutes="  ")
    assert exc.value.field == "minutes"
    with pytest.raises(DomainError) as exc:
        _meeting(station, carol, [bob], held_at=timezone.now() + timedelta(hours=2))
    assert exc.value.field == "held_at"
    meeting = _meeting(station, carol, [bob])
    assert set(meeting.attendees.values_list("pk", flat=True)) == {carol.pk, bob.pk}  # the chair attended


def test_an_action_is_told_to_its_owner_and_closed_by_the_owner_or_a_manager_only(station, carol, bob, alice):
    meeting = _meeting(station, carol, [bob, alice])
    today = timezone.localdate()
    action = meetings.meeting_action_add(meeting=meeting, description="复查返修车辆的制动系统", owner=bob,
                                         due_on=today + timedelta(days=3), by=carol)
    note = Notification.objects.get(key=f"meeting-action:{action.pk}")
    assert (note.recipient_staff_id, note.body) == (bob.pk, "复查返修车辆的制动系统")
    with pytest.raises(DomainError):
        meetings.meeting_action_done(action=action, by=alice)  # an advisor, not the owner
    done = meetings.meeting_action_done(action=action, note="已完成，3台车已复查", by=bob)
    assert (done.done_by_id, done.done_note) == (bob.pk, "已完成，3台车已复查")
    with pytest.raises(DomainError):
        meetings.meeting_action_done(action=action, by=carol)
    other = meetings.meeting_action_add(meeting=meeting, description="更新质量看板", owner=alice, due_on=today,
                                        by=carol)
    assert meetings.meeting_action_done(action=other, by=carol).done_by_id == carol.pk  # the manager may
    with pytest.raises(DomainError) as exc:
        meetings.meeting_action_add(meeting=meeting, description="x", owner=bob,
                                    due_on=meeting.held_at.date() - timedelta(days=1), by=carol)
    assert exc.value.field == "due_on"


def test_the_meetings_page_lists_open_actions_overdue_first(client_as, station, carol, bob):
    meeting = _meeting(station, carol, [bob], held_at=timezone.now() - timedelta(days=10))
    today = timezone.localdate()
    later = meetings.meeting_action_add(meeting=meeting, description="下周培训新人", owner=bob,
                                        due_on=today + timedelta(days=5), by=carol)
    late = meetings.meeting_action_add(meeting=meeting, description="整理工具柜", owner=bob,
                                       due_on=today - timedelta(days=2), by=carol)
    closed = meetings.meeting_action_add(meeting=meeting, description="已关闭的事项", owner=bob, due_on=today, by=carol)
    meetings.meeting_action_done(action=closed, by=bob)
    html = client_as(bob).get(reverse("org:meetings")).content.decode()
    block = html.split('id="open-actions"')[1].split("</ul>")[0]
    assert block.index("整理工具柜") < block.index("下周培训新人")
    assert "已关闭的事项" not in block
    assert f'data-action="{late.pk}"' in block and f'data-action="{later.pk}"' in block


def test_a_technician_reads_the_minutes_but_cannot_add_an_action(client_as, station, carol, bob):
    meeting = _meeting(station, carol, [bob])
    client = client_as(bob)
    assert "返修率上升" in client.get(reverse("org:meeting", args=[meeting.pk])).content.decode()
    response = client.post(reverse("org:meeting", args=[meeting.pk]),
                           {"description": "x", "owner": bob.pk, "due_on": "2030-01-01"})
    assert response.status_code == 403
    assert not MeetingAction.objects.exists()


def test_recording_a_meeting_in_the_browser_form_refuses_empty_minutes_at_the_field(client_as, station, carol, bob):
    client = client_as(carol)
    data = {"kind": "morning", "held_at": "2026-01-05T08:30", "chaired_by": carol.pk, "attendees": [bob.pk],
            "minutes": ""}
    response = client.post(reverse("org:meeting_new"), data)
    assert response.status_code == 400 and not Meeting.objects.exists()
    data["minutes"] = "今日进厂 32 台，预约 12 台。"
    response = client.post(reverse("org:meeting_new"), data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("org:meeting", args=[meeting.pk])
    assert (meeting.kind, meeting.recorded_by_id) == ("morning", carol.pk)
