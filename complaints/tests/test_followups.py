"""Follow-up calls: opened by delivery, one per order, retries, expiry, survey, and a negative survey → complaint."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError

from complaints import tasks
from complaints.factories import FollowUpCallFactory
from complaints.models import Complaint, FollowUpCall, SurveyResponse
from complaints.services import followups as svc
from core.errors import TransitionError
from core.registry import registry
from reception.factories import WorkOrderFactory
from reception.models import WorkOrder
from reception.services.workflow import work_order_transition

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 17, 0, tzinfo=TZ)
GOOD = {"tangibles": 5, "reliability": 5, "responsiveness": 4, "assurance": 5, "empathy": 5}


def test_delivering_an_order_opens_one_follow_up_call_due_within_three_days(station, alice, time_machine, monkeypatch):
    key = (WorkOrder.Status.SETTLED, WorkOrder.Status.DELIVERED)
    assert svc.followup_create_for_order in [h.fn for h in registry.after_for("work_order", *key)]
    # Other apps' delivery guards (checklist, payment) are theirs to test: only the after-hook is under test here.
    monkeypatch.setitem(registry.guards["work_order"], key, [])
    time_machine.move_to(T0, tick=False)
    order = WorkOrderFactory(station=station, advisor=alice, status=WorkOrder.Status.SETTLED)
    work_order_transition(order=order, to=WorkOrder.Status.DELIVERED, by=alice)
    call = FollowUpCall.objects.get(order=order)
    # 72 h after a 17:00 delivery is 17:00 on 03-05, before that day's working hours end: due 03-04 at opening
    assert call.due_at == datetime(2026, 3, 4, 9, 0, tzinfo=TZ)
    assert call.expires_at == T0 + timedelta(days=15)
    assert call.advisor == alice and call.status == FollowUpCall.Status.PENDING


def test_creating_the_call_twice_gives_the_same_call(delivered_order, alice):
    first = svc.followup_create_for_order(order=delivered_order, by=alice)
    assert svc.followup_create_for_order(order=delivered_order, by=alice) == first
    assert FollowUpCall.objects.count() == 1


def test_the_database_allows_one_call_per_order(delivered_order, alice):
    call = svc.followup_create_for_order(order=delivered_order, by=alice)
    with pytest.raises(IntegrityError):
        FollowUpCallFactory(
            station=call.station, order=delivered_order, customer=call.customer, delivered_at=call.delivered_at,
            due_at=call.due_at, next_attempt_at=call.due_at, expires_at=call.expires_at,
        )


def test_no_answer_schedules_a_retry(delivered_order, care, time_machine):
    time_machine.move_to(T0, tick=False)
    call = svc.followup_create_for_order(order=delivered_order)
    call = svc.followup_record_attempt(call=call, by=care, outcome="no_answer")
    assert call.status == FollowUpCall.Status.PENDING
    # 4 h after 17:00 is after working hours: the retry is at the next opening
    assert call.attempts == 1 and call.next_attempt_at == datetime(2026, 3, 3, 9, 0, tzinfo=TZ)


@pytest.mark.parametrize("outcome", ["reached", "wrong_number", "refused"])
def test_other_outcomes_end_the_call(delivered_order, care, outcome):
    call = svc.followup_create_for_order(order=delivered_order)
    call = svc.followup_record_attempt(call=call, by=care, outcome=outcome)
    assert call.status == outcome and call.completed_by == care
    with pytest.raises(TransitionError):
        svc.followup_record_attempt(call=call, by=care, outcome="reached")


def test_expiry_runs_twice_and_expires_once(delivered_order, time_machine):
    time_machine.move_to(T0, tick=False)
    delivered_order.delivered_at = T0
    call = svc.followup_create_for_order(order=delivered_order)
    time_machine.move_to(T0 + timedelta(days=15, minutes=1), tick=False)
    assert tasks.expire_follow_ups() == 1
    assert tasks.expire_follow_ups() == 0
    call.refresh_from_db()
    assert call.status == FollowUpCall.Status.EXPIRED


def test_a_good_survey_keeps_every_raw_answer_and_opens_no_complaint(delivered_order, care):
    call = svc.followup_create_for_order(order=delivered_order)
    response = svc.followup_record_survey(
        call=call, by=care, overall=5, perceptions=GOOD, expectations={"tangibles": 4}, would_recommend=True,
        problem_fixed=True, comments="很好",
    )
    assert response.answers.count() == 5
    assert response.answers.get(dimension="tangibles").expectation == 4
    assert response.raw["perception"] == GOOD
    call.refresh_from_db()
    assert call.status == FollowUpCall.Status.REACHED
    assert not Complaint.objects.exists()


def test_a_low_score_opens_a_complaint_by_itself(delivered_order, care):
    call = svc.followup_create_for_order(order=delivered_order)
    svc.followup_record_survey(call=call, by=care, overall=2, perceptions=GOOD, problem_fixed=True)
    complaint = Complaint.objects.get()
    assert complaint.source == Complaint.Source.FOLLOW_UP and complaint.order == delivered_order
    assert not complaint.possible_comeback


def test_problem_not_fixed_opens_a_complaint_and_flags_a_possible_comeback(delivered_order, care):
    call = svc.followup_create_for_order(order=delivered_order)
    svc.followup_record_survey(call=call, by=care, overall=4, perceptions=GOOD, problem_fixed=False,
                               comments="还是有异响")
    complaint = Complaint.objects.get()
    call.refresh_from_db()
    assert complaint.possible_comeback and call.possible_comeback and call.complaint == complaint
    assert complaint.category == Complaint.Category.COMEBACK
    assert "还是有异响" in complaint.description


def test_one_survey_per_call(delivered_order, care):
    call = svc.followup_create_for_order(order=delivered_order)
    svc.followup_record_survey(call=call, by=care, overall=5, perceptions=GOOD)
    with pytest.raises(TransitionError):
        svc.followup_record_survey(call=call, by=care, overall=5, perceptions=GOOD)
    assert SurveyResponse.objects.count() == 1
