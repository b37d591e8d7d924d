import pytest

from core.errors import DomainError
from reception.factories import WorkOrderLineFactory
from reception.models import WorkOrder, WorkOrderEvent, WorkOrderLine
from workshop.factories import BayFactory
from workshop.models import JobAssignment
from workshop.services.clock import clock_on
from workshop.services.dispatch import job_dispatch

pytestmark = pytest.mark.django_db


def test_dispatch_assigns_a_line_to_several_technicians_and_a_bay(line, bob, bob2, bay, dispatcher):
    job_dispatch(line=line, technicians=[bob, bob2], bay=bay, by=dispatcher)
    assert set(JobAssignment.objects.filter(line=line).values_list("technician__username", "bay_id")) == {
        ("bob", bay.pk), ("bert", bay.pk)
    }
    assert WorkOrderEvent.objects.filter(order=line.order, kind="dispatch", by=dispatcher).exists()


def test_reassigning_replaces_technicians_and_moves_the_bay(dispatched, bob, bob2, dispatcher, station):
    b2 = BayFactory(station=station, code="A2")
    job_dispatch(line=dispatched, technicians=[bob2], bay=b2, by=dispatcher)
    assert list(JobAssignment.objects.filter(line=dispatched).values_list("technician__username", "bay_id")) == [
        ("bert", b2.pk)
    ]
    assert WorkOrderEvent.objects.filter(order=dispatched.order, kind="reassign").exists()


def test_a_technician_clocked_on_the_job_cannot_be_taken_off_it(dispatched, bob, bob2, bay, dispatcher):
    clock_on(line=dispatched, technician=bob)
    with pytest.raises(DomainError, match="clocked on this job"):
        job_dispatch(line=dispatched, technicians=[bob2], bay=bay, by=dispatcher)


def test_only_technicians_of_the_station_can_be_dispatched(line, alice, bay, dispatcher, make_staff, other_station):
    with pytest.raises(DomainError, match="not an active technician"):
        job_dispatch(line=line, technicians=[alice], bay=bay, by=dispatcher)
    stranger = make_staff("technician", username="stranger", station=other_station)
    with pytest.raises(DomainError):
        job_dispatch(line=line, technicians=[stranger], bay=bay, by=dispatcher)


def test_a_bay_of_another_station_is_refused(line, bob, dispatcher, other_station):
    with pytest.raises(DomainError, match="bay"):
        job_dispatch(line=line, technicians=[bob], bay=BayFactory(station=other_station, code="X"), by=dispatcher)


def test_declined_lines_and_part_lines_are_not_dispatched(order, bob, bay, dispatcher):
    declined = WorkOrderLineFactory(labour=True, order=order, approval=WorkOrderLine.Approval.DECLINED)
    with pytest.raises(DomainError, match="declined"):
        job_dispatch(line=declined, technicians=[bob], bay=bay, by=dispatcher)
    part = WorkOrderLineFactory(labour=True, order=order, kind=WorkOrderLine.Kind.PART)
    with pytest.raises(DomainError, match="labour"):
        job_dispatch(line=part, technicians=[bob], bay=bay, by=dispatcher)


def test_orders_off_the_floor_are_not_dispatched(line, bob, bay, dispatcher):
    WorkOrder.objects.filter(pk=line.order_id).update(status=WorkOrder.Status.READY)
    with pytest.raises(DomainError):
        job_dispatch(line=line, technicians=[bob], bay=bay, by=dispatcher)


def test_dispatch_needs_at_least_one_technician(line, bay, dispatcher):
    with pytest.raises(DomainError) as exc:
        job_dispatch(line=line, technicians=[], bay=bay, by=dispatcher)
    assert exc.value.field == "technicians"
