from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from parts.factories import PartFactory
from reception.factories import WorkOrderFactory, WorkOrderLineFactory
from reception.models import WorkOrder, WorkOrderLine
from workshop.models import CHECKLIST, ClockEntry, Comeback, Finding, JobAssignment, QualityCheck
from workshop.services.clock import clock_off, clock_on
from workshop.tests.test_findings import PNG

pytestmark = pytest.mark.django_db
S = WorkOrder.Status


def test_the_board_lists_orders_and_refreshes_itself(client_as, dispatcher, dispatched):
    page = client_as(dispatcher).get(reverse("workshop:board")).content.decode()
    assert dispatched.order.number in page
    assert "data-poll" in page and 'hx-trigger="every 30s"' in page
    partial = client_as(dispatcher).get(reverse("workshop:board"), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and dispatched.order.number in partial


def test_tv_mode_hides_the_navigation(client_as, dispatcher, order):
    page = client_as(dispatcher).get(reverse("workshop:board") + "?tv=1").content.decode()
    assert "fullscreen-board" in page and "navbar" not in page


def test_the_dispatcher_dispatches_a_line_by_tapping(client_as, dispatcher, line, bob, bob2, bay):
    response = client_as(dispatcher).post(
        reverse("workshop:dispatch_line", args=[line.pk]), {"technicians": [bob.pk, bob2.pk], "bay": bay.pk}
    )
    assert response.status_code == 302
    assert JobAssignment.objects.filter(line=line).count() == 2


def test_dispatch_errors_show_on_the_form(client_as, dispatcher, line):
    response = client_as(dispatcher).post(reverse("workshop:dispatch_line", args=[line.pk]), {})
    assert response.status_code == 400
    assert response.context["form"].errors["technicians"]
    assert not JobAssignment.objects.filter(line=line).exists()


def test_a_dispatcher_of_another_station_gets_404(client_as, line, make_staff, other_station):
    stranger = make_staff("workshop_lead", username="otherlead", station=other_station)
    assert client_as(stranger).get(reverse("workshop:dispatch_line", args=[line.pk])).status_code == 404


def test_the_technician_clocks_on_pauses_and_off_with_big_buttons(client_as, bob, dispatched):
    client = client_as(bob)
    page = client.get(reverse("workshop:my_jobs")).content.decode()
    assert "Clock on" in page
    url = reverse("workshop:clock", args=[dispatched.pk])
    client.post(url, {"action": "on"})
    assert ClockEntry.objects.filter(technician=bob, ended_at__isnull=True).exists()
    assert "Waiting for parts".lower() in client.get(reverse("workshop:my_jobs")).content.decode().lower()
    client.post(url, {"action": "pause:waiting_parts"})
    assert ClockEntry.objects.get(technician=bob).end == "waiting_parts"
    client.post(url, {"action": "resume"})
    client.post(url, {"action": "off"})
    assert WorkOrder.objects.get(pk=dispatched.order_id).status == S.QUALITY_CHECK


def test_a_refused_clock_action_shows_the_reason(client_as, bob, line):
    response = client_as(bob).post(reverse("workshop:clock", args=[line.pk]), {"action": "on"}, follow=True)
    assert "not dispatched to you" in response.content.decode()


def test_shift_start_and_end(client_as, bob):
    client = client_as(bob)
    client.post(reverse("workshop:shift"), {"action": "start"})
    client.post(reverse("workshop:shift"), {"action": "end"})
    page = client.get(reverse("workshop:my_jobs")).content.decode()
    assert "Shift" in page and "Start shift" not in page


def test_the_technician_records_a_finding_with_a_photo(client_as, bob, dispatched, labour_op, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client = client_as(bob)
    form = client.get(reverse("workshop:finding_create", args=[dispatched.pk])).content.decode()
    assert 'accept="image/*"' in form and 'capture="environment"' in form
    response = client.post(
        reverse("workshop:finding_create", args=[dispatched.pk]),
        {
            "description": "左前减震器漏油", "labour_operation": labour_op.pk, "part_quantity": "1",
            "photos": [SimpleUploadedFile("a.png", PNG, content_type="image/png")],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    finding = Finding.objects.get()
    assert finding.photos.count() == 1
    assert finding.lines.get().approval == WorkOrderLine.Approval.PROPOSED


def test_the_advisor_records_the_customers_decision_from_the_desk_panel(client_as, alice, bob, dispatched, labour_op):
    from workshop.services.findings import finding_create

    finding = finding_create(order=dispatched.order, by=bob, description="雨刮片老化", labour_operation=labour_op)
    client = client_as(alice)
    panel = client.get(reverse("workshop:findings")).content.decode()
    assert "雨刮片老化" in panel
    client.post(reverse("workshop:finding_decide", args=[finding.pk]), {"decision": "decline", "channel": "phone"})
    finding.refresh_from_db()
    assert (finding.decision, finding.channel, finding.decided_by) == ("declined", "phone", alice)


def test_a_technician_may_not_record_the_customers_decision(client_as, bob, dispatched, labour_op):
    from workshop.services.findings import finding_create

    finding = finding_create(order=dispatched.order, by=bob, description="x", labour_operation=labour_op)
    response = client_as(bob).post(
        reverse("workshop:finding_decide", args=[finding.pk]), {"decision": "approve", "channel": "phone"}
    )
    assert response.status_code == 403


def test_the_inspector_fails_then_passes_an_order(client_as, quinn, bob, dispatched):
    clock_on(line=dispatched, technician=bob)
    clock_off(line=dispatched, technician=bob)
    client = client_as(quinn)
    url = reverse("workshop:qc_order", args=[dispatched.order_id])
    response = client.post(url, {"result": "fail", "road_test": "on"})
    assert response.status_code == 400 and response.context["form"].errors["reason"]
    assert 'name="road_test" id="id_road_test" checked' in response.content.decode()  # what was ticked stays ticked
    assert not QualityCheck.objects.exists()
    client.post(url, {"result": "fail", "reason": "异响"})
    assert WorkOrder.objects.get(pk=dispatched.order_id).status == S.IN_PROGRESS
    clock_on(line=dispatched, technician=bob)
    clock_off(line=dispatched, technician=bob)
    ticked = {f"check_{code}": "on" for code, _label in CHECKLIST}
    client.post(url, {"result": "pass", "road_test": "on", **ticked})
    assert WorkOrder.objects.get(pk=dispatched.order_id).status == S.READY
    assert list(QualityCheck.objects.values_list("result", flat=True)) == ["failed", "passed"]


def test_the_comeback_page_flags_and_links_a_returning_vehicle(client_as, quinn, order, station, alice, bob):
    earlier = WorkOrderFactory(
        signed=True, station=station, vehicle=order.vehicle, customer=order.customer, status=S.DELIVERED, advisor=alice
    )
    WorkOrder.objects.filter(pk=earlier.pk).update(delivered_at=timezone.now() - timedelta(days=3))
    client = client_as(quinn)
    assert order.number in client.get(reverse("workshop:comebacks")).content.decode()
    response = client.post(
        reverse("workshop:comeback_link", args=[order.pk]),
        {"earlier_order": earlier.pk, "cause": "workmanship", "technician": bob.pk, "advisor": alice.pk},
    )
    assert response.status_code == 302
    assert Comeback.objects.get(order=order).earlier_order == earlier


def test_the_order_panel_shows_jobs_and_the_comeback_flag(client, carol, dispatched, station):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    earlier = WorkOrderFactory(
        signed=True, station=station, vehicle=dispatched.order.vehicle, customer=dispatched.order.customer,
        status=S.DELIVERED,
    )
    WorkOrder.objects.filter(pk=earlier.pk).update(delivered_at=timezone.now() - timedelta(days=3))
    request = RequestFactory().get("/")
    request.user = carol
    html = render_to_string("workshop/_order_panel.html", {"order": dispatched.order, "request": request})
    assert dispatched.description in html and "possible comeback" in html and earlier.number in html


def test_the_customer_panel_shows_declined_recommendations(alice, bob, dispatched, labour_op):
    from django.template.loader import render_to_string

    from workshop.services.findings import finding_create, finding_decide

    finding = finding_create(order=dispatched.order, by=bob, description="轮胎花纹浅", labour_operation=labour_op)
    finding_decide(finding=finding, approve=False, channel="in_person", by=alice)
    html = render_to_string("workshop/_customer_panel.html", {"customer": dispatched.order.customer})
    assert "轮胎花纹浅" in html


def test_the_landing_page_links_what_the_user_may_do(client_as, bob, dispatcher):
    page = client_as(dispatcher).get(reverse("workshop:index")).content.decode()
    assert reverse("workshop:dispatch") in page and reverse("workshop:my_jobs") not in page
    page = client_as(bob).get(reverse("workshop:index")).content.decode()
    assert reverse("workshop:my_jobs") in page and reverse("workshop:dispatch") not in page


def test_an_unapproved_line_shows_a_disabled_clock_button(client_as, bob, order, bay, dispatcher):
    from workshop.factories import JobAssignmentFactory

    proposed = WorkOrderLineFactory(labour=True, order=order, approval=WorkOrderLine.Approval.PROPOSED,
                                    is_additional=True)
    JobAssignmentFactory(line=proposed, technician=bob, bay=bay, assigned_by=dispatcher)  # dispatch refuses it now
    page = client_as(bob).get(reverse("workshop:my_jobs")).content.decode()
    assert "disabled" in page


def test_the_parts_request_button_asks_the_parts_counter(client_as, bob, dispatched):
    requests = pytest.importorskip("parts.services.requests")

    part = PartFactory(station=dispatched.order.station, part_number="04152-YZZA1", name_zh="机油滤清器")
    part_line = WorkOrderLineFactory(labour=True, order=dispatched.order, kind=WorkOrderLine.Kind.PART,
                                     description="机油滤清器", part=part)
    response = client_as(bob).post(reverse("workshop:parts_request", args=[part_line.pk]), follow=True)
    assert "Parts requested" in response.content.decode(), [str(m) for m in response.context["messages"]]
    from parts.models import PartsRequest

    assert PartsRequest.objects.filter(line=part_line, requested_by=bob).exists()
    assert requests.parts_request_create
