"""The people-KPI pages: a staff member answers the open survey once (anonymously), the manager opens the survey,
sees results only from 3 responses, sets up the mystery-shop checklist and enters a visit; refusals at the field."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from org.models import MysteryShopItem, MysteryShopVisit, StaffSurvey, StaffSurveyAnswer, StaffSurveyBallot
from org.staff_survey import QUESTION_CODES, staff_survey_answer, staff_survey_open

pytestmark = pytest.mark.django_db


def test_staff_member_answers_the_open_survey_once(client_as, carol, bob, station):
    page = client_as(bob).get(reverse("org:staff_survey"))
    assert b'id="no-survey"' in page.content
    staff_survey_open(station=station, closes_on=timezone.localdate() + timedelta(days=5), by=carol)
    client = client_as(bob)
    bad = client.post(reverse("org:staff_survey"), {"overall": "5"})
    assert bad.status_code == 400 and not StaffSurveyBallot.objects.exists()
    answers = dict.fromkeys(QUESTION_CODES, "4")
    assert client.post(reverse("org:staff_survey"), answers).status_code == 302
    assert StaffSurveyBallot.objects.count() == 1 and StaffSurveyAnswer.objects.count() == len(QUESTION_CODES)
    again = client.get(reverse("org:staff_survey"))
    assert b'id="answered"' in again.content and b'id="survey-form"' not in again.content
    assert client.post(reverse("org:staff_survey"), answers).status_code == 400  # a second answer is refused
    assert StaffSurveyBallot.objects.count() == 1


def test_manager_opens_survey_and_sees_results_from_three(client_as, carol, make_staff, station):
    client = client_as(carol)
    past = client.post(reverse("org:staff_survey_open"), {"closes_on": "2020-01-01"})
    assert past.status_code == 400 and "closes_on" in past.context["form"].errors
    assert client.post(reverse("org:staff_survey_open"),
                       {"closes_on": (timezone.localdate() + timedelta(days=9)).isoformat()}).status_code == 302
    survey = StaffSurvey.objects.get(station=station)
    people = [make_staff("technician", username=f"p{i}") for i in range(3)]
    for person in people[:2]:
        staff_survey_answer(survey=survey, staff=person, scores=dict.fromkeys(QUESTION_CODES, 4))
    page = client.get(reverse("org:people"))
    assert b"results-hidden" in page.content and b"4.00" not in page.content
    staff_survey_answer(survey=survey, staff=people[2], scores=dict.fromkeys(QUESTION_CODES, 3))
    page = client.get(reverse("org:people"))
    assert b"results-hidden" not in page.content and b"3.67" in page.content  # (4 + 4 + 3) ÷ 3


def test_manager_sets_up_checklist_and_enters_a_visit(client_as, carol, station):
    client = client_as(carol)
    for label, points in (("接待问候", "10"), ("交车说明", "20")):
        assert client.post(reverse("org:mystery_item_new"), {"label": label, "max_points": points}).status_code == 302
    items = list(MysteryShopItem.objects.filter(station=station))
    today = timezone.localdate().isoformat()
    over = client.post(reverse("org:mystery_visit_new"),
                       {"visited_on": today, f"item_{items[0].pk}": "12", f"item_{items[1].pk}": "5"})
    assert over.status_code == 400 and f"item_{items[0].pk}" in over.context["form"].errors
    done = client.post(reverse("org:mystery_visit_new"),
                       {"visited_on": today, f"item_{items[0].pk}": "9", f"item_{items[1].pk}": "15"})
    visit = MysteryShopVisit.objects.get()
    assert done.status_code == 302 and (visit.points, visit.possible) == (24, 30)
    page = client.get(reverse("org:mystery_visit", args=[visit.pk]))
    assert "80%" in page.content.decode()  # 24 ÷ 30
    client.post(reverse("org:mystery_item_retire", args=[items[1].pk]))
    form = client.get(reverse("org:mystery_visit_new")).context["form"]
    assert f"item_{items[1].pk}" not in form.fields and f"item_{items[0].pk}" in form.fields
