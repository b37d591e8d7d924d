from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import DomainError
from reception.factories import WorkOrderFactory
from reception.models import WorkOrder, WorkOrderEvent, WorkOrderLine
from workshop.factories import JobAssignmentFactory
from workshop.models import Finding
from workshop.selectors import recommendations
from workshop.services.clock import clock_off, clock_on
from workshop.services.dispatch import job_dispatch
from workshop.services.findings import finding_create, finding_decide

pytestmark = pytest.mark.django_db
Approval = WorkOrderLine.Approval

def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


@pytest.fixture
def finding(dispatched, bob, labour_op, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return finding_create(
        order=dispatched.order, by=bob, description="前刹车片磨损到极限", labour_operation=labour_op,
        found_on=dispatched, photos=[SimpleUploadedFile("pads.png", PNG, content_type="image/png")],
    )


def test_a_finding_proposes_an_additional_line_priced_from_the_catalogue(finding, labour_op):
    line = finding.lines.get()
    assert (line.approval, line.is_additional, line.kind) == (Approval.PROPOSED, True, "labour")
    assert line.hours == Decimal("1.20")
    assert line.unit_price == labour_op.rate_customer
    assert finding.photos.count() == 1
    assert finding.decision == Finding.Decision.PENDING
    assert WorkOrderEvent.objects.filter(order=finding.order, kind="additional_work").exists()


def test_a_finding_needs_a_proposed_line(dispatched, bob):
    with pytest.raises(DomainError, match="Propose"):
        finding_create(order=dispatched.order, by=bob, description="噪音")


def test_work_cannot_start_on_a_finding_before_the_customer_approves(finding, bob, dispatcher, bay):
    proposed = finding.lines.get()
    with pytest.raises(DomainError, match="not approved this line yet"):
        job_dispatch(line=proposed, technicians=[bob], bay=bay, by=dispatcher)
    JobAssignmentFactory(line=proposed, technician=bob, bay=bay, assigned_by=dispatcher)
    with pytest.raises(DomainError, match="not approved"):
        clock_on(line=proposed, technician=bob)


def test_approval_records_channel_time_and_who_and_lets_work_start(finding, alice, bob, dispatcher, bay):
    finding_decide(finding=finding, approve=True, channel="phone", by=alice)
    finding.refresh_from_db()
    line = finding.lines.get()
    assert line.approval == Approval.APPROVED
    assert (finding.decision, finding.channel, finding.decided_by) == ("approved", "phone", alice)
    assert finding.customer_answered_at is not None
    assert WorkOrderEvent.objects.filter(order=finding.order, kind="additional_work_decision", by=alice).exists()
    job_dispatch(line=line, technicians=[bob], bay=bay, by=dispatcher)
    assert clock_on(line=line, technician=bob).pk


def test_approval_makes_a_new_estimate_version_when_reception_provides_it(finding, alice):
    from reception.models import EstimateVersion  # the front desk's model; skip if not there yet

    finding_decide(finding=finding, approve=True, channel="in_person", by=alice)
    version = EstimateVersion.objects.filter(order=finding.order).order_by("-number").first()
    assert version is not None and version.approval_channel == "in_person"


def test_approving_one_finding_leaves_another_awaiting_its_answer(finding, dispatched, bob, alice, labour_op):
    second = finding_create(order=dispatched.order, by=bob, description="雨刮老化", labour_operation=labour_op)
    finding_decide(finding=finding, approve=True, channel="phone", by=alice)
    assert second.lines.get().approval == Approval.PROPOSED


def test_a_declined_finding_stays_on_the_vehicle_as_a_recommendation(finding, alice, station):
    finding_decide(finding=finding, approve=False, channel="message", by=alice, note="下次再做")
    assert finding.lines.get().approval == Approval.DECLINED
    next_visit = WorkOrderFactory(signed=True, station=station, vehicle=finding.vehicle,
                                  customer=finding.order.customer)
    assert list(recommendations(vehicle_ids=[next_visit.vehicle_id])) == [finding]


def test_a_decision_is_recorded_only_once_and_needs_a_channel(finding, alice):
    with pytest.raises(DomainError) as exc:
        finding_decide(finding=finding, approve=True, channel="", by=alice)
    assert exc.value.field == "channel"
    finding_decide(finding=finding, approve=False, channel="phone", by=alice)
    with pytest.raises(DomainError, match="already recorded"):
        finding_decide(finding=finding, approve=True, channel="phone", by=alice)


def test_a_pending_finding_holds_the_order_back_from_quality_check(finding, dispatched, bob, alice):
    clock_on(line=dispatched, technician=bob)
    clock_off(line=dispatched, technician=bob)
    assert WorkOrder.objects.get(pk=dispatched.order_id).status == WorkOrder.Status.IN_PROGRESS
