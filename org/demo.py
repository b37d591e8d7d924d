"""Demo organisation for ``seed_demo``: one group, one region, two stations with the full hierarchy.

Each app adds its own demo data in ``<app>/demo.py`` with ``seed(ctx: DemoContext)``; ``seed_demo`` calls them in
the order of ``APP_SEEDERS``. Every seeder must be idempotent: a second run changes nothing.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field

from django.db import transaction

from org.models import DealerGroup, Position, Region, Staff, Station

DEMO_PASSWORD = "demo-pass-2026"

# App seeders, in dependency order. A module that does not exist yet is skipped.
APP_SEEDERS = [
    "parts.demo", "reception.demo", "workshop.demo", "settlement.demo", "parts.demo_demand", "parts.demo_stores", "complaints.demo", "kpi.demo",
]

P = Position
# (login suffix, position, display name, reports-to login suffix)
HIERARCHY = [
    ("manager", P.STATION_MANAGER, "王建国", None),
    ("frontlead", P.FRONT_DESK_LEAD, "李静", "manager"),
    ("advisor", P.SERVICE_ADVISOR, "张伟", "frontlead"),
    ("advisor2", P.SERVICE_ADVISOR, "刘洋", "frontlead"),
    ("reception", P.RECEPTIONIST, "陈晓燕", "frontlead"),
    ("warranty", P.WARRANTY_CLERK, "赵敏", "frontlead"),
    ("dispatcher", P.WORKSHOP_LEAD, "孙志强", "manager"),
    ("tech1", P.TECHNICIAN, "周海", "dispatcher"),
    ("tech2", P.TECHNICIAN, "吴磊", "dispatcher"),
    ("tech3", P.TECHNICIAN, "郑浩", "dispatcher"),
    ("qc", P.QC_INSPECTOR, "冯刚", "dispatcher"),
    ("techlead", P.TECHNICAL_LEAD, "何明", "manager"),
    ("partslead", P.PARTS_LEAD, "杨帆", "manager"),
    ("parts", P.PARTS_CLERK, "黄丽", "partslead"),
    ("cashier", P.CASHIER, "林芳", "manager"),
    ("care", P.CUSTOMER_RELATIONS, "徐婷", "manager"),
    ("info", P.INFORMATION_SPECIALIST, "马丽娜", "manager"),
]
STATION2_NAMES = {
    "manager": "钱振华", "frontlead": "高雅", "advisor": "罗斌", "advisor2": "谢婷", "reception": "韩雪",
    "warranty": "唐杰", "dispatcher": "冯建军", "tech1": "邓超", "tech2": "曹阳", "tech3": "彭飞", "qc": "曾强",
    "techlead": "萧峰", "partslead": "田野", "parts": "董芳", "cashier": "袁莉", "care": "潘悦", "info": "蒋琳",
}


@dataclass
class DemoContext:
    group: DealerGroup
    stations: list[Station]
    staff: dict[str, Staff] = field(default_factory=dict)  # login → person, both stations
    rng: random.Random = field(default_factory=lambda: random.Random(2026))

    def station_staff(self, station: Station, position: str) -> list[Staff]:
        return [s for s in self.staff.values() if s.station_id == station.pk and s.position == position]


def _login(station_index: int, suffix: str) -> str:
    if station_index == 0:
        return suffix
    return "manager2" if suffix == "manager" else f"hz.{suffix}"


def _person(login: str, **fields) -> Staff:
    person, created = Staff.objects.get_or_create(username=login, defaults=fields)
    if created:
        person.set_password(DEMO_PASSWORD)
        person.save(update_fields=["password"])
    return person


@transaction.atomic
def seed_organisation() -> DemoContext:
    group, _ = DealerGroup.objects.get_or_create(
        code="dongfang", defaults={"name": "东方汽车服务集团", "name_en": "Dongfang Auto Service Group"}
    )
    region, _ = Region.objects.get_or_create(group=group, name="华东区")
    s1, _ = Station.objects.get_or_create(
        code="sh-pudong",
        defaults={
            "group": group, "region": region, "name": "上海东方丰田浦东4S店", "name_en": "Dongfang Toyota Pudong",
            "address": "上海市浦东新区龙阳路1888号", "address_en": "1888 Longyang Road, Pudong, Shanghai",
            "phone": "021-5888 6666", "email": "service.pd@dongfang-auto.example", "tax_id": "91310115MA1K3XXXXA",
        },
    )
    s2, _ = Station.objects.get_or_create(
        code="hz-xihu",
        defaults={
            "group": group, "region": region, "name": "杭州东方丰田西湖4S店", "name_en": "Dongfang Toyota Xihu",
            "address": "杭州市西湖区文三路666号", "address_en": "666 Wensan Road, Xihu, Hangzhou",
            "phone": "0571-8888 2222", "email": "service.xh@dongfang-auto.example", "tax_id": "91330106MA2H7XXXXB",
        },
    )
    ctx = DemoContext(group=group, stations=[s1, s2])
    ctx.staff["director"] = _person(
        "director", display_name="沈国华", group=group, position=P.GROUP_DIRECTOR, is_staff=True
    )
    ctx.staff["regional"] = _person(
        "regional", display_name="陆文涛", group=group, region=region, position=P.REGIONAL_MANAGER
    )
    for index, station in enumerate(ctx.stations):
        for suffix, position, name, boss in HIERARCHY:
            login = _login(index, suffix)
            display = name if index == 0 else STATION2_NAMES[suffix]
            phone = f"13{index + 8}{zlib.crc32(suffix.encode()) % 10**8:08d}"
            ctx.staff[login] = _person(
                login,
                display_name=display,
                group=group,
                station=station,
                position=position,
                reports_to=ctx.staff[_login(index, boss)] if boss else None,
                phone=phone,
                employee_no=f"{station.code[:2].upper()}{HIERARCHY.index((suffix, position, name, boss)) + 1:03d}",
                email=f"{login.replace('.', '_')}@dongfang-auto.example",
            )
    return ctx
