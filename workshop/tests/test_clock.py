from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError
from reception.factories import WorkOrderFactory, WorkOrderLineFactory
from reception.models import WorkOrder, WorkOrderEvent, WorkOrderLine
from workshop.factories import ClockEntryFactory, JobAssignmentFactory
from workshop.models import Attendance, ClockEntry
from workshop.selectors import job_states, technician_hours
from workshop.services.clock import clock_off, clock_on, clock_pause, clock_resume
from workshop.services.dispatch import job_dispatch

pytestmark = pytest.mark.django_db
S = WorkOrder.Status


def test_clocking_on_the_first_job_puts_an_open_order_in_progress(dispatched, bob):
    clock_on(line=dispatched, technician=bob)
    order = WorkOrder.objects.get(pk=dispatched.order_id)
    assert order.status == S.IN_PROGRESS
    assert WorkOrderEvent.objects.filter(order=order, new_status=S.IN_PROGRESS, by=bob).exists()
    assert WorkOrderEvent.objects.filter(order=order, kind="clock_on").exists()


def test_a_technician_cannot_be_clocked_on_two_jobs_at_once(dispatched, bob, dispatcher, bay):
    other = WorkOrderLineFactory(labour=True, order=WorkOrderFactory(signed=True, station=dispatched.order.station))
    job_dispatch(line=other, technicians=[bob], bay=bay, by=dispatcher)
    clock_on(line=dispatched, technician=bob)
    with pytest.raises(DomainError, match="already clocked on"):
        clock_on(line=other, technician=bob)
    assert ClockEntry.objects.filter(technician=bob, ended_at__isnull=True).count() == 1


def test_the_database_also_refuses_a_second_running_clock(dispatched, bob):
    entry = clock_on(line=dispatched, technician=bob)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClockEntryFactory(
            station=entry.station, order=entry.order, line=entry.line, technician=bob, started_at=timezone.now()
        )


def test_a_paused_job_frees_the_technician_for_another(dispatched, bob, dispatcher, bay):
    other = WorkOrderLineFactory(labour=True, order=WorkOrderFactory(signed=True, station=dispatched.order.station))
    job_dispatch(line=other, technicians=[bob], bay=bay, by=dispatcher)
    clock_on(line=dispatched, technician=bob)
    clock_pause(line=dispatched, technician=bob, reason=ClockEntry.End.WAITING_PARTS)
    clock_on(line=other, technician=bob)
    with pytest.raises(DomainError, match="already clocked on"):
        clock_resume(line=dispatched, technician=bob)


def test_pause_and_resume_count_only_the_working_time_exactly(dispatched, bob):
    t0 = timezone.now() - timedelta(hours=4)
    clock_on(line=dispatched, technician=bob, at=t0)
    clock_pause(line=dispatched, technician=bob, reason=ClockEntry.End.WAITING_PARTS, at=t0 + timedelta(minutes=90))
    clock_resume(line=dispatched, technician=bob, at=t0 + timedelta(minutes=135))
    clock_pause(line=dispatched, technician=bob, reason=ClockEntry.End.BREAK, at=t0 + timedelta(minutes=150, seconds=30))
    clock_resume(line=dispatched, technician=bob, at=t0 + timedelta(minutes=160))
    clock_off(line=dispatched, technician=bob, at=t0 + timedelta(minutes=175, seconds=30))
    entries = list(ClockEntry.objects.filter(line=dispatched).order_by("started_at"))
    assert [e.end for e in entries] == ["waiting_parts", "break", "off"]
    seconds = sum(e.seconds for e in entries)
    assert seconds == 90 * 60 + 15 * 60 + 30 + 15 * 60 + 30  # 2 h 1 min
    assert job_states(entries)[dispatched.pk].hours == Decimal("2.02")
    assert job_states(entries)[dispatched.pk].status == "done"


def test_the_pause_needs_a_known_reason(dispatched, bob):
    clock_on(line=dispatched, technician=bob)
    with pytest.raises(DomainError):
        clock_pause(line=dispatched, technician=bob, reason="lunch")


