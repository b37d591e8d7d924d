"""The people KPIs of the first station (issue #19 item 4), through org.staff_survey and org.services: the carmaker's
mystery-shop checklist and three visits, this quarter's staff survey answered by most of the staff, and one
technician who joined and left (a leaver for the turnover)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from demo import data as D
from demo.base import DemoContext
from org import staff_survey
from org.models import MysteryShopItem, Staff
from org.services import staff_create, staff_set_active

# (item, maximum points) — the shape of a carmaker's after-sales mystery-shop checklist
CHECKLIST = [
    ("电话预约：三声内接听，确认车辆与需求", "10"), ("到店接待：2 分钟内问候并环车检查", "20"),
    ("维修项目与费用预估解释清楚，客户签字确认", "20"), ("客休区整洁，提供饮品与进度告知", "10"),
    ("交车：解释已做项目、旧件展示、结算单说明", "25"), ("三日内回访", "15"),
]
# (days ago, points per checklist item)
VISITS = [(75, ["8", "15", "16", "9", "18", "15"]), (45, ["10", "18", "14", "10", "20", "10"]),
          (12, ["10", "20", "18", "9", "22", "15"])]
SURVEY_SCORES = [(5, 4, 3, 4, 4), (4, 4, 3, 5, 4), (4, 3, 2, 4, 3), (5, 5, 4, 5, 4), (3, 3, 3, 4, 3),
                 (4, 4, 4, 4, 5), (4, 2, 3, 3, 4), (5, 4, 4, 5, 5), (4, 4, 3, 4, 3), (3, 4, 2, 4, 4),
                 (4, 4, 4, 5, 4)]
SURVEY_SKIP = {"manager", "info", "cashier", "reception", "warranty", "advisor2"}  # who has not answered yet


def seed_people_kpis(ctx: DemoContext) -> None:
    station = ctx.stations[0]
    if MysteryShopItem.objects.filter(station=station).exists():
        return
    manager, today = ctx.staff["manager"], timezone.localdate()
    for label, points in CHECKLIST:
        staff_survey.mystery_item_add(station=station, label=label, max_points=Decimal(points), by=manager)
    items = staff_survey.checklist(station)
    for ago, points in VISITS:
        staff_survey.mystery_visit_record(station=station, visited_on=today - timedelta(days=ago), by=manager,
                                          scores={item.pk: Decimal(p) for item, p in zip(items, points, strict=True)})
    survey = staff_survey.staff_survey_open(station=station, closes_on=today + timedelta(days=10), by=manager)
    answering = [ctx.staff[login] for login, *_rest in D.HIERARCHY if login not in SURVEY_SKIP]
    for person, scores in zip(answering, SURVEY_SCORES, strict=False):
        staff_survey.staff_survey_answer(survey=survey, staff=person,
                                         scores=dict(zip(staff_survey.QUESTION_CODES, scores, strict=True)))
    if not Staff.objects.filter(username="tech.left").exists():
        leaver = staff_create(by=ctx.staff["director"], station=station, username="tech.left",
                              password=D.DEMO_PASSWORD, display_name="吕强", position="technician",
                              reports_to=ctx.staff["dispatcher"])
        staff_set_active(by=manager, staff=leaver, active=False)
