"""The demo's customer care: the follow-up call made on its due day, complaints walked through their states, a crisis
and an overdue complaint, reminders for tomorrow's appointments.

Services used: ``complaints.services.followups`` (``followup_record_survey``, ``followup_record_attempt``,
``followups_expire``), ``complaints.services.complaints`` (``complaint_create``, ``complaint_acknowledge``,
``complaint_analyse``, ``complaint_handle``, ``complaint_log_contact``, ``complaint_feedback_done``,
``complaint_close``, ``complaint_check_deadlines``), ``complaints.services.reminders``
(``appointment_reminders_due``, ``appointment_remind``).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from complaints.models import Complaint, FollowUpCall
from complaints.services import complaints as svc
from complaints.services.followups import followup_record_attempt, followup_record_survey, followups_expire
from complaints.services.reminders import appointment_remind, appointment_reminders_due
from demo import data as D
from demo.base import DemoContext
from org.models import Position, Staff
from reception.models import WorkOrder

CS = Complaint.State
WALK = [CS.RECEIVED, CS.ANALYSING, CS.HANDLING, CS.FEEDBACK, CS.IMPROVING, CS.CLOSED]


def caller(ctx: DemoContext, station) -> Staff:
    return ctx.first(station, Position.CUSTOMER_RELATIONS, Position.FRONT_DESK_LEAD)


def call_story(order: WorkOrder, *, by: Staff, manager: Staff) -> Iterator[datetime]:
    """The follow-up call, made on its due day (most inside the window, a few slip past it); a survey that opens a
    complaint is then worked: the older ones closed, the recent ones in progress."""
    call = FollowUpCall.objects.filter(order=order).first()
    if call is None:
        return
    rng = random.Random(order.pk)
    fate = rng.choices(["survey", "no_answer", "wrong_number", "refused", "leave"], [70, 12, 3, 3, 12])[0]
    if fate == "leave":
        return
    # Calls fall due at 09:00 on the last working day inside the window: most are made that day during working hours,
    # a few the next day (past the window).
    yield call.due_at + timedelta(hours=rng.choice([0.5, 1, 2, 3, 4, 5, 7, 25]))
    if fate != "survey":
        followup_record_attempt(call=call, by=by, outcome=fate)
        return
    overall = rng.choices([5, 4, 3, 2, 1], [60, 28, 9, 2, 1])[0]
    fixed = rng.random() > 0.03
    followup_record_survey(
        call=call, by=by, overall=overall,
        perceptions={d: max(1, min(5, overall + rng.choice([-1, 0, 0, 1]))) for d in D.DIMENSIONS},
        expectations={d: rng.choice([4, 5]) for d in D.DIMENSIONS} if rng.random() < 0.5 else {},
        would_recommend=overall >= 4, problem_fixed=fixed,
        comments=rng.choice(D.COMMENTS_BAD if overall <= 2 or not fixed else D.COMMENTS_GOOD),
    )
    call.refresh_from_db()
    if call.complaint_id:
        complaint = call.complaint
        yield from walk(complaint, owner=complaint.owner or by, target=CS.CLOSED, closer=manager,
                        start=timezone.now(), step=timedelta(hours=2), close_after=timedelta(days=3))


def walk(c: Complaint, *, owner: Staff, target: str, closer: Staff, start: datetime, step: timedelta,
         close_after: timedelta) -> Iterator[datetime]:
    """Move a complaint up to ``target``, one step every ``step`` (closing ``close_after`` the receipt)."""
    reach = WALK.index(target)
    if reach >= 1:
        yield start + step
        svc.complaint_acknowledge(complaint=c, by=owner)
    if reach >= 2:
        yield start + 2 * step
        svc.complaint_analyse(complaint=c, by=owner, root_cause="交车前沟通不足，未按流程复核",
                              responsible_department="front_desk", responsible_person=c.staff_involved)
    if reach >= 3:
        yield start + 3 * step
        svc.complaint_handle(complaint=c, by=owner, remedy="致电道歉，免费复检并赠送一次洗车", goodwill=Decimal("200"))
    if reach >= 4:
        yield start + 4 * step
        svc.complaint_log_contact(complaint=c, by=owner, summary="已向客户说明处理结果，客户表示接受", customer_accepts=True)
        svc.complaint_feedback_done(complaint=c, by=owner, accepted=True)
    if reach >= 5:
        yield max(start + close_after, start + 5 * step)
        c.refresh_from_db()
        svc.complaint_close(complaint=c, by=closer, corrective_action="交车前增加结算复核一步，晨会通报",
                            corrective_owner=owner, corrective_due=timezone.localdate() + timedelta(days=14),
                            satisfaction=4)


def seed_stories(ctx: DemoContext, play) -> None:
    """Complaints in every state, a crisis still open and an overdue one the beat task has escalated (once)."""
    for station in ctx.stations:
        if Complaint.objects.filter(station=station).exclude(source=Complaint.Source.FOLLOW_UP).exists():
            continue
        orders = list(WorkOrder.objects.filter(station=station, status=WorkOrder.Status.DELIVERED)
                      .select_related("customer", "vehicle", "advisor").order_by("pk")[:40])
        if not orders:
            continue
        rng = random.Random(f"complaints-{station.code}")
        advisor = ctx.station_staff(station, Position.SERVICE_ADVISOR)[0]
        lead = ctx.first(station, Position.FRONT_DESK_LEAD)
        manager = ctx.first(station, Position.STATION_MANAGER)
        now = play.until
        for index, (target, source, category, severity, subject, words) in enumerate(D.STORIES):
            order = orders[(index * 5) % len(orders)]
            owner = advisor if severity == 1 else lead if severity == 2 else manager
            days_ago = {"received": 0, "analysing": 1, "handling": 2, "feedback": 3, "improving": 5}.get(target, 10 + index)
            received = now - timedelta(days=days_ago, hours=rng.randint(1, 6))
            play.spawn(received, _story(station, order, owner, manager, target, source, category, severity, subject,
                                        words))
        play.spawn(now - timedelta(minutes=30), _crisis(station, orders[-1], lead))
        play.spawn(now - timedelta(days=2), _late(station, orders[len(orders) // 2], advisor))


def _story(station, order, owner, manager, target, source, category, severity, subject, words):
    c = svc.complaint_create(
        by=owner, station=station, customer=order.customer, vehicle=order.vehicle, order=order,
        staff_involved=order.advisor, source=source, category=category, severity=severity, subject=subject,
        description=words, possible_comeback=category == Complaint.Category.COMEBACK,
    )
    yield from walk(c, owner=owner, target=target, closer=manager if severity > 1 else owner, start=timezone.now(),
                    step=timedelta(hours=3), close_after=timedelta(days=2))


def _crisis(station, order, lead):
    svc.complaint_create(
        by=lead, station=station, customer=order.customer, vehicle=order.vehicle, order=order,
        source=Complaint.Source.ONLINE, category=Complaint.Category.QUALITY, severity=3, is_crisis=True,
        subject="客户在社交媒体发布视频：维修后车辆起火", description="视频已被转发上千次，媒体来电询问。",
    )
    yield from ()


def _late(station, order, advisor):
    late = svc.complaint_create(
        by=advisor, station=station, customer=order.customer, vehicle=order.vehicle, order=order,
        source=Complaint.Source.PHONE, category=Complaint.Category.TIME, severity=1,
        subject="预约后到店仍等待一小时", description="客户来电抱怨预约形同虚设。",
    )
    yield late.received_at + timedelta(days=2)  # the beat task looks at it today, past its deadlines
    svc.complaint_check_deadlines(complaint=late)


@transaction.atomic
def seed_reminders() -> None:
    """Calls that ran out expire; tomorrow's appointments get their reminder (each once)."""
    followups_expire()
    for pk in appointment_reminders_due():
        appointment_remind(appointment_id=pk)
