"""Pages through the test client: list and filters, intake, the loop on the complaint page, calls, reminders."""

import pytest
from django.urls import reverse

from complaints.models import Complaint, FollowUpCall
from complaints.services.followups import followup_create_for_order
from core.models import Notification
from core.notifications import notification_send
from reception.factories import CustomerFactory, WorkOrderFactory

pytestmark = pytest.mark.django_db
SURVEY = {f"p_{d}": 4 for d in ("tangibles", "reliability", "responsiveness", "assurance", "empathy")}


def test_the_list_shows_open_complaints_and_filters_by_severity(client_as, alice, new_complaint):
    new_complaint(subject="Minor thing", severity=1)
    new_complaint(subject="Serious thing", severity=3)
    client = client_as(alice)
    body = client.get(reverse("complaints:index")).content.decode()
    assert "Minor thing" in body and "Serious thing" in body
    body = client.get(reverse("complaints:index"), {"severity": "3"}).content.decode()
    assert "Serious thing" in body and "Minor thing" not in body


def test_the_list_filters_overdue(client_as, alice, new_complaint):
    old = new_complaint(subject="Old one")
    Complaint.objects.filter(pk=old.pk).update(response_due=old.received_at, resolution_due=old.received_at)
    new_complaint(subject="Fresh one")
    body = client_as(alice).get(reverse("complaints:index"), {"overdue": "yes"}).content.decode()
    assert "Old one" in body and "Fresh one" not in body


def test_another_stations_complaint_is_not_found(client_as, mallory, new_complaint):
    c = new_complaint()
    assert client_as(mallory).get(reverse("complaints:detail", args=[c.pk])).status_code == 404
    assert "Noise after repair" not in client_as(mallory).get(reverse("complaints:index")).content.decode()


def test_intake_creates_a_complaint_and_shows_its_page(client_as, alice, customer):
    response = client_as(alice).post(reverse("complaints:intake"), {
        "customer": customer.pk, "source": "visit", "category": "price", "severity": 2,
        "subject": "Bill too high", "description": "300 more than the estimate",
    })
    c = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("complaints:detail", args=[c.pk])
    assert c.owner == alice and c.severity == 2
    page = client_as(alice).get(response["Location"]).content.decode()
    assert "Bill too high" in page and c.number in page


def test_intake_refuses_another_stations_customer(client_as, alice, other_station):
    foreign = CustomerFactory(station=other_station)
    response = client_as(alice).post(reverse("complaints:intake"), {
        "customer": foreign.pk, "source": "visit", "category": "price", "severity": 1, "subject": "x",
        "description": "y",
    })
    assert response.status_code == 400 and not Complaint.objects.exists()


def test_the_loop_through_the_pages(client_as, alice, new_complaint):
    c = new_complaint()
    client = client_as(alice)
    url = lambda name: reverse(f"complaints:{name}", args=[c.pk])  # noqa: E731
    client.post(url("acknowledge"))
    client.post(url("analyse"), {"root_cause": "Loose clip", "responsible_department": "workshop", "severity": 1})
    client.post(url("handle"), {"remedy": "Refitted", "goodwill": "100"})
    client.post(url("contact"), {"channel": "phone", "summary": "Told the customer", "customer_accepts": "true"})
    client.post(url("feedback"), {"accepted": "yes"})
    client.post(url("close"), {"corrective_action": "Check clips", "corrective_owner": alice.pk,
                               "corrective_due": "2026-12-01", "satisfaction": 5})
    c.refresh_from_db()
    assert c.state == "closed" and c.goodwill_amount == 100
    page = client.get(url("detail")).content.decode()
    assert "Loose clip" in page and "Told the customer" in page


def test_a_step_with_a_missing_field_shows_the_error_at_the_field(client_as, alice, new_complaint):
    c = new_complaint()
    client = client_as(alice)
    client.post(reverse("complaints:acknowledge", args=[c.pk]))
    response = client.post(reverse("complaints:analyse", args=[c.pk]),
                           {"root_cause": "", "responsible_department": "workshop", "severity": 1})
    assert response.status_code == 400
    assert response.context["analyse_form"].errors["root_cause"]


