"""The demo's technician pay on sold hours and the appraisals of technicians, parts clerks and customer relations.

Services used: ``kpi.services.pay`` (``pay_grade_set``, ``technician_grade_set``, ``pay_statements_prepare``,
``pay_statement_approve``) and ``kpi.services.appraisal`` (``appraisal_refresh``, ``appraisal_review_set``).
The workshop lead sets three grades, puts each technician on one, and approves the older of the two closed months;
the newer one waits for approval. Reviews are entered by each role's lead; the first technician of the first station
fails both months, so the flag shows.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from demo import data as D
from demo.base import DemoContext
from kpi.models import Appraisal, AppraisalReview
from kpi.services.appraisal import ROLE_LEADS, ROLE_POSITIONS, appraisal_refresh, appraisal_review_set
from kpi.services.pay import pay_grade_set, pay_statement_approve, pay_statements_prepare, technician_grade_set
from org.models import Position

GRADES = [("初级技师", Decimal("20")), ("中级技师", Decimal("30")), ("高级技师", Decimal("45"))]


def seed_pay(ctx: DemoContext, months: list[date]) -> None:
    for station in ctx.stations:
        lead = ctx.first(station, Position.WORKSHOP_LEAD, Position.STATION_MANAGER)
        grades = [pay_grade_set(station=station, name=name, rate=rate, by=lead) for name, rate in GRADES]
        for index, tech in enumerate(ctx.station_staff(station, Position.TECHNICIAN)):
            technician_grade_set(technician=tech, grade=grades[index % len(grades)], by=lead)
        for month in months:
            statements = pay_statements_prepare(station=station, month=month)
            if month == months[0]:
                for statement in statements:
                    if statement.approved_at is None:
                        pay_statement_approve(statement=statement, by=lead)


def seed_role_appraisals(ctx: DemoContext, months: list[date]) -> None:
    for index, station in enumerate(ctx.stations):
        for role in (Appraisal.Role.TECHNICIAN, Appraisal.Role.PARTS, Appraisal.Role.CARE):
            lead = ctx.first(station, ROLE_LEADS[role], Position.STATION_MANAGER)
            people = [p for position in ROLE_POSITIONS[role] for p in ctx.station_staff(station, position)]
            for p_index, person in enumerate(people):
                failing = index == 0 and p_index == 0 and role == Appraisal.Role.TECHNICIAN
                for month in months:
                    appraisal = appraisal_refresh(advisor=person, month=month)
                    done = set(AppraisalReview.objects.filter(appraisal=appraisal).values_list("kind", flat=True))
                    for kind, score in D.SCORES.items():
                        if kind not in done:
                            appraisal_review_set(appraisal=appraisal, kind=kind, comment="",
                                                 score=Decimal(score - 40 if failing else score),
                                                 by=person if kind == "self" else lead)
