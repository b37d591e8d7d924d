"""The loop receive → analyse → handle → feed back → improve → close, with authority on goodwill and closing."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from complaints.models import CareSettings, Complaint, ComplaintEvent, Escalation
from complaints.services import complaints as svc
from core.errors import AuthorityError, DomainError, TransitionError
from core.models import Notification

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _walk_to_improving(c, by):
    svc.complaint_acknowledge(complaint=c, by=by)
    svc.complaint_analyse(complaint=c, by=by, root_cause="Loose heat shield", responsible_department="workshop")
    svc.complaint_handle(complaint=c, by=by, remedy="Refitted the heat shield")
    svc.complaint_log_contact(complaint=c, by=by, summary="Customer satisfied with the fix", customer_accepts=True)
    svc.complaint_feedback_done(complaint=c, by=by, accepted=True)
    c.refresh_from_db()
    return c


def test_deadlines_follow_the_severity_defaults(new_complaint, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=TZ), tick=False)
    c = new_complaint(severity=3)
    assert c.response_due == datetime(2026, 3, 2, 13, 0, tzinfo=TZ)
    assert c.resolution_due == datetime(2026, 3, 5, 9, 0, tzinfo=TZ)
    assert c.number.startswith("TS")


def test_deadlines_are_configurable_per_station(new_complaint, station, time_machine):
    CareSettings.objects.create(station=station, response_hours_1=2, resolution_hours_1=10)
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=TZ), tick=False)
    c = new_complaint(severity=1)
    assert c.response_due == datetime(2026, 3, 2, 11, 0, tzinfo=TZ)
    assert c.resolution_due == datetime(2026, 3, 2, 19, 0, tzinfo=TZ)


def test_the_whole_loop_records_every_step(new_complaint, alice):
    c = _walk_to_improving(new_complaint(), alice)
    assert c.state == Complaint.State.IMPROVING
    assert c.responded_at is not None
    svc.complaint_close(complaint=c, by=alice, corrective_action="Check heat shields at every service",
                        corrective_owner=alice, corrective_due=date(2026, 4, 1), satisfaction=4)
    c.refresh_from_db()
    assert c.state == Complaint.State.CLOSED and c.satisfaction == 4 and c.closed_by == alice
    kinds = list(c.events.values_list("kind", flat=True))
    assert kinds.count(ComplaintEvent.Kind.TRANSITION) == 5
    assert ComplaintEvent.Kind.CONTACT in kinds and kinds[0] == ComplaintEvent.Kind.CREATED
    assert all(e.by == alice for e in c.events.all())


def test_a_step_cannot_be_skipped(new_complaint, alice):
    c = new_complaint()
    with pytest.raises(TransitionError):
        svc.complaint_handle(complaint=c, by=alice, remedy="x")
    with pytest.raises(TransitionError):
        svc.complaint_close(complaint=c, by=alice, corrective_action="x", corrective_owner=alice,
                            corrective_due=date(2026, 4, 1), satisfaction=3)


def test_analysis_needs_a_root_cause(new_complaint, alice):
    c = new_complaint()
    svc.complaint_acknowledge(complaint=c, by=alice)
    with pytest.raises(DomainError) as err:
        svc.complaint_analyse(complaint=c, by=alice, root_cause=" ", responsible_department="workshop")
    assert err.value.field == "root_cause"


def test_feedback_needs_a_logged_contact(new_complaint, alice):
    c = new_complaint()
    svc.complaint_acknowledge(complaint=c, by=alice)
    svc.complaint_analyse(complaint=c, by=alice, root_cause="x", responsible_department="workshop")
    svc.complaint_handle(complaint=c, by=alice, remedy="y")
    with pytest.raises(DomainError):
        svc.complaint_feedback_done(complaint=c, by=alice, accepted=True)


def test_a_customer_who_does_not_accept_sends_it_back_to_handling(new_complaint, alice):
    c = new_complaint()
    svc.complaint_acknowledge(complaint=c, by=alice)
    svc.complaint_analyse(complaint=c, by=alice, root_cause="x", responsible_department="workshop")
    svc.complaint_handle(complaint=c, by=alice, remedy="y")
    svc.complaint_log_contact(complaint=c, by=alice, summary="Not happy", customer_accepts=False)
    svc.complaint_feedback_done(complaint=c, by=alice, accepted=False)
    c.refresh_from_db()
    assert c.state == Complaint.State.HANDLING


def test_goodwill_within_authority_is_recorded(new_complaint, alice):
    c = new_complaint()
    svc.complaint_acknowledge(complaint=c, by=alice)
    svc.complaint_analyse(complaint=c, by=alice, root_cause="x", responsible_department="workshop")
    svc.complaint_handle(complaint=c, by=alice, remedy="Free wash", goodwill=Decimal("300"))
    c.refresh_from_db()
    assert c.goodwill_amount == Decimal("300") and c.goodwill_approved_by == alice


def test_goodwill_beyond_authority_escalates_to_whoever_may_decide_it(new_complaint, alice, frank):
    c = new_complaint()
    svc.complaint_acknowledge(complaint=c, by=alice)
    svc.complaint_analyse(complaint=c, by=alice, root_cause="x", responsible_department="workshop")
    svc.complaint_handle(complaint=c, by=alice, remedy="New bumper", goodwill=Decimal("3000"))
    c.refresh_from_db()
    assert c.state == Complaint.State.HANDLING and c.goodwill_amount == 0
    assert c.owner == frank  # the front-desk lead may grant up to 5000
    assert c.escalations.get().breach == Escalation.Breach.AUTHORITY
    assert Notification.objects.filter(recipient_staff=frank, channel="in_app").exists()
    svc.complaint_handle(complaint=c, by=frank, remedy="New bumper", goodwill=Decimal("3000"))
    c.refresh_from_db()
    assert c.state == Complaint.State.FEEDBACK and c.goodwill_approved_by == frank


def test_goodwill_beyond_everyones_authority_is_refused(new_complaint, alice):
    c = new_complaint()
    svc.complaint_acknowledge(complaint=c, by=alice)
    svc.complaint_analyse(complaint=c, by=alice, root_cause="x", responsible_department="workshop")
    with pytest.raises(AuthorityError) as err:
        svc.complaint_handle(complaint=c, by=alice, remedy="New car", goodwill=Decimal("5000000"))
    assert err.value.field == "goodwill"


def test_advisor_cannot_close_a_severity_two_complaint(new_complaint, alice, frank):
    c = new_complaint(severity=2)
    svc.complaint_acknowledge(complaint=c, by=alice)
    svc.complaint_analyse(complaint=c, by=alice, root_cause="x", responsible_department="workshop")
    svc.complaint_handle(complaint=c, by=alice, remedy="y")
    svc.complaint_log_contact(complaint=c, by=alice, summary="ok", customer_accepts=True)
    svc.complaint_feedback_done(complaint=c, by=alice, accepted=True)
    c.refresh_from_db()
    # alice may not close severity 2: the complaint went to the nearest person who may (frank, the front-desk lead)
    assert c.owner == frank
    assert c.escalations.get().breach == Escalation.Breach.AUTHORITY
    with pytest.raises(AuthorityError):
        svc.complaint_close(complaint=c, by=alice, corrective_action="x", corrective_owner=alice,
                            corrective_due=date(2026, 4, 1), satisfaction=4)
    svc.complaint_close(complaint=c, by=frank, corrective_action="x", corrective_owner=alice,
                        corrective_due=date(2026, 4, 1), satisfaction=4)
    c.refresh_from_db()
    assert c.state == Complaint.State.CLOSED


def test_technician_cannot_close_complaint(new_complaint, alice, bob):
    c = _walk_to_improving(new_complaint(), alice)
    with pytest.raises(AuthorityError):
        svc.complaint_close(complaint=c, by=bob, corrective_action="x", corrective_owner=alice,
                            corrective_due=date(2026, 4, 1), satisfaction=4)


def test_closing_needs_the_customers_satisfaction(new_complaint, alice):
    c = _walk_to_improving(new_complaint(), alice)
    with pytest.raises(DomainError) as err:
        svc.complaint_close(complaint=c, by=alice, corrective_action="x", corrective_owner=alice,
                            corrective_due=date(2026, 4, 1), satisfaction=None)
    assert err.value.field == "satisfaction"


def test_closing_needs_a_corrective_action_with_owner_and_due_date(new_complaint, alice):
    c = _walk_to_improving(new_complaint(), alice)
    with pytest.raises(DomainError) as err:
        svc.complaint_close(complaint=c, by=alice, corrective_action="x", corrective_owner=None,
                            corrective_due=date(2026, 4, 1), satisfaction=4)
    assert err.value.field == "corrective_owner"


def test_someone_outside_the_chain_cannot_work_the_complaint(new_complaint, make_staff):
    other = make_staff("service_advisor", username="olga")
    c = new_complaint()
    with pytest.raises(TransitionError):
        svc.complaint_acknowledge(complaint=c, by=other)


def test_a_customer_of_another_station_is_refused(new_complaint, other_station):
    from reception.factories import CustomerFactory

    with pytest.raises(DomainError):
        new_complaint(customer=CustomerFactory(station=other_station))
