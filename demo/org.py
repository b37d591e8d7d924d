"""The demo organisation: one group, one region, two stations, a login for every position.

Group, region and stations are created directly and idempotently here (a real installation sets them up on the
``/setup/`` pages through ``org.services.dealer_group_create`` and ``station_create``, which need a superuser or
the group's director, whom the demo has not made yet); so are the two group-level people (the group director and the regional
manager), whom ``staff_create`` cannot make because they belong to no station. Everyone in a station is hired through
``org.services.staff_create`` by the group director.
"""

from __future__ import annotations

import zlib

from django.db import transaction

from demo import data as D
from demo.base import DemoContext
from org.models import DealerGroup, Region, Staff, Station
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
