"""The demo's loaners and pick-ups, built through the services (a focused run; the full seed test is too slow to
repeat for one module)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from demo.base import DemoContext
from demo.desk_services import seed_desk_services
from reception.factories import WorkOrderFactory
from reception.models import Loaner, LoanerBooking, PickupJob

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_fleet_bookings_and_pickups_and_a_second_run_changes_nothing(station, carol, alice, make_staff):
    desk = make_staff("receptionist", username="rita")
    ctx = DemoContext(group=station.group, stations=[station],
                      staff={s.username: s for s in (carol, alice, desk)})
    for _i in range(4):
        WorkOrderFactory(station=station, advisor=alice, status="open")
    seed_desk_services(ctx)
    seed_desk_services(ctx)
    assert Loaner.objects.filter(station=station).count() == 3
    bookings = LoanerBooking.objects.filter(station=station)
    assert sorted(bookings.values_list("status", flat=True)) == ["booked", "out", "returned"]
    returned = bookings.get(status="returned")
    assert returned.charge == Decimal("300.00")  # a day and a half at 150: two started days
    assert returned.line.order == returned.order and returned.line.quantity * returned.line.unit_price == Decimal("300")
    assert bookings.get(status="out").free and bookings.get(status="out").free_by == carol
    jobs = PickupJob.objects.filter(station=station)
    assert sorted(jobs.values_list("status", flat=True)) == ["delivered", "planned"]
    delivered = jobs.get(status="delivered")
    assert delivered.photos.count() == 2 and delivered.pickup_signature and delivered.delivery_signature
