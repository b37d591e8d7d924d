import pytest

from core.errors import DomainError
from reception.models import WorkOrder
from workshop.models import CHECKLIST, ClockEntry, QualityCheck
from workshop.services.clock import clock_off, clock_on
from workshop.services.quality import order_send_to_qc, quality_check_record, rework_count

pytestmark = pytest.mark.django_db
S = WorkOrder.Status
ALL_TICKED = {code: True for code, _label in CHECKLIST}


@pytest.fixture
def at_qc(dispatched, bob):
    clock_on(line=dispatched, technician=bob)
    clock_off(line=dispatched, technician=bob)
    order = WorkOrder.objects.get(pk=dispatched.order_id)
    assert order.status == S.QUALITY_CHECK
    return order


def test_a_passed_inspection_makes_the_order_ready_for_settlement(at_qc, quinn):
    qc = quality_check_record(order=at_qc, by=quinn, passed=True, checklist=ALL_TICKED, road_test=True, washed=True)
    at_qc.refresh_from_db()
    assert at_qc.status == S.READY
    assert (qc.attempt, qc.result, qc.road_test, qc.washed) == (1, "passed", True, True)


def test_passing_needs_every_checklist_item(at_qc, quinn):
    with pytest.raises(DomainError) as exc:
        quality_check_record(order=at_qc, by=quinn, passed=True, checklist={**ALL_TICKED, "concern_fixed": False})
    assert exc.value.field == "checklist"


def test_a_failed_inspection_needs_a_reason(at_qc, quinn):
    with pytest.raises(DomainError) as exc:
        quality_check_record(order=at_qc, by=quinn, passed=False, checklist={})
    assert exc.value.field == "reason"


def test_the_rework_loop_fail_rework_pass(at_qc, dispatched, bob, quinn):
    quality_check_record(order=at_qc, by=quinn, passed=False, checklist={}, reason="左前轮异响仍在")
    at_qc.refresh_from_db()
    assert at_qc.status == S.IN_PROGRESS
    assert rework_count(order=at_qc) == 1
    entry = clock_on(line=dispatched, technician=bob)
    assert entry.is_rework
    clock_off(line=dispatched, technician=bob)
    at_qc.refresh_from_db()
    assert at_qc.status == S.QUALITY_CHECK
    qc = quality_check_record(order=at_qc, by=quinn, passed=True, checklist=ALL_TICKED)
    assert qc.attempt == 2
    at_qc.refresh_from_db()
    assert at_qc.status == S.READY
    assert rework_count(order=at_qc) == 1
    assert ClockEntry.objects.filter(order=at_qc, is_rework=True).count() == 1


def test_a_technician_may_not_record_the_inspection(at_qc, bob):
    with pytest.raises(DomainError):
        quality_check_record(order=at_qc, by=bob, passed=True, checklist=ALL_TICKED)
    assert not QualityCheck.objects.filter(result="passed").exists() or at_qc.status == S.QUALITY_CHECK


def test_an_order_not_at_quality_check_cannot_be_inspected(dispatched, quinn):
    with pytest.raises(DomainError, match="not waiting"):
        quality_check_record(order=dispatched.order, by=quinn, passed=True, checklist=ALL_TICKED)


def test_the_dispatcher_can_send_work_to_qc_but_not_while_a_clock_runs(dispatched, bob, dispatcher):
    clock_on(line=dispatched, technician=bob)
    with pytest.raises(DomainError, match="still clocked"):
        order_send_to_qc(order=dispatched.order, by=dispatcher)
    clock_off(line=dispatched, technician=bob)
    assert WorkOrder.objects.get(pk=dispatched.order_id).status == S.QUALITY_CHECK


def test_the_transition_table_itself_refuses_qc_while_additional_work_awaits_the_customer(
    dispatched, bob, dispatcher, labour_op
):
    from reception.services.workflow import work_order_transition
    from workshop.services.findings import finding_create

    clock_on(line=dispatched, technician=bob)
    finding_create(order=dispatched.order, by=bob, description="漏油", labour_operation=labour_op)
    clock_off(line=dispatched, technician=bob)
    with pytest.raises(DomainError, match="awaits the customer"):
        work_order_transition(order=dispatched.order, to=S.QUALITY_CHECK, by=dispatcher)
