"""One job through the workshop in a real browser: dispatch → clock on → finding → customer approval (the approved
work goes to its finder) → clock off → QC fail → rework → QC pass."""

import pytest

from reception.factories import WorkOrderFactory, WorkOrderLineFactory
from reception.models import WorkOrder
from workshop.models import Finding, JobAssignment, QualityCheck
from workshop.tests.test_findings import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, browser_login, user):
    page.context.clear_cookies()
    browser_login(page, user)


def test_a_job_goes_through_the_workshop_in_the_browser(
    browser_page, browser_login, station, alice, bob, dispatcher, quinn, bay, labour_op, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    page = browser_page
    order = WorkOrderFactory(signed=True, station=station, advisor=alice, status=WorkOrder.Status.OPEN)
    first = WorkOrderLineFactory(labour=True, order=order, description="更换机油机滤", hours="1.00")

    # Dispatch (派工): tap the technician and the bay.
    _as(page, browser_login, dispatcher)
    page.goto(page.base_url + "/workshop/dispatch/")
    page.locator("tr", has_text="更换机油机滤").get_by_role("link", name="Dispatch").click()
    page.locator("label", has_text=str(bob)).click()
    page.locator("label", has_text=bay.name).click()
    page.get_by_role("button", name="Save dispatch").click()
    page.wait_for_url("**/workshop/dispatch/")

    # The technician clocks on and records a finding with a photo.
    _as(page, browser_login, bob)
    page.goto(page.base_url + "/workshop/my-jobs/")
    card = page.locator(f"[data-line='{first.pk}']")
    card.get_by_role("button", name="Clock on").click()
    page.locator(".alert", has_text="Clocked on").wait_for()
    assert WorkOrder.objects.get(pk=order.pk).status == WorkOrder.Status.IN_PROGRESS
    page.locator(f"[data-line='{first.pk}']").get_by_role("link", name="Record a finding").click()
    page.fill("textarea[name=description]", "前刹车片磨损到极限")
    page.fill("#id_labour_operation", "BRK")  # the search-as-you-type picker: type, then pick with Enter
    page.locator("#id_labour_operation_listbox [role=option]").first.wait_for()
    page.press("#id_labour_operation", "Enter")
    assert page.input_value("input[name=labour_operation]") == str(labour_op.pk)
    page.set_input_files("input[name=photos]", {"name": "pads.png", "mimeType": "image/png", "buffer": PNG})
    page.get_by_role("button", name="Send to the advisor").click()
    page.locator(".alert", has_text="Finding recorded").wait_for()
    finding = Finding.objects.get(order=order)
    additional = finding.lines.get()

    # The advisor phones the customer, who approves.
    _as(page, browser_login, alice)
    page.goto(page.base_url + "/workshop/findings/")
    item = page.locator(f"[data-finding='{finding.pk}']")
    item.locator("label", has_text="phone").click()
    item.get_by_role("button", name="Customer approves").click()
    page.locator(".alert", has_text="decision is recorded").wait_for()
    finding.refresh_from_db()
    assert (finding.decision, finding.channel) == ("approved", "phone")

    # The approved line went to bob, who found it (he is on shift); the dispatcher sees it dispatched.
    assert list(JobAssignment.objects.filter(line=additional).values_list("technician", flat=True)) == [bob.pk]
    _as(page, browser_login, dispatcher)
    page.goto(page.base_url + "/workshop/dispatch/")
    assert str(bob) in page.locator("tr", has_text=additional.description).inner_text()
    # The technician finishes both jobs and the order goes to QC.
    _as(page, browser_login, bob)
    page.goto(page.base_url + "/workshop/my-jobs/")
    page.locator(f"[data-line='{first.pk}']").get_by_role("button", name="Clock off").click()
    page.locator(".alert", has_text="Clocked off").wait_for()
    page.locator(f"[data-line='{additional.pk}']").get_by_role("button", name="Clock on").click()
    page.locator(".alert", has_text="Clocked on").wait_for()
    page.locator(f"[data-line='{additional.pk}']").get_by_role("button", name="Clock off").click()
    page.locator(".alert", has_text="Clocked off").wait_for()
    assert WorkOrder.objects.get(pk=order.pk).status == WorkOrder.Status.QUALITY_CHECK

    # QC fails the vehicle with a reason: back to the workshop as rework.
    _as(page, browser_login, quinn)
    page.goto(page.base_url + "/workshop/qc/")
    page.get_by_role("link", name=order.number).click()
    page.fill("textarea[name=reason]", "刹车异响仍在")
    page.get_by_role("button", name="Fail: back to the workshop").click()
    page.locator(".alert", has_text="rework").wait_for()
    assert WorkOrder.objects.get(pk=order.pk).status == WorkOrder.Status.IN_PROGRESS

    # Rework, then QC passes it.
    _as(page, browser_login, bob)
    page.goto(page.base_url + "/workshop/my-jobs/")
    page.locator(f"[data-line='{additional.pk}']").get_by_role("button", name="Start rework").click()
    page.locator(".alert", has_text="Clocked on").wait_for()
    page.locator(f"[data-line='{additional.pk}']").get_by_role("button", name="Clock off").click()
    page.locator(".alert", has_text="Clocked off").wait_for()
    assert WorkOrder.objects.get(pk=order.pk).status == WorkOrder.Status.QUALITY_CHECK
    _as(page, browser_login, quinn)
    page.goto(page.base_url + f"/workshop/qc/{order.pk}/")
    for label in page.locator("form label.btn-outline-success").all():
        label.click()
    page.locator("label", has_text="Road test done").click()
    page.get_by_role("button", name="Pass").click()
    page.locator(".alert", has_text="passed the final inspection").wait_for()
    assert WorkOrder.objects.get(pk=order.pk).status == WorkOrder.Status.READY
    assert list(QualityCheck.objects.filter(order=order).values_list("result", flat=True)) == ["failed", "passed"]
