"""Escalation by deadline (frozen time), by authority and for a crisis; never twice for the same breach."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from complaints import tasks
from complaints.models import ComplaintEvent, Escalation
from complaints.services import complaints as svc
from core.models import Notification

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


def test_nothing_escalates_before_the_deadline(new_complaint, time_machine):
    time_machine.move_to(T0, tick=False)
    new_complaint(severity=1)
    time_machine.move_to(T0 + timedelta(hours=23, minutes=59), tick=False)
    assert tasks.escalate_overdue() == 0


def test_a_missed_response_deadline_escalates_to_the_next_person_up(new_complaint, alice, frank, time_machine):
    time_machine.move_to(T0, tick=False)
    c = new_complaint(severity=1)
    time_machine.move_to(T0 + timedelta(hours=24, minutes=1), tick=False)
    assert tasks.escalate_overdue() == 1
    c.refresh_from_db()
    assert c.owner == frank
    row = c.escalations.get()
    assert (row.breach, row.from_staff, row.to_staff, row.deadline) == ("response", alice, frank, c.response_due)
    assert Notification.objects.filter(recipient_staff=frank, channel="in_app").exists()
    assert c.events.filter(kind=ComplaintEvent.Kind.ESCALATED).count() == 1


def test_running_the_beat_task_twice_escalates_once(new_complaint, time_machine):
    time_machine.move_to(T0, tick=False)
    c = new_complaint(severity=1)
    time_machine.move_to(T0 + timedelta(hours=25), tick=False)
    tasks.escalate_overdue()
    tasks.escalate_overdue()
    assert Escalation.objects.filter(complaint=c).count() == 1


def test_the_database_refuses_a_second_escalation_for_the_same_breach(new_complaint):
    from django.db import IntegrityError

    c = new_complaint()
    Escalation.objects.create(complaint=c, breach="response", deadline=c.response_due)
    with pytest.raises(IntegrityError):
        Escalation.objects.create(complaint=c, breach="response", deadline=c.response_due)


def test_an_unresolved_complaint_climbs_the_chain_one_window_at_a_time(new_complaint, alice, frank, carol,
                                                                       director, time_machine):
    time_machine.move_to(T0, tick=False)
    c = new_complaint(severity=4)  # respond in 1 h, resolve in 24 h
    svc.complaint_acknowledge(complaint=c, by=alice)
    time_machine.move_to(T0 + timedelta(hours=24, minutes=1), tick=False)
    tasks.escalate_overdue()
    c.refresh_from_db()
    assert c.owner == frank
    tasks.escalate_overdue()  # same breach: nothing more
    assert c.escalations.count() == 1
    time_machine.move_to(T0 + timedelta(hours=48, minutes=1), tick=False)
    tasks.escalate_overdue()
    c.refresh_from_db()
    assert c.owner == carol
    time_machine.move_to(T0 + timedelta(hours=72, minutes=1), tick=False)
    tasks.escalate_overdue()
    c.refresh_from_db()
    assert c.owner == director
    assert [e.to_staff for e in c.escalations.all()] == [frank, carol, director]


def test_a_responded_complaint_does_not_escalate_for_response(new_complaint, alice, time_machine):
    time_machine.move_to(T0, tick=False)
    c = new_complaint(severity=1)
    svc.complaint_log_contact(complaint=c, by=alice, summary="Called back")
    time_machine.move_to(T0 + timedelta(hours=30), tick=False)
    assert tasks.escalate_overdue() == 0


def test_a_closed_complaint_never_escalates(new_complaint, alice, time_machine):
    from complaints.models import Complaint

    time_machine.move_to(T0, tick=False)
    c = new_complaint(severity=1)
    Complaint.objects.filter(pk=c.pk).update(state="closed")
    time_machine.move_to(T0 + timedelta(days=30), tick=False)
    assert tasks.escalate_overdue() == 0


def test_a_crisis_goes_straight_to_the_station_manager_and_the_group_director(new_complaint, carol, director):
    c = new_complaint(severity=1, is_crisis=True)
    c.refresh_from_db()
    assert c.is_crisis and c.severity == 4 and c.owner == carol
    assert c.escalations.get().breach == Escalation.Breach.CRISIS
    assert Notification.objects.filter(recipient_staff=director, channel="in_app").exists()
    assert Notification.objects.filter(recipient_staff=carol, channel="in_app").exists()
    svc.complaint_declare_crisis(complaint=c, by=carol)  # twice: nothing more
    assert c.escalations.count() == 1


def test_the_owner_may_hand_a_complaint_to_whoever_may_close_it(new_complaint, alice, carol):
    c = new_complaint(severity=3)
    row = svc.complaint_escalate_for_authority(complaint=c, by=alice)
    c.refresh_from_db()
    assert row.breach == Escalation.Breach.AUTHORITY and c.owner == carol