def test_goodwill_beyond_authority_escalates_with_a_message(client_as, alice, frank, new_complaint):
    c = new_complaint()
    client = client_as(alice)
    client.post(reverse("complaints:acknowledge", args=[c.pk]))
    client.post(reverse("complaints:analyse", args=[c.pk]),
                {"root_cause": "x", "responsible_department": "workshop", "severity": 1})
    response = client.post(reverse("complaints:handle", args=[c.pk]), {"remedy": "x", "goodwill": "3000"}, follow=True)
    assert "beyond your authority" in response.content.decode()
    c.refresh_from_db()
    assert c.owner == frank


def test_closing_without_authority_is_refused_with_a_message(client_as, alice, frank, new_complaint):
    from complaints.services import complaints as svc

    c = new_complaint(severity=2, owner=frank)
    for step in (svc.complaint_acknowledge,):
        step(complaint=c, by=frank)
    svc.complaint_analyse(complaint=c, by=frank, root_cause="x", responsible_department="workshop")
    svc.complaint_handle(complaint=c, by=frank, remedy="y")
    svc.complaint_log_contact(complaint=c, by=frank, summary="ok")
    svc.complaint_feedback_done(complaint=c, by=frank, accepted=True)
    response = client_as(alice).post(reverse("complaints:close", args=[c.pk]), {
        "corrective_action": "x", "corrective_owner": alice.pk, "corrective_due": "2026-12-01", "satisfaction": 4,
    }, follow=True)
    assert "beyond your authority" in response.content.decode()
    c.refresh_from_db()
    assert c.state == "improving"


def test_the_call_queue_shows_overdue_and_due_today(client_as, care, station, alice):
    from datetime import timedelta

    from django.utils import timezone

    order = WorkOrderFactory(delivered=True, station=station, advisor=alice)
    call = followup_create_for_order(order=order)
    FollowUpCall.objects.filter(pk=call.pk).update(next_attempt_at=timezone.now() - timedelta(days=2))
    response = client_as(care).get(reverse("complaints:calls"))
    assert response.status_code == 200
    assert [c["pk"] for c in response.context["queue"]["overdue"]] == [call.pk]


def test_a_negative_survey_on_the_call_page_opens_a_complaint(client_as, care, delivered_order):
    call = followup_create_for_order(order=delivered_order)
    response = client_as(care).post(reverse("complaints:call_survey", args=[call.pk]), {
        "overall": 1, "problem_fixed": "false", "comments": "还是有异响", **SURVEY,
    })
    complaint = Complaint.objects.get()
    assert response["Location"] == reverse("complaints:detail", args=[complaint.pk])
    assert complaint.possible_comeback


def test_no_answer_on_the_call_page_schedules_a_retry(client_as, care, delivered_order):
    call = followup_create_for_order(order=delivered_order)
    client_as(care).post(reverse("complaints:call_attempt", args=[call.pk]), {"outcome": "no_answer"})
    call.refresh_from_db()
    assert call.attempts == 1 and call.status == "pending"


def test_reminders_page_shows_my_notifications_with_the_unread_count(client_as, bob, alice):
    notification_send(channel="in_app", to_staff=bob, subject="Parts arrived for your job", body="")
    notification_send(channel="in_app", to_staff=alice, subject="Not for bob", body="")
    response = client_as(bob).get(reverse("complaints:reminders"))
    body = response.content.decode()
    assert response.context["unread"] == 1
    assert "Parts arrived for your job" in body and "Not for bob" not in body


def test_marking_someone_elses_notification_read_does_nothing(client_as, bob, alice):
    note = notification_send(channel="in_app", to_staff=alice, subject="x", body="")
    client_as(bob).post(reverse("complaints:reminder_read"), {"notification": note.pk})
    note.refresh_from_db()
    assert note.status == Notification.Status.SENT