def test_resuming_a_job_that_is_not_paused_is_refused(dispatched, bob):
    with pytest.raises(DomainError, match="not paused"):
        clock_resume(line=dispatched, technician=bob)


def test_clocking_off_a_job_one_is_not_clocked_on_is_refused(dispatched, bob):
    with pytest.raises(DomainError, match="not clocked on"):
        clock_off(line=dispatched, technician=bob)


def test_a_job_not_dispatched_to_the_technician_cannot_be_clocked(line, bob):
    with pytest.raises(DomainError, match="not dispatched to you"):
        clock_on(line=line, technician=bob)


def test_work_cannot_start_on_a_line_the_customer_has_not_approved(order, bob, bay, dispatcher):
    proposed = WorkOrderLineFactory(labour=True, order=order, approval=WorkOrderLine.Approval.PROPOSED,
                                    is_additional=True)
    with pytest.raises(DomainError, match="not approved this line yet"):
        job_dispatch(line=proposed, technicians=[bob], bay=bay, by=dispatcher)
    # A job row from before the dispatch rule (or written around it): the clock still refuses.
    JobAssignmentFactory(line=proposed, technician=bob, bay=bay, assigned_by=dispatcher)
    with pytest.raises(DomainError, match="not approved"):
        clock_on(line=proposed, technician=bob)
    assert not ClockEntry.objects.exists()


def test_a_line_at_quality_check_cannot_be_clocked(dispatched, bob):
    WorkOrder.objects.filter(pk=dispatched.order_id).update(status=S.QUALITY_CHECK)
    with pytest.raises(DomainError, match="cannot work on it"):
        clock_on(line=dispatched, technician=bob)


def test_clocking_off_the_last_job_sends_the_order_to_quality_check(dispatched, bob, bob2, dispatcher, bay):
    second = WorkOrderLineFactory(labour=True, order=dispatched.order)
    job_dispatch(line=second, technicians=[bob2], bay=bay, by=dispatcher)
    clock_on(line=dispatched, technician=bob)
    clock_on(line=second, technician=bob2)
    clock_off(line=dispatched, technician=bob)
    assert WorkOrder.objects.get(pk=dispatched.order_id).status == S.IN_PROGRESS
    clock_off(line=second, technician=bob2)
    order = WorkOrder.objects.get(pk=dispatched.order_id)
    assert order.status == S.QUALITY_CHECK
    assert order.work_completed_at is not None


def test_clocking_off_a_paused_job_finishes_it_without_adding_time(dispatched, bob):
    t0 = timezone.now() - timedelta(hours=3)
    clock_on(line=dispatched, technician=bob, at=t0)
    clock_pause(line=dispatched, technician=bob, reason=ClockEntry.End.BREAK, at=t0 + timedelta(hours=1))
    clock_off(line=dispatched, technician=bob)
    entry = ClockEntry.objects.get(line=dispatched)
    assert entry.end == "off"
    assert entry.seconds == 3600


def test_clocking_on_starts_the_shift_when_it_was_not_started(dispatched, bob):
    clock_on(line=dispatched, technician=bob)
    assert Attendance.objects.get(technician=bob, day=timezone.localdate()).started_at is not None


def test_hours_clocked_and_sold_this_week(dispatched, bob, bob2, dispatcher, bay):
    job_dispatch(line=dispatched, technicians=[bob, bob2], bay=bay, by=dispatcher)
    # Two hours before 10:00 local today: inside this week even on a Monday (just after midnight it would not be).
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time(8)))
    clock_on(line=dispatched, technician=bob, at=start)
    clock_on(line=dispatched, technician=bob2, at=start)
    clock_off(line=dispatched, technician=bob, at=start + timedelta(minutes=45))
    clock_off(line=dispatched, technician=bob2, at=start + timedelta(minutes=60))
    today = timezone.localdate()
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        hours = technician_hours(technician=bob, start=today - timedelta(days=today.weekday()), end=today)
    assert hours.clocked == Decimal("0.75")
    assert hours.sold == Decimal("1.00")  # 2.00 sold hours shared by two technicians
