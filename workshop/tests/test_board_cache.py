import pytest
from django.core.cache import cache
from django.urls import reverse

from reception.factories import WorkOrderFactory, WorkOrderLineFactory
from workshop.services.clock import clock_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.WORKSHOP_BOARD_CACHE_SECONDS = 15
    cache.clear()
    yield
    cache.clear()


def test_a_workshop_change_shows_at_the_next_poll_despite_the_cache(cached, client_as, dispatcher, dispatched, bob):
    client = client_as(dispatcher)
    url = reverse("workshop:board")
    working = 'text-bg-success">' + dispatched.order.vehicle.plate
    assert working not in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    clock_on(line=dispatched, technician=bob)
    assert working in client.get(url, HTTP_HX_REQUEST="true").content.decode()


def test_a_new_order_from_the_desk_waits_for_the_time_limit(cached, client_as, dispatcher, station, alice, settings):
    client = client_as(dispatcher)
    url = reverse("workshop:board")
    client.get(url)
    order = WorkOrderFactory(signed=True, station=station, advisor=alice)
    WorkOrderLineFactory(labour=True, order=order)
    assert order.number not in client.get(url).content.decode()  # served from the cache
    settings.WORKSHOP_BOARD_CACHE_SECONDS = 0
    assert order.number in client.get(url).content.decode()
