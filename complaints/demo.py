"""Demo data for customer care: a month of follow-up calls on the delivered demo orders, complaints in every state.

Runs after reception's demo. Idempotent: follow-up calls are one per order and each call's fate is drawn from a
generator seeded with the order's id, so a second run takes the same decisions and finds them already made;
complaints are seeded once per station (skipped when the station has any).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from complaints.models import CallAttempt, Complaint, ComplaintEvent, FollowUpCall, SurveyResponse
from complaints.services import complaints as svc
from complaints.services import followups, reminders
from org.demo import DemoContext
from org.models import Position
from reception.models import WorkOrder

DIMENSIONS = ["tangibles", "reliability", "responsiveness", "assurance", "empathy"]
COMMENTS_GOOD = ["服务很好，谢谢", "顾问很耐心", "交车准时", "", ""]
COMMENTS_BAD = ["异响还在，问题没有解决", "等待时间太长", "价格比预估高", "车内有油污"]

STORIES = [
    # (target state, source, category, severity, subject, words)
    ("received", "phone", "time", 1, "交车比承诺晚了两个小时", "客户来电：说好五点交车，七点才拿到车。"),
    ("analysing", "visit", "price", 2, "结算金额高于报价", "客户到店反映结算比报价多了三百多元，未事先告知。"),
    ("handling", "follow_up", "comeback", 2, "刹车异响未排除", "回访时客户表示刹车异响依旧。"),
    ("feedback", "online", "attitude", 1, "服务顾问态度冷淡", "客户在点评网站留言，顾问接待时不耐烦。"),
    ("improving", "letter", "damage", 2, "车门有新划痕", "客户来信：取车后发现左后门有划痕。"),
    ("closed", "survey", "facility", 1, "休息区空调太冷", "满意度调查中客户提到休息区温度过低。"),
    ("closed", "manufacturer", "quality", 3, "厂家转来：发动机故障灯反复亮起", "厂家客服转来投诉，三次维修未解决。"),
]


def seed(ctx: DemoContext) -> None:
    for station in ctx.stations:
        _seed_calls(ctx, station)
        _seed_complaints(ctx, station)


def _caller(ctx: DemoContext, station):
    return (ctx.station_staff(station, Position.CUSTOMER_RELATIONS) or ctx.station_staff(
        station, Position.FRONT_DESK_LEAD))[0]


@transaction.atomic
def _seed_calls(ctx: DemoContext, station) -> None:
    now = timezone.now()
    caller = _caller(ctx, station)
    orders = WorkOrder.objects.filter(
        station=station, status=WorkOrder.Status.DELIVERED, delivered_at__gte=now - timedelta(days=33)
    ).order_by("pk")
    for order in orders:
        call = followups.followup_create_for_order(order=order, by=caller)
        if call.attempts == 0 and call.status == FollowUpCall.Status.PENDING and call.delivered_at != order.delivered_at:
            # Delivered through the workflow, then back-dated by the reception demo: count from the real delivery.
            conf = svc.care_settings(station)
            call.delivered_at = order.delivered_at
            call.due_at = call.next_attempt_at = order.delivered_at + timedelta(days=conf.followup_due_days)
            call.expires_at = order.delivered_at + timedelta(days=conf.followup_expire_days)
            call.save(update_fields=["delivered_at", "due_at", "next_attempt_at", "expires_at", "updated_at"])
        if call.status != FollowUpCall.Status.PENDING or call.attempts or call.due_at > now:
            continue
        rng = random.Random(order.pk)  # one decision per order, the same on every run
        fate = rng.choices(["survey", "no_answer", "wrong_number", "refused", "leave"], [70, 12, 3, 3, 12])[0]
        if fate == "leave":
            continue
        # Most calls are made on the due day, inside the follow-up window; a few slip past it.
        at = call.due_at + timedelta(hours=rng.choice([-6, -5, -4, -3, -2, -1, -1, 2]))
        if fate == "survey":
            overall = rng.choices([5, 4, 3, 2, 1], [60, 28, 9, 2, 1])[0]
            fixed = rng.random() > 0.03
            perceptions = {d: max(1, min(5, overall + rng.choice([-1, 0, 0, 1]))) for d in DIMENSIONS}
            expectations = {d: rng.choice([4, 5]) for d in DIMENSIONS} if rng.random() < 0.5 else {}
            comments = rng.choice(COMMENTS_BAD if overall <= 2 or not fixed else COMMENTS_GOOD)
            followups.followup_record_survey(
                call=call, by=caller, overall=overall, perceptions=perceptions, expectations=expectations,
                would_recommend=overall >= 4, problem_fixed=fixed, comments=comments,
            )
        else:
            followups.followup_record_attempt(call=call, by=caller, outcome=fate)
        # Put the call (and any complaint it opened) where it happened in the demo month, not at seeding time.
        call.refresh_from_db()
        if call.complaint_id:
            _backdate_complaint(call.complaint, at)
        CallAttempt.objects.filter(call=call).update(at=at)
        SurveyResponse.objects.filter(call=call).update(at=at)
        FollowUpCall.objects.filter(pk=call.pk, completed_at__isnull=False).update(completed_at=at)
        FollowUpCall.objects.filter(pk=call.pk, status=FollowUpCall.Status.PENDING).update(
            next_attempt_at=at + timedelta(hours=4)
        )
    followups.followups_expire(now=now)
    _progress_survey_complaints(ctx, station, now)
    for pk in reminders.appointment_reminders_due(now=now):
        reminders.appointment_remind(appointment_id=pk)


def _backdate_complaint(complaint: Complaint, at) -> None:
    conf = svc.care_settings(complaint.station)
    Complaint.objects.filter(pk=complaint.pk).update(
        received_at=at, response_due=at + conf.response_window(complaint.severity),
        resolution_due=at + conf.resolution_window(complaint.severity),
    )
    ComplaintEvent.objects.filter(complaint=complaint).update(at=at)


def _progress_survey_complaints(ctx: DemoContext, station, now) -> None:
    """Complaints opened by surveys: the older ones have been worked and closed, the recent ones are in progress."""
    manager = ctx.station_staff(station, Position.STATION_MANAGER)[0]
    for complaint in Complaint.objects.filter(
        station=station, source=Complaint.Source.FOLLOW_UP, state=Complaint.State.RECEIVED
    ).order_by("pk"):
        age = now - complaint.received_at
        if age > timedelta(days=4):
            _walk(complaint, owner=complaint.owner, target=Complaint.State.CLOSED, closer=manager)
        elif age > timedelta(days=1):
            _walk(complaint, owner=complaint.owner, target=Complaint.State.HANDLING, closer=manager)
        else:
            continue
        events = list(ComplaintEvent.objects.filter(complaint=complaint).order_by("at", "id"))
        for step, event in enumerate(events):
            event.at = complaint.received_at + timedelta(hours=2 * step)
        ComplaintEvent.objects.bulk_update(events, ["at"])
        Complaint.objects.filter(pk=complaint.pk, responded_at__isnull=False).update(
            responded_at=complaint.received_at + timedelta(hours=2))
        Complaint.objects.filter(pk=complaint.pk, closed_at__isnull=False).update(
            closed_at=complaint.received_at + timedelta(days=3))


@transaction.atomic
def _seed_complaints(ctx: DemoContext, station) -> None:
    if Complaint.objects.filter(station=station).exclude(source=Complaint.Source.FOLLOW_UP).exists():
        return
    orders = list(
        WorkOrder.objects.filter(station=station, status=WorkOrder.Status.DELIVERED)
        .select_related("customer", "vehicle", "advisor")
        .order_by("pk")[:40]
    )
    if not orders:
        return
    rng = random.Random(f"complaints-{station.code}")
    advisor = ctx.station_staff(station, Position.SERVICE_ADVISOR)[0]
    lead = ctx.station_staff(station, Position.FRONT_DESK_LEAD)[0]
    manager = ctx.station_staff(station, Position.STATION_MANAGER)[0]
    now = timezone.now()
    for index, (target, source, category, severity, subject, words) in enumerate(STORIES):
        order = orders[(index * 5) % len(orders)]
        owner = advisor if severity == 1 else lead if severity == 2 else manager
        days_ago = {"received": 0, "analysing": 1, "handling": 2, "feedback": 3, "improving": 5}.get(target, 10 + index)
        received = now - timedelta(days=days_ago, hours=rng.randint(1, 6))
        c = svc.complaint_create(
            by=owner, station=station, customer=order.customer, vehicle=order.vehicle, order=order,
            staff_involved=order.advisor, source=source, category=category, severity=severity, subject=subject,
            description=words, received_at=received, possible_comeback=category == Complaint.Category.COMEBACK,
        )
        _walk(c, owner=owner, target=target, closer=manager if severity > 1 else owner)
        events = list(ComplaintEvent.objects.filter(complaint=c).order_by("at", "id"))
        for step, event in enumerate(events):  # spread the demo timeline over the days since receipt
            event.at = received + timedelta(hours=3 * step)
        ComplaintEvent.objects.bulk_update(events, ["at"])
        Complaint.objects.filter(pk=c.pk, responded_at__isnull=False).update(responded_at=received + timedelta(hours=3))
        Complaint.objects.filter(pk=c.pk, closed_at__isnull=False).update(closed_at=received + timedelta(days=2))
    # One crisis incident, still open, and one overdue complaint that the beat task has escalated.
    order = orders[-1]
    svc.complaint_create(
        by=lead, station=station, customer=order.customer, vehicle=order.vehicle, order=order,
        source=Complaint.Source.ONLINE, category=Complaint.Category.QUALITY, severity=3, is_crisis=True,
        subject="客户在社交媒体发布视频：维修后车辆起火", description="视频已被转发上千次，媒体来电询问。",
    )
    order = orders[len(orders) // 2]
    late = svc.complaint_create(
        by=advisor, station=station, customer=order.customer, vehicle=order.vehicle, order=order,
        source=Complaint.Source.PHONE, category=Complaint.Category.TIME, severity=1,
        subject="预约后到店仍等待一小时", description="客户来电抱怨预约形同虚设。",
        received_at=now - timedelta(days=2),
    )
    svc.complaint_check_deadlines(complaint=late, now=now)


def _walk(c: Complaint, *, owner, target: str, closer) -> None:
    S = Complaint.State
    order = [S.RECEIVED, S.ANALYSING, S.HANDLING, S.FEEDBACK, S.IMPROVING, S.CLOSED]
    reach = order.index(target)
    if reach >= 1:
        svc.complaint_acknowledge(complaint=c, by=owner)
    if reach >= 2:
        svc.complaint_analyse(complaint=c, by=owner, root_cause="交车前沟通不足，未按流程复核", responsible_department="front_desk",
                              responsible_person=c.staff_involved)
    if reach >= 3:
        svc.complaint_handle(complaint=c, by=owner, remedy="致电道歉，免费复检并赠送一次洗车", goodwill=Decimal("200"))
    if reach >= 4:
        svc.complaint_log_contact(complaint=c, by=owner, summary="已向客户说明处理结果，客户表示接受", customer_accepts=True)
        svc.complaint_feedback_done(complaint=c, by=owner, accepted=True)
    if reach >= 5:
        c.refresh_from_db()
        svc.complaint_close(
            complaint=c, by=closer, corrective_action="交车前增加结算复核一步，晨会通报", corrective_owner=owner,
            corrective_due=date.today() + timedelta(days=14), satisfaction=4,
        )
