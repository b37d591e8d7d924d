"""The demo's people KPIs: a checklist with three visits, this quarter's survey with enough answers to be shown, and
one leaver — built through the services, and a second run adds nothing."""

from __future__ import annotations

import pytest

from demo.org import seed_organisation
from demo.people import SURVEY_SCORES, VISITS, seed_people_kpis
from org.models import MysteryShopVisit, StaffEvent, StaffSurvey
from org.staff_survey import MIN_RESPONSES, survey_results

pytestmark = pytest.mark.django_db


def test_demo_people_kpis(settings):
    settings.DEBUG = True
    ctx = seed_organisation()
    seed_people_kpis(ctx)
    seed_people_kpis(ctx)
    station = ctx.stations[0]
    assert MysteryShopVisit.objects.filter(station=station).count() == len(VISITS)
    result = survey_results(StaffSurvey.objects.get(station=station))
    assert result["responses"] == len(SURVEY_SCORES) >= MIN_RESPONSES and result["shown"]
    assert StaffEvent.objects.filter(staff__username="tech.left", kind=StaffEvent.Kind.DEACTIVATED).count() == 1
