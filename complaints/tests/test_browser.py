"""In Chromium: a follow-up call with a negative survey opens a complaint, which is escalated and closed."""

import re

import pytest

from complaints.models import Complaint
from complaints.services.followups import followup_create_for_order
from reception.factories import WorkOrderFactory


@pytest.mark.browser
def test_follow_up_call_negative_survey_complaint_escalation_close(
    transactional_db, browser_page, browser_login, station, alice, carol, make_staff
):
    care = make_staff("customer_relations", username="cora", reports_to=carol)
    order = WorkOrderFactory(delivered=True, station=station, advisor=alice)
    call = followup_create_for_order(order=order, by=care)
    page = browser_page

    # The caller works the queue and takes the survey: a low score, problem not fixed.
    browser_login(page, care)
    page.goto(page.base_url + "/complaints/calls/")
    page.locator(f"a[href='/complaints/calls/{call.pk}/']").first.click()
    page.check("input[name=overall][value='1']")
    for dimension in ("tangibles", "reliability", "responsiveness", "assurance", "empathy"):
        page.check(f"input[name=p_{dimension}][value='2']")
    page.select_option("select[name=problem_fixed]", "false")
    page.fill("textarea[name=comments]", "The noise is back")
    page.locator("#survey-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/complaints/\d+/$"))
    assert "possible comeback" in page.content()
    complaint = Complaint.objects.get()
    assert complaint.owner == care and complaint.source == "follow_up"

    # A severity 2 complaint is beyond the caller's authority: escalate it up the chain.
    page.locator("#escalate").click()
    page.wait_for_load_state()
    assert carol.display_name in page.locator("#complaint-owner").inner_text()
    complaint.refresh_from_db()
    assert complaint.owner == carol and complaint.escalations.count() == 1

    # The station manager works the loop to the end and closes it.
    page.context.clear_cookies()
    browser_login(page, carol)
    page.goto(page.base_url + f"/complaints/{complaint.pk}/")
    page.locator("form[action$='/acknowledge/'] button").click()
    page.fill("textarea[name=root_cause]", "Heat shield clip not refitted")
    page.select_option("select[name=responsible_department]", "workshop")
    page.locator("form[action$='/analyse/'] button[type=submit]").click()
    page.fill("textarea[name=remedy]", "Refitted the clip, free of charge")
    page.locator("form[action$='/handle/'] button[type=submit]").click()
    page.fill("#contact-form textarea[name=summary]", "Explained the repair; the customer is happy")
    page.locator("#contact-form button[type=submit]").click()
    page.locator("button[name=accepted][value=yes]").click()
    page.fill("textarea[name=corrective_action]", "Checklist item for heat shield clips")
    page.fill("#id_corrective_owner", alice.username)  # the staff picker: type the name, pick with Enter
    page.locator("#id_corrective_owner_listbox [role=option]").first.wait_for()
    page.press("#id_corrective_owner", "Enter")
    assert page.input_value("input[name=corrective_owner]") == str(alice.pk)
    page.fill("input[name=corrective_due]", "2026-12-31")
    page.check("input[name=satisfaction][value='4']")
    page.locator("form[action$='/close/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "Closed" in page.locator("#complaint-state").inner_text() or "closed" in page.locator(
        "#complaint-state").inner_text()
    complaint.refresh_from_db()
    assert complaint.state == "closed" and complaint.closed_by == carol and complaint.satisfaction == 4
    assert "Escalated" in page.locator("#timeline").inner_text() or "escalated" in page.locator("#timeline").inner_text()
