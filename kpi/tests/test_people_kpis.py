"""The people KPIs (issue #19 item 4) with hand-computed figures: staff turnover, staff satisfaction (anonymous, shown
from 3 responses) and the mystery-shop score — from the records through the rollup to the registry's value."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import DomainError
from kpi.registry import KPIS, format_value
from kpi.selectors import Period, combine, station_totals
from kpi.services.rollup import rollup_days
from org.models import StaffEvent, StaffSurveyAnswer, StaffSurveyBallot
from org.staff_survey import (
    QUESTION_CODES,
    ballot_token,
    mystery_item_add,
    mystery_visit_record,
    staff_survey_answer,
    staff_survey_open,
)

pytestmark = pytest.mark.django_db
NOV = Period("custom", date(2026, 11, 1), date(2026, 11, 30))


def _at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _totals(station, period: Period):
    rollup_days(start=period.start, end=period.end)
    return station_totals([station.pk], period)[station.pk]


def _event(staff, kind, day):
    event = StaffEvent.objects.create(staff=staff, kind=kind)
    StaffEvent.objects.filter(pk=event.pk).update(at=_at(day))


def test_staff_turnover_hand_computed(station, other_station, make_staff):
    joined = _at(date(2026, 10, 1), 9)
    staff = [make_staff("technician", username=f"t{i}", date_joined=joined) for i in range(10)]
    leaver = staff[0]
    leaver.is_active = False
    leaver.save()
    _event(leaver, StaffEvent.Kind.DEACTIVATED, date(2026, 11, 16))  # counted 15 days (1–15)
    gone = make_staff("technician", username="gone", date_joined=joined, is_active=False)
    _event(gone, StaffEvent.Kind.DEACTIVATED, date(2026, 10, 10))  # left before November: neither leaver nor head
    make_staff("technician", username="new", date_joined=_at(date(2026, 11, 21), 9))  # counted 10 days (21–30)
    back = make_staff("technician", username="back", date_joined=joined)
    _event(back, StaffEvent.Kind.DEACTIVATED, date(2026, 9, 1))
    _event(back, StaffEvent.Kind.REACTIVATED, date(2026, 11, 26))  # counted 5 days (26–30)
    make_staff("technician", username="elsewhere", station=other_station, date_joined=joined)

    totals = _totals(station, NOV)
    # 9 × 30 + 15 + 10 + 5 = 300 staff-days over 30 days: 10 on average; 1 leaver → 10 %
    assert (totals.staff_leavers, totals.staff_headcount, totals.staff_days) == (1, 300, 30)
    assert KPIS["staff_turnover"].value(totals) == Decimal("0.1")
    assert format_value(KPIS["staff_turnover"], KPIS["staff_turnover"].value(totals)) == "10.0%"
    # the group: headcounts add up, the days counted do not (other station: 1 head × 30 days)
    other = _totals(other_station, NOV)
    group = combine([totals, other])
    assert (group.staff_headcount, group.staff_days) == (330, 30)
    assert KPIS["staff_turnover"].value(group) == Decimal(1) / Decimal(11)


def test_staff_satisfaction_needs_three_responses(station, make_staff, carol):
    people = [make_staff("technician", username=f"s{i}") for i in range(3)]
    survey = staff_survey_open(station=station, closes_on=timezone.localdate() + timedelta(days=7), by=carol)
    period = Period("custom", survey.quarter, timezone.localdate())
    staff_survey_answer(survey=survey, staff=people[0], scores=dict.fromkeys(QUESTION_CODES, 5))  # 25
    staff_survey_answer(survey=survey, staff=people[1], scores=dict.fromkeys(QUESTION_CODES, 4))  # 20
    totals = _totals(station, period)
    assert totals.staff_survey_responses == 2
    assert KPIS["staff_satisfaction"].value(totals) is None  # 2 responses: not shown
    staff_survey_answer(survey=survey, staff=people[2], scores=dict(zip(QUESTION_CODES, [3, 3, 4, 4, 5], strict=True)))
    totals = _totals(station, period)
    # (25 + 20 + 19) ÷ 15 answers = 64 ÷ 15 = 4.27
    assert (totals.staff_survey_points, totals.staff_survey_answers, totals.staff_survey_responses) == (64, 15, 3)
    assert format_value(KPIS["staff_satisfaction"], KPIS["staff_satisfaction"].value(totals)) == "4.3"


def test_staff_survey_is_anonymous_and_answered_once(station, make_staff, carol):
    person = make_staff("technician", username="anon")
    survey = staff_survey_open(station=station, closes_on=timezone.localdate(), by=carol)
    staff_survey_answer(survey=survey, staff=person, scores=dict.fromkeys(QUESTION_CODES, 3))
    with pytest.raises(DomainError):
        staff_survey_answer(survey=survey, staff=person, scores=dict.fromkeys(QUESTION_CODES, 1))
    ballot = StaffSurveyBallot.objects.get(survey=survey)
    assert ballot.token == ballot_token(survey, person) and len(ballot.token) == 64  # HMAC-SHA256, hex
    assert "staff" not in {f.name for f in StaffSurveyBallot._meta.get_fields()}
    assert StaffSurveyAnswer.objects.filter(survey=survey).count() == len(QUESTION_CODES)
    field_names = {f.name for f in StaffSurveyAnswer._meta.get_fields()}
    assert not field_names & {"staff", "ballot", "at", "created_at"}
    with pytest.raises(DomainError):
        staff_survey_open(station=station, closes_on=timezone.localdate(), by=carol)  # one per quarter


def test_mystery_shop_score_hand_computed(station, carol):
    greet = mystery_item_add(station=station, label="接待问候", max_points=Decimal("10"), by=carol)
    explain = mystery_item_add(station=station, label="维修项目解释", max_points=Decimal("20"), by=carol)
    today = timezone.localdate()
    mystery_visit_record(station=station, visited_on=today, scores={greet.pk: Decimal("8"), explain.pk: Decimal("15")},
                         by=carol)
    mystery_visit_record(station=station, visited_on=today, scores={greet.pk: Decimal("10"),
                                                                    explain.pk: Decimal("20")}, by=carol)
    with pytest.raises(DomainError):
        mystery_visit_record(station=station, visited_on=today, scores={greet.pk: Decimal("11"),
                                                                        explain.pk: Decimal("1")}, by=carol)
    totals = _totals(station, Period("custom", today, today))
    # (8 + 15 + 10 + 20) ÷ (30 + 30) = 53 ÷ 60 = 88.3 %
    assert (totals.mystery_points, totals.mystery_possible) == (53, 60)
    assert format_value(KPIS["mystery_shop"], KPIS["mystery_shop"].value(totals)) == "88.3%"
