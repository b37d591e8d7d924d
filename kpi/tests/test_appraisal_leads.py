"""Who may appraise whom: each lead opens and reviews the appraisals of the people they lead at their own station, and
is refused the others (403) and another station's (404); the station manager sees every role."""

from datetime import date

import pytest
from django.urls import reverse

from kpi.factories import AppraisalFactory
from kpi.models import AppraisalReview
from kpi.services.appraisal import roles_appraised_by
from org.factories import StaffFactory, StationFactory
from org.models import Staff

pytestmark = pytest.mark.django_db
MARCH = date(2026, 3, 1)
ROLE_OF = {"advisor": "service_advisor", "technician": "technician", "parts": "parts_clerk",
           "care": "customer_relations"}
LEADS = {"workshop_lead": {"technician"}, "parts_lead": {"parts"}, "front_desk_lead": {"advisor", "care"}}


@pytest.fixture
def shop():
    station, other = StationFactory(code="A"), StationFactory(code="B")
    here = {role: AppraisalFactory(advisor=StaffFactory(station=station, position=position), role=role, month=MARCH)
            for role, position in ROLE_OF.items()}
    there = {role: AppraisalFactory(advisor=StaffFactory(station=other, position=position), role=role, month=MARCH)
             for role, position in ROLE_OF.items()}
    staff = {p: StaffFactory(station=station, position=p) for p in (*LEADS, "station_manager", "technical_lead")}
    return station, here, there, staff


def test_the_rule_names_each_leads_people():
    for lead, roles in LEADS.items():
        assert set(roles_appraised_by(StaffFactory(position=lead))) == roles
    assert set(roles_appraised_by(StaffFactory(position="station_manager"))) == set(ROLE_OF)
    assert roles_appraised_by(StaffFactory(position="technical_lead")) == []
    assert roles_appraised_by(Staff(position="workshop_lead")) == []  # a lead without a station leads nobody


@pytest.mark.parametrize("lead", sorted(LEADS))
def test_a_lead_opens_their_people_and_is_refused_the_others_and_another_station(lead, shop, client):
    _station, here, there, staff = shop
    client.force_login(staff[lead])
    for role, appraisal in here.items():
        expected = 200 if role in LEADS[lead] else 403
        assert client.get(reverse("kpi:appraisal_detail", args=[appraisal.pk])).status_code == expected, role
    for appraisal in there.values():
        assert client.get(reverse("kpi:appraisal_detail", args=[appraisal.pk])).status_code == 404


@pytest.mark.parametrize("lead", sorted(LEADS))
def test_a_leads_list_has_only_their_roles_at_their_station(lead, shop, client):
    station, _here, _there, staff = shop
    other = _there["advisor"].station
    client.force_login(staff[lead])
    page = client.get(reverse("kpi:appraisals") + "?month=2026-03")
    assert page.status_code == 200
    assert {value for value, _label in page.context["roles"]} == LEADS[lead]
    assert page.context["station"] == station and page.context["role"] in LEADS[lead]
    assert [a.advisor.station_id for a in page.context["appraisals"]] == [station.pk]
    for role in set(ROLE_OF) - LEADS[lead]:
        assert client.get(reverse("kpi:appraisals") + f"?month=2026-03&role={role}").status_code == 403
    assert client.get(reverse("kpi:appraisals") + f"?station={other.pk}").status_code == 404


def test_the_workshop_lead_enters_a_technicians_review_and_not_an_advisors(shop, client):
    _station, here, _there, staff = shop
    client.force_login(staff["workshop_lead"])
    data = {"kind": "supervisor", "score": "85", "comment": "稳定"}
    assert client.post(reverse("kpi:appraisal_detail", args=[here["technician"].pk]), data).status_code == 302
    assert client.post(reverse("kpi:appraisal_detail", args=[here["advisor"].pk]), data).status_code == 403
    review = AppraisalReview.objects.get()
    assert (review.appraisal_id, review.entered_by, review.score) == (here["technician"].pk, staff["workshop_lead"], 85)


def test_the_station_manager_keeps_seeing_every_role(shop, client):
    _station, here, _there, staff = shop
    client.force_login(staff["station_manager"])
    for appraisal in here.values():
        assert client.get(reverse("kpi:appraisal_detail", args=[appraisal.pk])).status_code == 200
    roles = client.get(reverse("kpi:appraisals")).context["roles"]
    assert {value for value, _label in roles} == set(ROLE_OF)


def test_a_lead_without_people_to_appraise_is_refused(shop, client):
    _station, here, _there, staff = shop
    client.force_login(staff["technical_lead"])
    assert client.get(reverse("kpi:appraisals")).status_code == 403
    assert client.get(reverse("kpi:appraisal_detail", args=[here["technician"].pk])).status_code == 403
