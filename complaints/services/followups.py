"""Follow-up calls (回访) after delivery and the satisfaction survey (满意度调查) taken on them.

Delivery opens one call per work order (an ``after`` hook in reception's transition table). A low score or "problem
not fixed" opens a complaint by itself and flags a possible comeback for the workshop.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import CallAttempt, Complaint, FollowUpCall, SurveyAnswer, SurveyResponse
from complaints.services.complaints import care_settings, complaint_create
from core.errors import DomainError, TransitionError
from core.registry import registry
from org.models import Staff
from reception.models import WorkOrder

Outcome = CallAttempt.Outcome
Status = FollowUpCall.Status
DIMENSIONS = [value for value, _label in SurveyAnswer.Dimension.choices]
LOW_SCORE = 2  # overall ≤ this opens a complaint


# Customer care calls in working hours, local time (the station model holds no opening hours of its own).
CALL_OPENING = time(9, 0)
CALL_CLOSING = time(18, 0)


def _at(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def followup_window(station) -> timedelta:
    """How long after delivery the call must be made: the station's care setting, and never longer than the window
    the follow-up KPI counts a call in (回访率, ``kpi.followup_window_days`` when the KPI app provides it)."""
    days = care_settings(station).followup_due_days
    if registry.provided("kpi.followup_window_days"):
        days = min(days, registry.call("kpi.followup_window_days", station_id=station.pk))
    return timedelta(days=max(days, 1))


def followup_due(delivered: datetime, window: timedelta) -> datetime:
    """When the call falls due: the opening time of the last day whose working hours end inside the window (so a
    call made any time in working hours on its due day counts), not before the delivery itself."""
    end = timezone.localtime(delivered + window)
    day = end.date() if end.time() >= CALL_CLOSING else end.date() - timedelta(days=1)
    day = max(day, timezone.localtime(delivered).date())
    return max(_at(day, CALL_OPENING), delivered)


def in_working_hours(moment: datetime) -> datetime:
    """``moment``, or the next opening time when it falls outside working hours."""
    local = timezone.localtime(moment)
    if local.time() < CALL_OPENING:
        return _at(local.date(), CALL_OPENING)
    if local.time() >= CALL_CLOSING:
        return _at(local.date() + timedelta(days=1), CALL_OPENING)
    return moment


def followup_create_for_order(*, order: WorkOrder, by: Staff | None = None) -> FollowUpCall:
    """Open the follow-up call for a delivered order (idempotent: one call per order)."""
    existing = FollowUpCall.objects.filter(order=order).first()
    if existing is not None:
        return existing
    conf = care_settings(order.station)
    delivered = order.delivered_at or timezone.now()
    due = followup_due(delivered, followup_window(order.station))
    call, _created = FollowUpCall.objects.get_or_create(
        order=order,
        defaults={
            "station_id": order.station_id,
            "customer_id": order.customer_id,
            "advisor_id": order.advisor_id,
            "delivered_at": delivered,
            "due_at": due,
            "next_attempt_at": due,
            "expires_at": delivered + timedelta(days=conf.followup_expire_days),
        },
    )
    return call


def _locked(call: FollowUpCall) -> FollowUpCall:
    return FollowUpCall.objects.select_for_update().get(pk=call.pk)


@transaction.atomic
def followup_record_attempt(*, call: FollowUpCall, by: Staff, outcome: str, note: str = "") -> FollowUpCall:
    """One try at calling. No answer schedules a retry; the other outcomes end the call."""
    call = _locked(call)
    if call.status != Status.PENDING:
        raise TransitionError(_("This follow-up call is already finished."))
    if outcome not in Outcome.values:
        raise DomainError(_("Choose an outcome."), field="outcome")
    now = timezone.now()
    CallAttempt.objects.create(call=call, outcome=outcome, note=note.strip(), by=by, at=now)
    call.attempts += 1
    if outcome == Outcome.NO_ANSWER:
        call.next_attempt_at = in_working_hours(now + timedelta(hours=care_settings(call.station).followup_retry_hours))
    else:
        call.status = {Outcome.REACHED: Status.REACHED, Outcome.WRONG_NUMBER: Status.WRONG_NUMBER,
                       Outcome.REFUSED: Status.REFUSED}[outcome]
        call.completed_at = now
        call.completed_by = by
    call.save()
    return call


@transaction.atomic
def followup_record_survey(
    *,
    call: FollowUpCall,
    by: Staff,
    overall: int,
    perceptions: dict[str, int],
    expectations: dict[str, int | None] | None = None,
    would_recommend: bool | None = None,
    problem_fixed: bool | None = None,
    comments: str = "",
) -> SurveyResponse:
    """The customer was reached and answered the survey. Every raw answer is kept.

    A low overall score or "problem not fixed" opens a complaint (source: follow-up call) and, for not fixed,
    flags a possible comeback on the call and the complaint.
    """
    if not 1 <= int(overall) <= 5:
        raise DomainError(_("Overall satisfaction is between 1 and 5."), field="overall")
    expectations = expectations or {}
    for dimension, score in [*perceptions.items(), *((d, s) for d, s in expectations.items() if s is not None)]:
        if dimension not in DIMENSIONS:
            raise DomainError(_("Unknown survey question."))
        if not 1 <= int(score) <= 5:
            raise DomainError(_("Each answer is between 1 and 5."), field=dimension)
    locked = _locked(call)
    if locked.status == Status.PENDING:
        call = followup_record_attempt(call=locked, by=by, outcome=Outcome.REACHED)
    else:
        call = locked
    if call.status != Status.REACHED:
        raise TransitionError(_("A survey is taken only when the customer was reached."))
    if SurveyResponse.objects.filter(call=call).exists():
        raise TransitionError(_("This call already has a survey."))
    raw = {
        "overall": int(overall),
        "perception": {k: int(v) for k, v in perceptions.items()},
        "expectation": {k: int(v) for k, v in expectations.items() if v is not None},
        "would_recommend": would_recommend,
        "problem_fixed": problem_fixed,
        "comments": comments,
    }
    response = SurveyResponse.objects.create(
        station_id=call.station_id,
        call=call,
        customer_id=call.customer_id,
        order_id=call.order_id,
        overall=int(overall),
        would_recommend=would_recommend,
        problem_fixed=problem_fixed,
        comments=comments.strip(),
        raw=raw,
        by=by,
    )
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=response, dimension=d, perception=int(p), expectation=expectations.get(d))
        for d, p in perceptions.items()
    )
    if int(overall) <= LOW_SCORE or problem_fixed is False:
        _open_complaint_from_survey(call=call, response=response, by=by)
    return response


def _open_complaint_from_survey(*, call: FollowUpCall, response: SurveyResponse, by: Staff) -> Complaint:
    order = call.order
    not_fixed = response.problem_fixed is False
    parts = []
    if not_fixed:
        parts.append(_("The customer says the problem was not fixed."))
    if response.overall <= LOW_SCORE:
        parts.append(_("Overall satisfaction %(score)s/5.") % {"score": response.overall})
    if response.comments:
        parts.append(response.comments)
    complaint = complaint_create(
        by=by,
        station=order.station,
        customer=order.customer,
        vehicle=order.vehicle,
        order=order,
        staff_involved=order.advisor,
        source=Complaint.Source.FOLLOW_UP,
        category=Complaint.Category.COMEBACK if not_fixed else Complaint.Category.QUALITY,
        severity=2,
        subject=_("Follow-up call on %(order)s: dissatisfied customer") % {"order": order.number},
        description=" ".join(parts),
        possible_comeback=not_fixed,
    )
    call.complaint = complaint
    call.possible_comeback = not_fixed
    call.save(update_fields=["complaint", "possible_comeback", "updated_at"])
    return complaint


@transaction.atomic
def followups_expire(*, now: datetime | None = None) -> int:
    """Calls nobody completed in the window expire (the beat task; running it twice changes nothing more)."""
    now = now or timezone.now()
    return FollowUpCall.objects.filter(status=Status.PENDING, expires_at__lt=now).update(
        status=Status.EXPIRED, updated_at=now
    )