def test_marking_my_notification_read_and_opening_its_complaint(client_as, alice, new_complaint):
    c = new_complaint()
    note = notification_send(channel="in_app", to_staff=alice, subject="x", body="", related=c)
    response = client_as(alice).post(reverse("complaints:reminder_read"), {"notification": note.pk, "open": "1"})
    note.refresh_from_db()
    assert note.status == "read" and response["Location"] == reverse("complaints:detail", args=[c.pk])


def test_the_bells_page_opens_the_complaint_a_notification_is_about(client_as, alice, new_complaint):
    c = new_complaint()
    note = notification_send(channel="in_app", to_staff=alice, subject="x", body="", related=c)
    page = client_as(alice).get(reverse("org:notifications")).content.decode()
    assert 'name="open"' in page
    response = client_as(alice).post(reverse("org:notification_read"), {"notification": note.pk, "open": "1"})
    note.refresh_from_db()
    assert note.status == "read" and response["Location"] == reverse("complaints:detail", args=[c.pk])


def test_panels_render_for_customer_order_and_desk(rf, alice, new_complaint, delivered_order):
    from django.template.loader import render_to_string

    c = new_complaint(order=delivered_order, customer=delivered_order.customer)
    followup_create_for_order(order=delivered_order)
    request = rf.get("/")
    request.user = alice
    request.session = {}
    html = render_to_string("complaints/_customer_panel.html", {"customer": delivered_order.customer}, request)
    assert c.number in html
    html = render_to_string("complaints/_order_panel.html", {"order": delivered_order}, request)
    assert c.number in html
    html = render_to_string("complaints/_desk_panel.html", {}, request)
    assert "care-desk-panel" in html


INTAKE = {"source": "phone", "category": "quality", "severity": 1, "subject": "Noise", "description": "Rattle"}


def test_intake_finds_the_customer_by_mobile(client_as, alice, customer):
    client_as(alice).post(reverse("complaints:intake"), {"lookup": customer.mobile, **INTAKE})
    assert Complaint.objects.get().customer == customer


def test_intake_finds_the_customer_and_vehicle_by_plate(client_as, alice, delivered_order):
    client_as(alice).post(reverse("complaints:intake"), {"lookup": delivered_order.vehicle.plate.lower(), **INTAKE})
    c = Complaint.objects.get()
    assert (c.customer, c.vehicle) == (delivered_order.customer, delivered_order.vehicle)


def test_intake_by_order_number_links_order_vehicle_and_advisor(client_as, alice, delivered_order):
    client_as(alice).post(reverse("complaints:intake"), {"order_number": delivered_order.number, **INTAKE})
    c = Complaint.objects.get()
    assert (c.order, c.customer, c.staff_involved) == (delivered_order, delivered_order.customer, alice)


def test_intake_says_when_nobody_matches(client_as, alice):
    response = client_as(alice).post(reverse("complaints:intake"), {"lookup": "13000000000", **INTAKE})
    assert response.status_code == 400 and response.context["form"].errors["lookup"]


def test_intake_from_an_order_page_is_prefilled(client_as, alice, delivered_order):
    response = client_as(alice).get(reverse("complaints:intake"), {"order": delivered_order.pk})
    assert delivered_order.number in response.content.decode()


def test_the_station_manager_sets_the_deadlines(client_as, carol, station):
    from complaints.models import CareSettings

    form = client_as(carol).get(reverse("complaints:settings")).context["form"]
    data = {name: field.initial if field.initial is not None else form.initial.get(name)
            for name, field in form.fields.items()}
    data.update({"response_hours_1": 2, "resolution_hours_1": 48})
    response = client_as(carol).post(reverse("complaints:settings"), data)
    assert response.status_code == 302
    row = CareSettings.objects.get(station=station)
    assert (row.response_hours_1, row.resolution_hours_1) == (2, 48)


def test_a_response_time_longer_than_resolution_is_refused(client_as, carol, station):
    form = client_as(carol).get(reverse("complaints:settings")).context["form"]
    data = {name: form.initial.get(name) for name in form.fields}
    data.update({"response_hours_2": 500})
    response = client_as(carol).post(reverse("complaints:settings"), data)
    assert response.status_code == 400 and response.context["form"].errors["response_hours_2"]
