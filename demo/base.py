"""What every demo module shares: the context (group, stations, people by login) and the time machine."""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import time_machine
from django.utils import timezone

from org.models import DealerGroup, Staff, Station


@dataclass
class DemoContext:
    group: DealerGroup
    stations: list[Station]
    staff: dict[str, Staff] = field(default_factory=dict)  # login → person, both stations

    def station_staff(self, station: Station, position: str) -> list[Staff]:
        return sorted((s for s in self.staff.values() if s.station_id == station.pk and s.position == position),
                      key=lambda s: s.username)

    def first(self, station: Station, *positions: str) -> Staff:
        """The first person holding one of these positions (in that order of preference)."""
        for position in positions:
            people = self.station_staff(station, position)
            if people:
                return people[0]
        raise LookupError(f"{station.code}: nobody in {positions}")


def rng_for(*parts: object) -> random.Random:
    """A generator of its own for one piece of the demo, so a run is the same whatever ran before it."""
    return random.Random(zlib.crc32("-".join(str(p) for p in parts).encode()))


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    """Run the services as if it were ``moment``: they stamp ``now`` themselves (signed, settled, delivered…).

    Moments in the future are clamped to now: the demo never writes history that has not happened yet.
    """
    real_now = timezone.now()
    with time_machine.travel(min(moment, real_now), tick=False):
        yield


def moment(day: date, minutes: int) -> datetime:
    """``minutes`` after eight in the morning of ``day``, local time."""
    return timezone.make_aware(datetime.combine(day, time(8, 0))) + timedelta(minutes=minutes)
