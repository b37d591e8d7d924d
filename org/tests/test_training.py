"""Training and certification (issue 19, item 1): records and the plan through org.training, certifications running
out on the training page and once as a notification, the pages refusing bad input at the field."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.models import Notification
from org import training
from org.models import TrainingPlanItem, TrainingRecord

pytestmark = pytest.mark.django_db
R = TrainingRecord.Result
K = TrainingRecord.Kind


def _record(station, staff, by, *, course="发动机诊断认证", done=None, until=None, result=R.PASSED, kind=K.CERTIFICATION):
    today = timezone.localdate()
    return training.training_record_add(station=station, staff=staff, course=course, kind=kind,
                                        completed_on=done or today - timedelta(days=300), result=result,
                                        expires_on=until, by=by)


def test_a_record_is_refused_for_another_stations_staff_a_future_date_and_an_expiry_before_it(station, carol, bob,
                                                                                               mallory):
    today = timezone.localdate()
    with pytest.raises(DomainError) as exc:
        _record(station, mallory, carol)
    assert exc.value.field == "staff"
    with pytest.raises(DomainError) as exc:
        _record(station, bob, carol, done=today + timedelta(days=1))
    assert exc.value.field == "completed_on"
    with pytest.raises(DomainError) as exc:
        _record(station, bob, carol, done=today, until=today)
    assert exc.value.field == "expires_on"
    with pytest.raises(DomainError) as exc:
        _record(station, bob, carol, result=R.FAILED, until=today + timedelta(days=10))
    assert exc.value.field == "expires_on"
    with pytest.raises(DomainError) as exc:
        _record(station, bob, carol, course="  ")
    assert exc.value.field == "course"
    assert not TrainingRecord.objects.exists()


def test_expiring_lists_the_latest_current_certification_soonest_first(station, carol, bob, alice):
    today = timezone.localdate()
    old = _record(station, bob, carol, until=today + timedelta(days=10))  # superseded by the renewal below
    _record(station, bob, carol, done=today - timedelta(days=5), until=today + timedelta(days=700))
    expired = _record(station, alice, carol, course="服务顾问认证", until=today - timedelta(days=3))
    soon = _record(station, alice, carol, course="索赔员认证", until=today + timedelta(days=45))
    _record(station, alice, carol, course="钣金培训", until=today + timedelta(days=61))  # beyond 60 days
    withdrawn = _record(station, alice, carol, course="喷漆认证", until=today + timedelta(days=5))
    training.training_record_withdraw(record=withdrawn, by=carol)
    rows = training.expiring(station, today=today)
    assert [r.pk for r in rows] == [expired.pk, soon.pk]
    assert old.pk not in [r.pk for r in rows]
    with pytest.raises(DomainError):
        training.training_record_withdraw(record=withdrawn, by=carol)


def test_a_planned_course_that_took_place_becomes_a_record_and_leaves_the_plan(station, carol, bob):
    today = timezone.localdate()
    item = training.training_plan_add(station=station, staff=bob, course="新车型培训", kind=K.CARMAKER,
                                      planned_for=today + timedelta(days=3), by=carol)
    assert training.plan(station, today=today) == [item]
    record = training.training_plan_complete(item=item, completed_on=today, result=R.PASSED,
                                             expires_on=today + timedelta(days=365), by=carol)
    item.refresh_from_db()
    assert (item.status, item.record_id, item.closed_by_id) == (TrainingPlanItem.Status.DONE, record.pk, carol.pk)
    assert (record.course, record.kind, record.staff_id) == ("新车型培训", K.CARMAKER, bob.pk)
    assert training.plan(station, today=today) == []
    with pytest.raises(DomainError):
        training.training_plan_cancel(item=item, by=carol)
    with pytest.raises(DomainError) as exc:
        training.training_plan_add(station=station, staff=bob, course="x", kind=K.INTERNAL,
                                   planned_for=today - timedelta(days=1), by=carol)
    assert exc.value.field == "planned_for"


def test_the_expiry_warning_goes_once_to_the_holder_and_the_station_manager(station, carol, bob, alice):
    today = timezone.localdate()
    due = _record(station, bob, carol, until=today + timedelta(days=20))
    _record(station, alice, carol, course="服务顾问认证", until=today + timedelta(days=31))  # not yet
    _record(station, alice, carol, course="索赔员认证", until=today - timedelta(days=1))  # already run out
    run = training.training_expiry_warn(today=today)
    assert (run.records, run.messages) == (1, 2)
    notes = Notification.objects.filter(key__startswith="training-expiry:")
    assert sorted(n.recipient_staff_id for n in notes) == sorted([bob.pk, carol.pk])
    assert all(due.course in n.subject for n in notes)
    again = training.training_expiry_warn(today=today)
    assert (again.records, again.messages) == (1, 0)
    assert notes.count() == 2


def test_the_training_page_shows_the_plan_and_what_runs_out(client_as, station, carol, bob):
    today = timezone.localdate()
    _record(station, bob, carol, until=today + timedelta(days=7))
    training.training_plan_add(station=station, staff=bob, course="电池安全培训", kind=K.INTERNAL,
                               planned_for=today + timedelta(days=2), by=carol)
    html = client_as(carol).get(reverse("org:training")).content.decode()
    assert "发动机诊断认证" in html.split('id="training-expiring"')[1].split("</table>")[0]
    assert "电池安全培训" in html.split('id="training-plan"')[1].split("</table>")[0]


def test_the_record_form_refuses_an_expiry_before_the_course_at_the_field_and_keeps_the_input(client_as, carol, bob):
    url = reverse("org:training_record_new")
    data = {"staff": bob.pk, "course": "变速箱认证", "kind": K.CERTIFICATION, "completed_on": "2026-06-01",
            "result": R.PASSED, "expires_on": "2026-05-01", "note": ""}
    response = client_as(carol).post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "变速箱认证" in html and "is-invalid" in html.split('name="expires_on"')[0][-400:] + html
    assert not TrainingRecord.objects.exists()
    data["expires_on"] = "2028-06-01"
    response = client_as(carol).post(url, data)
    assert response.status_code == 302
    record = TrainingRecord.objects.get()
    assert (record.expires_on, record.recorded_by_id) == (date(2028, 6, 1), carol.pk)


def test_another_stations_staff_cannot_be_picked_and_its_plan_items_are_404(client_as, station, carol, mallory,
                                                                            other_station, make_staff):
    other_manager = make_staff("station_manager", username="om", station=other_station)
    item = training.training_plan_add(station=other_station, staff=mallory, course="x", kind=K.INTERNAL,
                                      planned_for=timezone.localdate(), by=other_manager)
    client = client_as(carol)
    response = client.post(reverse("org:training_plan_new"), {"staff": mallory.pk, "course": "y",
                                                              "kind": K.INTERNAL, "planned_for": "2030-01-01"})
    assert response.status_code == 400
    assert client.get(reverse("org:training_plan_done", args=[item.pk])).status_code == 404
    assert client.post(reverse("org:training_plan_cancel", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.status == TrainingPlanItem.Status.PLANNED
