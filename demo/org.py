"""The demo organisation: one group, one region, two stations, a login for every position.

Group, region and stations are created directly and idempotently here (a real installation sets them up on the
``/setup/`` pages through ``org.services.dealer_group_create`` and ``station_create``, which need a superuser or
the group's director, whom the demo has not made yet); so are the two group-level people (the group director and the regional
manager), whom ``staff_create`` cannot make because they belong to no station. Everyone in a station is hired through
``org.services.staff_create`` by the group director.
"""

from __future__ import annotations

import zlib
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from demo import data as D
from demo.base import DemoContext
from org import meetings, training
from org.models import DealerGroup, Meeting, Region, Staff, Station, TrainingRecord
from org.services import staff_create


def login_for(station_index: int, suffix: str) -> str:
    if station_index == 0:
        return suffix
    return "manager2" if suffix == "manager" else f"hz.{suffix}"


@transaction.atomic
def seed_organisation() -> DemoContext:
    group, _ = DealerGroup.objects.get_or_create(code=D.GROUP["code"], defaults={
        "name": D.GROUP["name"], "name_en": D.GROUP["name_en"]})
    region, _ = Region.objects.get_or_create(group=group, name=D.REGION)
    stations = [
        Station.objects.get_or_create(code=row["code"], defaults={
            "group": group, "region": region, **{k: v for k, v in row.items() if k != "code"}})[0]
        for row in D.STATIONS
    ]
    ctx = DemoContext(group=group, stations=stations)
    for login, name, position, regional in D.GROUP_STAFF:
        person, created = Staff.objects.get_or_create(username=login, defaults={
            "display_name": name, "group": group, "region": region if regional else None, "position": position,
            "is_staff": not regional})
        if created:
            person.set_password(D.DEMO_PASSWORD)
            person.save(update_fields=["password"])
        ctx.staff[login] = person
    existing = {s.username: s for s in Staff.objects.filter(station__in=stations)}
    director = ctx.staff["director"]
    for index, station in enumerate(stations):
        for number, (suffix, position, name, boss) in enumerate(D.HIERARCHY, start=1):
            login = login_for(index, suffix)
            person = existing.get(login)
            if person is None:
                person = staff_create(
                    by=director, station=station, username=login, password=D.DEMO_PASSWORD,
                    display_name=name if index == 0 else D.STATION2_NAMES[suffix], position=position,
                    reports_to=ctx.staff[login_for(index, boss)] if boss else None,
                    phone=f"13{index + 8}{zlib.crc32(suffix.encode()) % 10**8:08d}",
                    email=f"{login.replace('.', '_')}@dongfang-auto.example",
                    employee_no=f"{station.code[:2].upper()}{number:03d}",
                )
            ctx.staff[login] = person
    return ctx


# Courses and certifications of the first station, days relative to today: (login, course, kind, done days ago,
# valid for days or None, result). tech1's certification runs out within the warning window, the advisor's has run out.
TRAINING = [
    ("tech1", "厂家一级技师认证", "certification", 710, 730, "passed"),
    ("tech2", "厂家一级技师认证", "certification", 200, 730, "passed"),
    ("tech3", "高压电安全作业培训", "carmaker", 90, 365, "passed"),
    ("tech3", "厂家二级技师认证", "certification", 60, None, "failed"),
    ("advisor", "厂家服务顾问认证", "certification", 370, 365, "passed"),
    ("advisor2", "厂家服务顾问认证", "certification", 100, 365, "passed"),
    ("warranty", "索赔员资格认证", "certification", 300, 730, "passed"),
    ("parts", "配件管理系统培训", "internal", 40, None, "attended"),
    ("care", "客户投诉处理技巧", "external", 150, None, "attended"),
]
# (login, course, kind, in days)
TRAINING_PLAN = [
    ("tech3", "厂家二级技师认证（补考）", "certification", 12),
    ("advisor", "厂家服务顾问认证（复训）", "certification", 5),
    ("tech1", "新能源车型技术培训", "carmaker", 30),
    ("reception", "接待礼仪与电话规范", "internal", 3),
]


def seed_training(ctx: DemoContext) -> None:
    """The first station's training records and plan, entered through org.training by the station manager."""
    station = ctx.stations[0]
    if TrainingRecord.objects.filter(station=station).exists():
        return
    today = timezone.localdate()
    manager = ctx.staff["manager"]
    for login, course, kind, ago, valid, result in TRAINING:
        done = today - timedelta(days=ago)
        training.training_record_add(station=station, staff=ctx.staff[login], course=course, kind=kind,
                                     completed_on=done, result=result,
                                     expires_on=done + timedelta(days=valid) if valid else None, by=manager)
    for login, course, kind, ahead in TRAINING_PLAN:
        training.training_plan_add(station=station, staff=ctx.staff[login], course=course, kind=kind,
                                   planned_for=today + timedelta(days=ahead), by=manager)


# (kind, days ago, hour, chair, attendees, minutes, actions: (description, owner, due in days from today, done by))
MEETINGS = [
    ("quality", 8, 16, "techlead", ["dispatcher", "qc", "tech1", "tech2", "tech3", "frontlead"],
     "本周返修 3 台：2 台制动异响（刹车片安装），1 台空调不制冷（冷媒加注不足）。\n决定：刹车片更换后必须路试；空调维修加抽真空保压检查。",
     [("制动类工单加路试记录，班组长抽查", "dispatcher", -2, None),
      ("空调维修作业指导书补充保压步骤", "techlead", 3, None),
      ("对 3 台返修车客户回访致歉", "frontlead", -5, "frontlead")]),
    ("morning", 1, 8, "manager", ["frontlead", "advisor", "advisor2", "dispatcher", "partslead", "care"],
     "昨日进厂 34 台，交车 31 台，预约到店率 82%。机油滤清器库存偏低。\n今日重点：两台事故车定损，14:00 保险公司查勘。",
     [("机油滤清器补货，今日下单", "partslead", 1, None)]),
]


def seed_meetings(ctx: DemoContext) -> None:
    """Two meetings of the first station with their actions, through org.meetings (one action overdue, one done)."""
    station = ctx.stations[0]
    if Meeting.objects.filter(station=station).exists():
        return
    now = timezone.localtime()
    for kind, ago, hour, chair, people, minutes, actions in MEETINGS:
        held = (now - timedelta(days=ago)).replace(hour=hour, minute=30, second=0, microsecond=0)
        meeting = meetings.meeting_record(station=station, kind=kind, held_at=held, chaired_by=ctx.staff[chair],
                                          attendees=[ctx.staff[p] for p in people], minutes=minutes,
                                          by=ctx.staff[chair])
        for description, owner, due, done_by in actions:
            action = meetings.meeting_action_add(meeting=meeting, description=description, owner=ctx.staff[owner],
                                                 due_on=max(held.date(), timezone.localdate() + timedelta(days=due)),
                                                 by=ctx.staff[chair])
            if done_by:
                meetings.meeting_action_done(action=action, note="已完成", by=ctx.staff[done_by])
