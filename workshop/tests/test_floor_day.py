"""What a day on the floor got wrong (issue 16, items 5–9): a QC failure on the technician's page, approved additional
work dispatched to its finder, load and attendance when dispatching, several jobs in one form, no dispatch of
unapproved lines, parts issued before QC, the customer's concern on the floor's pages, unreviewed comebacks on the
dispatcher's board."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.errors import DomainError, TransitionError
from parts.factories import PartFactory, StockMoveFactory, WarehouseFactory
from parts.models import StockMove
from reception.factories import WorkOrderFactory, WorkOrderLineFactory
from reception.models import Concern, WorkOrder, WorkOrderEvent, WorkOrderLine
from workshop.models import ClockEntry, Finding, JobAssignment
from workshop.services.attendance import attendance_end, attendance_start
from workshop.services.clock import clock_off, clock_on
from workshop.services.comebacks import unreviewed_comebacks
from workshop.services.dispatch import job_dispatch
from workshop.services.findings import finding_create, finding_decide
from workshop.services.parts_check import part_line_not_needed
from workshop.services.quality import order_send_to_qc, quality_check_record

pytestmark = pytest.mark.django_db
S = WorkOrder.Status


def _qc_fail(order, by, reason):
    return quality_check_record(order=order, by=by, passed=False, checklist={}, reason=reason)


# --- 5. a QC failure on my-jobs --------------------------------------------------------------------------------


def test_a_failed_final_inspection_shows_on_the_technicians_card_with_its_reason(client_as, dispatched, bob, quinn):
    clock_on(line=dispatched, technician=bob)
    clock_off(line=dispatched, technician=bob)
    order = WorkOrder.objects.get(pk=dispatched.order_id)
    assert order.status == S.QUALITY_CHECK
    _qc_fail(order, quinn, "刹车异响仍在")

    page = client_as(bob).get(reverse("workshop:my_jobs")).content.decode()
    card = page[page.index(f'data-line="{dispatched.pk}"'):]
    assert "Rework: QC failed" in card
    assert "刹车异响仍在" in card
    assert "Start rework" in card and "Clock on again" not in card


def test_the_rework_flag_goes_once_the_order_is_back_at_qc(client_as, dispatched, bob, quinn):
    clock_on(line=dispatched, technician=bob)
    clock_off(line=dispatched, technician=bob)
    _qc_fail(dispatched.order, quinn, "漏油")
    clock_on(line=dispatched, technician=bob)
    assert ClockEntry.objects.filter(line=dispatched, ended_at__isnull=True).get().is_rework
    clock_off(line=dispatched, technician=bob)
    page = client_as(bob).get(reverse("workshop:my_jobs")).content.decode()
    assert "Rework: QC failed" not in page


# --- 6. approved additional work goes to the technician who found it -------------------------------------------


@pytest.fixture
def found(dispatched, bob, labour_op):
    clock_on(line=dispatched, technician=bob)  # on shift from now
    return finding_create(order=dispatched.order, by=bob, description="前刹车片磨损到极限", labour_operation=labour_op,
                          found_on=dispatched)


def test_approved_additional_work_is_dispatched_to_the_technician_who_found_it(found, alice, bob, bay):
    decided = finding_decide(finding=found, approve=True, channel="phone", by=alice)
    line = found.lines.get()
    job = JobAssignment.objects.get(line=line)
    assert (job.technician, job.assigned_by, job.bay) == (bob, alice, bay)
    assert decided.dispatched_to == bob
    event = WorkOrderEvent.objects.filter(order=found.order, kind="dispatch").order_by("-id").first()
    assert line.description in event.note and event.by == alice


def test_approved_work_waits_for_the_dispatcher_when_the_finder_is_off_shift(client_as, found, alice, bob, dispatcher):
    clock_off(line=found.found_on, technician=bob)
    attendance_end(technician=bob)
    finding_decide(finding=found, approve=True, channel="phone", by=alice)
    line = found.lines.get()
    assert not JobAssignment.objects.filter(line=line).exists()
    assert WorkOrderEvent.objects.filter(order=found.order, note__contains="not on shift").exists()
    page = client_as(dispatcher).get(reverse("workshop:dispatch")).content.decode()
    assert 'data-testid="approved-to-dispatch"' in page


def test_the_advisor_is_told_where_the_approved_work_went(client_as, found, alice, bob):
    response = client_as(alice).post(
        reverse("workshop:finding_decide", args=[found.pk]), {"decision": "approve", "channel": "phone"}, follow=True
    )
    shown = [str(m) for m in response.context["messages"]]
    assert any(str(bob) in m and "dispatched" in m for m in shown), shown


# --- 7. load, attendance, several jobs in one form, no dispatch of unapproved lines ------------------------------


def test_the_dispatch_form_shows_each_technicians_open_hours_and_attendance(client_as, dispatched, bob, bob2,
                                                                             dispatcher, order):
    attendance_start(technician=bob)
    other = WorkOrderLineFactory(labour=True, order=order, hours="1.50")
    page = client_as(dispatcher).get(reverse("workshop:dispatch_line", args=[other.pk])).content.decode()
    bob_label = page[page.index(f'for="tech-{bob.pk}"'):].split("</label>")[0]
    bert_label = page[page.index(f'for="tech-{bob2.pk}"'):].split("</label>")[0]
    assert "2.00 h open" in bob_label and "on shift since" in bob_label
    assert "0.00 h open" in bert_label and "not clocked in" in bert_label


def test_the_board_shows_who_is_on_shift(client_as, station, bob, bob2, dispatcher):
    attendance_start(technician=bob)
    fragment = client_as(dispatcher).get(reverse("workshop:board"), HTTP_HX_REQUEST="true").content.decode()
    rows = {row.split("</td>")[0].split(">")[-1]: row for row in fragment.split("<tr>")[1:] if "presence" in row}
    assert "on shift since" in rows[str(bob)] and "not clocked in" in rows[str(bob2)]


def test_the_board_links_to_a_form_that_dispatches_several_jobs_of_an_order_at_once(client_as, order, bob, bay,
                                                                                     dispatcher):
    first = WorkOrderLineFactory(labour=True, order=order, description="更换机油")
    second = WorkOrderLineFactory(labour=True, order=order, description="四轮定位")
    client = client_as(dispatcher)
    board = client.get(reverse("workshop:board")).content.decode()
    url = reverse("workshop:dispatch_order", args=[order.pk])
    assert url in board
    form = client.get(url).content.decode()
    assert "更换机油" in form and "四轮定位" in form
    response = client.post(url + "?next=/workshop/board/", {
        "lines": [first.pk, second.pk], "technicians": [bob.pk], "bay": bay.pk, "next": "/workshop/board/"})
    assert response.status_code == 302 and response["Location"] == "/workshop/board/"
    assert set(JobAssignment.objects.filter(technician=bob).values_list("line_id", flat=True)) == {first.pk, second.pk}


def test_the_board_of_someone_who_does_not_dispatch_has_no_dispatch_links(client_as, order, bob):
    WorkOrderLineFactory(labour=True, order=order)
    board = client_as(bob).get(reverse("workshop:board")).content.decode()
    assert reverse("workshop:dispatch_order", args=[order.pk]) not in board


def test_an_unapproved_additional_line_is_not_offered_for_dispatch_and_the_service_refuses(client_as, order, bob, bay,
                                                                                           dispatcher):
    proposed = WorkOrderLineFactory(labour=True, order=order, approval=WorkOrderLine.Approval.PROPOSED,
                                    is_additional=True, description="更换刹车盘")
    page = client_as(dispatcher).get(reverse("workshop:dispatch")).content.decode()
    assert "更换刹车盘" in page
    assert reverse("workshop:dispatch_line", args=[proposed.pk]) not in page
    with pytest.raises(DomainError, match="not approved this line yet"):
        job_dispatch(line=proposed, technicians=[bob], bay=bay, by=dispatcher)
    with translation.override("zh-hans"), pytest.raises(DomainError) as refused:
        job_dispatch(line=proposed, technicians=[bob], bay=bay, by=dispatcher)
    assert "客户" in refused.value.message
    response = client_as(dispatcher).post(reverse("workshop:dispatch_line", args=[proposed.pk]),
                                          {"technicians": [bob.pk]})
    assert response.status_code == 400
    assert not JobAssignment.objects.filter(line=proposed).exists()


# --- 8. parts issued before QC; the customer's concern on the floor's pages ------------------------------------


@pytest.fixture
def pads(order):
    part = PartFactory(station=order.station, part_number="04465-33471", name_zh="前刹车片")
    return WorkOrderLineFactory(order=order, kind=WorkOrderLine.Kind.PART, part=part, description="前刹车片",
                                quantity="1", hours="0")


def test_an_order_does_not_go_to_qc_while_a_stocked_part_is_not_issued(dispatched, bob, dispatcher, pads):
    clock_on(line=dispatched, technician=bob)
    clock_off(line=dispatched, technician=bob)  # the last job: it would go to QC
    order = WorkOrder.objects.get(pk=dispatched.order_id)
    assert order.status == S.IN_PROGRESS
    with pytest.raises(TransitionError, match="Parts not issued"):
        order_send_to_qc(order=order, by=dispatcher)
    StockMoveFactory(warehouse=WarehouseFactory(station=order.station), part=pads.part, kind=StockMove.Kind.ISSUE,
                     quantity=Decimal("-1"), line=pads)
    order_send_to_qc(order=order, by=dispatcher)
    assert WorkOrder.objects.get(pk=order.pk).status == S.QUALITY_CHECK


def test_the_technician_is_told_why_the_order_did_not_go_to_qc(client_as, dispatched, bob, pads):
    client = client_as(bob)
    client.post(reverse("workshop:clock", args=[dispatched.pk]), {"action": "on"})
    response = client.post(reverse("workshop:clock", args=[dispatched.pk]), {"action": "off"}, follow=True)
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "parts are not issued yet (前刹车片)" in shown
    assert WorkOrder.objects.get(pk=dispatched.order_id).status == S.IN_PROGRESS


def test_a_part_marked_not_needed_lets_the_order_go_to_qc(client_as, dispatched, bob, dispatcher, pads):
    clock_on(line=dispatched, technician=bob)
    clock_off(line=dispatched, technician=bob)
    with pytest.raises(DomainError, match="why"):
        part_line_not_needed(line=pads, by=dispatcher, reason=" ")
    response = client_as(dispatcher).post(reverse("workshop:part_not_needed", args=[pads.pk]),
                                          {"reason": "旧刹车片仍可用"})
    assert response.status_code == 302
    order = WorkOrder.objects.get(pk=dispatched.order_id)
    assert order.status == S.QUALITY_CHECK  # that was all the order waited for
    assert WorkOrderEvent.objects.filter(order=order, kind="part_not_needed", by=dispatcher,
                                         note__contains="旧刹车片仍可用").exists()


def test_the_customers_concern_and_the_parts_show_on_the_floors_pages(client_as, dispatched, bob, dispatcher, quinn,
                                                                     pads):
    order = dispatched.order
    Concern.objects.create(order=order, text="刹车时方向盘抖动")
    assert "刹车时方向盘抖动" in client_as(dispatcher).get(reverse("workshop:dispatch")).content.decode()
    assert "前刹车片" in client_as(dispatcher).get(reverse("workshop:dispatch")).content.decode()
    assert "刹车时方向盘抖动" in client_as(dispatcher).get(reverse("workshop:board"),
                                                         HTTP_HX_REQUEST="true").content.decode()
    dispatch_page = client_as(dispatcher).get(reverse("workshop:dispatch_line", args=[dispatched.pk])).content.decode()
    assert "刹车时方向盘抖动" in dispatch_page and "前刹车片" in dispatch_page
    assert "刹车时方向盘抖动" in client_as(bob).get(reverse("workshop:my_jobs")).content.decode()
    WorkOrder.objects.filter(pk=order.pk).update(status=S.QUALITY_CHECK)
    qc = client_as(quinn).get(reverse("workshop:qc_order", args=[order.pk])).content.decode()
    tick = qc[qc.index('name="check_concern_fixed"'):].split("</label>")[0]
    assert "刹车时方向盘抖动" in tick
    assert "前刹车片" in qc


# --- 9. unreviewed possible comebacks on the dispatcher's board -------------------------------------------------


def _came_back(station, advisor, days_ago=5):
    earlier = WorkOrderFactory(signed=True, station=station, advisor=advisor, status=S.DELIVERED)
    WorkOrder.objects.filter(pk=earlier.pk).update(
        delivered_at=timezone.now() - timedelta(days=days_ago), opened_at=timezone.now() - timedelta(days=days_ago + 1)
    )
    return WorkOrderFactory(signed=True, station=station, advisor=advisor, vehicle=earlier.vehicle,
                            customer=earlier.customer)


def test_the_board_and_the_landing_page_count_the_comebacks_waiting_for_review(client_as, station, other_station,
                                                                             alice, dispatcher, make_staff):
    for _n in range(3):
        _came_back(station, alice)
    _came_back(other_station, make_staff("service_advisor", station=other_station, username="zed"))
    client = client_as(dispatcher)
    for name in ("workshop:board", "workshop:index"):
        page = client.get(reverse(name)).content.decode()
        assert "3 possible comebacks to review" in page, name
        assert reverse("workshop:comebacks") in page
    assert client.get(reverse("workshop:comebacks")).status_code == 200


def test_a_board_poll_does_not_count_the_comebacks(client_as, station, alice, dispatcher):
    """The count is on the page around the board; the fragment a poll fetches every few seconds does not show it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _came_back(station, alice)
    client = client_as(dispatcher)
    assert "1 possible comeback to review" in client.get(reverse("workshop:board")).content.decode()
    with CaptureQueriesContext(connection) as queries:
        poll = client.get(reverse("workshop:board"), HTTP_HX_REQUEST="true")
    assert poll.status_code == 200 and "possible comeback" not in poll.content.decode()
    from workshop.services.comebacks import COMEBACK_COUNT_LIMIT

    counted = [q for q in queries.captured_queries if f"LIMIT {COMEBACK_COUNT_LIMIT + 1}" in q["sql"]]
    assert not counted


def test_the_comeback_count_is_bounded(station, alice):
    for _n in range(4):
        _came_back(station, alice)
    assert unreviewed_comebacks(station=station, limit=2) == 3
    assert unreviewed_comebacks(station=station) == 4


def test_a_reviewed_comeback_is_no_longer_counted(station, alice, dispatcher):
    from workshop.services.comebacks import comeback_dismiss

    order = _came_back(station, alice)
    assert unreviewed_comebacks(station=station) == 1
    comeback_dismiss(order=order, by=dispatcher)
    assert unreviewed_comebacks(station=station) == 0
    assert Finding.objects.count() == 0
