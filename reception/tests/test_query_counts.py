"""List pages make the same number of queries for 5 rows as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reception.factories import AppointmentFactory, VehicleFactory, WorkOrderFactory, WorkOrderLineFactory


def _make(station, alice, n):
    for _ in range(n):
        vehicle = VehicleFactory(station=station)
        WorkOrderLineFactory(order=WorkOrderFactory(station=station, vehicle=vehicle, advisor=alice))
        AppointmentFactory(station=station, vehicle=vehicle, advisor=alice, start=timezone.now())


def _count(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name, params", [
    ("reception:order_list", {}), ("reception:customer_list", {}), ("reception:appointments", {}),
    ("reception:appointment_week", {}), ("reception:index", {}), ("reception:welcome_board", {}),
    ("reception:search", {"q": "沪R"}),
])
def test_list_pages_do_not_grow_with_rows(client_as, alice, station, name, params):
    client = client_as(alice)
    client.get(reverse(name), params)  # the first page after login stamps the session (at most once a minute)
    _make(station, alice, 5)
    few = _count(client, reverse(name), **params)
    _make(station, alice, 45)
    many = _count(client, reverse(name), **params)
    assert many == few
