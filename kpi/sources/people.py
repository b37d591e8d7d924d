"""The people measures (issue #19 item 4): staff turnover, the anonymous staff survey and the mystery shop.

Staff turnover (员工流失率) = leavers in the period ÷ average headcount, where
* a leaver is a ``StaffEvent`` of kind DEACTIVATED, counted on its local day at the staff member's station (a
  deactivation later undone still counts: someone left and came back);
* the headcount of a day is the station's staff active at the day's end: joined (``date_joined``) on or before that
  day, and whose last deactivation/reactivation up to the day's end is not a deactivation (before their first such
  event: active if it was a deactivation; with none at all, as ``is_active`` says now). Group roles without a station are not counted. A move between stations is not a leaver;
  the person counts at their present station;
* average headcount = ``staff_headcount`` (the day-end headcounts summed) ÷ ``staff_days`` (the days counted).
Example: 10 staff all month (30 days), one deactivated on the 16th → headcount 15 × 10 + 15 × 9 = 285 over 30 days
= 9.5 on average; turnover = 1 ÷ 9.5 = 10.5 %.

Staff satisfaction (员工满意度) = the sum of all scores (1–5) ÷ the number of answers, every question alike; the
answers of a survey count on the first day of its quarter, and the figure is shown only from 3 responses
(``staff_survey_responses``) up, so that no answer can be traced to a person.

Mystery shop (神秘客户得分率) = points achieved ÷ points possible over the visits of the period (by visit date).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Count, Sum

from kpi.sources.base import ONE, Sink, local_day
from org.models import MysteryShopVisit, Staff, StaffEvent, StaffSurvey, StaffSurveyAnswer

LEFT, BACK = StaffEvent.Kind.DEACTIVATED, StaffEvent.Kind.REACTIVATED


def turnover(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    station_ids = list(station_ids)
    first, last = local_day(lo), local_day(hi - timedelta(microseconds=1))
    staff = list(Staff.objects.filter(station_id__in=station_ids).values_list("pk", "station_id", "date_joined",
                                                                              "is_active"))
    events = defaultdict(list)  # staff id → [(local day, kind)] in time order
    for staff_id, kind, at in StaffEvent.objects.filter(
        staff__station_id__in=station_ids, kind__in=[LEFT, BACK]
    ).order_by("at", "pk").values_list("staff_id", "kind", "at"):
        events[staff_id].append((local_day(at), kind))
    for staff_id, station_id, _joined, _active in staff:
        for day, kind in events[staff_id]:
            if kind == LEFT and first <= day <= last:
                sink.add(station_id, day, "staff_leavers", ONE)
    heads: dict[tuple[int, object], int] = defaultdict(int)
    for staff_id, station_id, joined, active in staff:
        joined_day = local_day(joined)
        history = events[staff_id]
        # before their first event they were in the state it left: active if it was a deactivation
        before = (history[0][1] == LEFT) if history else active
        day = max(first, joined_day)
        while day <= last:
            state = None
            for event_day, kind in history:
                if event_day > day:
                    break
                state = kind
            if (before if state is None else state == BACK):
                heads[(station_id, day)] += 1
            day += timedelta(days=1)
    day = first
    while day <= last:
        for station_id in station_ids:
            sink.add(station_id, day, "staff_days", ONE)
            sink.add(station_id, day, "staff_headcount", heads.get((station_id, day), 0))
        day += timedelta(days=1)


def staff_survey(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    first, last = local_day(lo), local_day(hi - timedelta(microseconds=1))
    surveys = StaffSurvey.objects.filter(station_id__in=list(station_ids), quarter__gte=first, quarter__lte=last)
    rows = surveys.annotate(n_ballots=Count("ballots", distinct=True), n_answers=Count("answers", distinct=True))
    points = dict(StaffSurveyAnswer.objects.filter(survey__in=surveys).values("survey_id").annotate(
        total=Sum("score")).values_list("survey_id", "total"))
    for survey_id, station_id, quarter, responses, answers in rows.values_list(
        "pk", "station_id", "quarter", "n_ballots", "n_answers"
    ):
        sink.add(station_id, quarter, "staff_survey_responses", responses)
        sink.add(station_id, quarter, "staff_survey_answers", answers)
        sink.add(station_id, quarter, "staff_survey_points", points.get(survey_id) or 0)


def mystery_shop(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    first, last = local_day(lo), local_day(hi - timedelta(microseconds=1))
    for station_id, day, points, possible in MysteryShopVisit.objects.filter(
        station_id__in=list(station_ids), visited_on__gte=first, visited_on__lte=last
    ).values_list("station_id", "visited_on", "points", "possible"):
        sink.add(station_id, day, "mystery_points", points)
        sink.add(station_id, day, "mystery_possible", possible)
