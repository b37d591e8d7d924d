"""The technician's side of two floor fixes in a real browser (issue 16): a QC failure shows on my-jobs as rework with
its reason and the action to start it; approved additional work arrives on the finder's my-jobs without the
dispatcher."""

import pytest

from reception.factories import WorkOrderFactory, WorkOrderLineFactory
from reception.models import WorkOrder
from workshop.models import ClockEntry, Finding, JobAssignment
from workshop.services.clock import clock_off, clock_on
from workshop.services.dispatch import job_dispatch
from workshop.services.findings import finding_create
from workshop.services.quality import quality_check_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, browser_login, user):
    page.context.clear_cookies()
    browser_login(page, user)


def test_a_qc_failure_shows_on_my_jobs_as_rework_and_starts_from_the_card(
    browser_page, browser_login, station, alice, bob, dispatcher, quinn, bay
):
    page = browser_page
    order = WorkOrderFactory(signed=True, station=station, advisor=alice, status=WorkOrder.Status.OPEN)
    line = WorkOrderLineFactory(labour=True, order=order, description="更换前刹车片", hours="1.00")
    job_dispatch(line=line, technicians=[bob], bay=bay, by=dispatcher)
    clock_on(line=line, technician=bob)
    clock_off(line=line, technician=bob)
    quality_check_record(order=order, by=quinn, passed=False, checklist={}, reason="刹车异响仍在")

    _as(page, browser_login, bob)
    page.goto(page.base_url + "/workshop/my-jobs/")
    card = page.locator(f"[data-line='{line.pk}']")
    assert card.get_by_test_id("rework-badge").inner_text().strip() == "Rework: QC failed"
    assert "刹车异响仍在" in card.get_by_test_id("rework-reason").inner_text()
    assert card.get_by_role("button", name="Clock on again").count() == 0
    card.get_by_role("button", name="Start rework").click()
    page.locator(".alert", has_text="Clocked on").wait_for()
    entry = ClockEntry.objects.get(line=line, ended_at__isnull=True)
    assert entry.is_rework and entry.technician == bob


def test_approved_additional_work_appears_on_the_finders_my_jobs_ready_to_clock(
    browser_page, browser_login, station, alice, bob, dispatcher, bay, labour_op
):
    page = browser_page
    order = WorkOrderFactory(signed=True, station=station, advisor=alice, status=WorkOrder.Status.OPEN)
    first = WorkOrderLineFactory(labour=True, order=order, description="更换机油机滤", hours="1.00")
    job_dispatch(line=first, technicians=[bob], bay=bay, by=dispatcher)
    clock_on(line=first, technician=bob)  # on shift
    finding = finding_create(order=order, by=bob, description="前刹车片磨损到极限", labour_operation=labour_op,
                             found_on=first)
    additional = finding.lines.get()

    # The advisor records the customer's approval; nobody opens the dispatch page.
    _as(page, browser_login, alice)
    page.goto(page.base_url + "/workshop/findings/")
    item = page.locator(f"[data-finding='{finding.pk}']")
    item.locator("label", has_text="phone").click()
    item.get_by_role("button", name="Customer approves").click()
    page.locator(".alert", has_text="dispatched to").wait_for()
    assert Finding.objects.get(pk=finding.pk).decision == "approved"
    assert JobAssignment.objects.get(line=additional).technician == bob

    # The technician finds it on his page, clocks off the first job and starts the approved one.
    _as(page, browser_login, bob)
    page.goto(page.base_url + "/workshop/my-jobs/")
    page.locator(f"[data-line='{first.pk}']").get_by_role("button", name="Clock off").click()
    page.locator(".alert", has_text="Clocked off").wait_for()
    button = page.locator(f"[data-line='{additional.pk}']").get_by_role("button", name="Clock on")
    assert button.is_enabled()
    button.click()
    page.locator(".alert", has_text="Clocked on").wait_for()
    assert ClockEntry.objects.filter(line=additional, technician=bob, ended_at__isnull=True).exists()
