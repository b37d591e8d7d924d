from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import DomainError
from reception.factories import WorkOrderFactory
from reception.models import WorkOrder, WorkOrderEvent
from workshop.models import Comeback
from workshop.services.clock import clock_off, clock_on
from workshop.services.comebacks import comeback_candidates, comeback_link, main_technician

pytestmark = pytest.mark.django_db
S = WorkOrder.Status


def _delivered(station, vehicle, days_ago, **kw):
    order = WorkOrderFactory(signed=True, station=station, vehicle=vehicle, customer=vehicle.owner,
                             status=S.DELIVERED, **kw)
    WorkOrder.objects.filter(pk=order.pk).update(
        delivered_at=timezone.now() - timedelta(days=days_ago), opened_at=timezone.now() - timedelta(days=days_ago + 1)
    )
    order.refresh_from_db()
    return order


@pytest.fixture
def new_order(station, order):
    return order  # opened now


def test_a_delivered_visit_within_the_window_is_a_candidate(new_order, station):
    inside = _delivered(station, new_order.vehicle, 29)
    _delivered(station, new_order.vehicle, 31)
    assert list(comeback_candidates(order=new_order)) == [inside]


def test_the_window_follows_the_station_setting(new_order, station):
    old = _delivered(station, new_order.vehicle, 40)
    assert list(comeback_candidates(order=new_order)) == []
    station.comeback_window_days = 45
    station.save()
    new_order.refresh_from_db()
    assert list(comeback_candidates(order=new_order)) == [old]


def test_other_vehicles_and_unfinished_orders_are_not_candidates(new_order, station):
    WorkOrderFactory(signed=True, station=station, status=S.DELIVERED, delivered_at=timezone.now() - timedelta(days=2))
    WorkOrderFactory(signed=True, station=station, vehicle=new_order.vehicle, customer=new_order.customer,
                     status=S.IN_PROGRESS)
    assert list(comeback_candidates(order=new_order)) == []


def test_linking_a_comeback_records_cause_and_who_is_responsible(new_order, station, alice, bob, quinn):
    earlier = _delivered(station, new_order.vehicle, 10, advisor=alice)
    comeback = comeback_link(
        order=new_order, earlier_order=earlier, cause="workmanship", by=quinn, technician=bob, advisor=alice
    )
    assert (comeback.earlier_order, comeback.technician, comeback.advisor) == (earlier, bob, alice)
    assert WorkOrderEvent.objects.filter(order=earlier, kind="comeback").exists()
    assert WorkOrderEvent.objects.filter(order=new_order, kind="comeback").exists()
    with pytest.raises(DomainError, match="already linked"):
        comeback_link(order=new_order, earlier_order=earlier, cause="diagnosis", by=quinn)
    assert Comeback.objects.count() == 1


def test_an_order_outside_the_window_cannot_be_linked(new_order, station, quinn):
    old = _delivered(station, new_order.vehicle, 60)
    with pytest.raises(DomainError) as exc:
        comeback_link(order=new_order, earlier_order=old, cause="workmanship", by=quinn)
    assert exc.value.field == "earlier_order"


def test_the_cause_must_be_one_of_the_codes(new_order, station, quinn):
    earlier = _delivered(station, new_order.vehicle, 3)
    with pytest.raises(DomainError):
        comeback_link(order=new_order, earlier_order=earlier, cause="bad luck", by=quinn)


def test_the_main_technician_is_who_clocked_most(dispatched, bob, bob2, dispatcher, bay):
    from workshop.services.dispatch import job_dispatch

    job_dispatch(line=dispatched, technicians=[bob, bob2], bay=bay, by=dispatcher)
    t = timezone.now() - timedelta(hours=3)
    clock_on(line=dispatched, technician=bob, at=t)
    clock_on(line=dispatched, technician=bob2, at=t)
    clock_off(line=dispatched, technician=bob2, at=t + timedelta(minutes=20))
    clock_off(line=dispatched, technician=bob, at=t + timedelta(minutes=50))
    assert main_technician(order=dispatched.order) == bob


def test_possible_comebacks_lists_only_returning_vehicles_not_yet_linked(new_order, station, quinn):
    from workshop.services.comebacks import possible_comebacks

    since = timezone.now() - timedelta(days=30)
    other = WorkOrderFactory(signed=True, station=station)
    assert list(possible_comebacks(station=station, since=since)) == []
    earlier = _delivered(station, new_order.vehicle, 12)
    assert list(possible_comebacks(station=station, since=since)) == [new_order]
    assert other not in possible_comebacks(station=station, since=since)
    comeback_link(order=new_order, earlier_order=earlier, cause="diagnosis", by=quinn)
    assert list(possible_comebacks(station=station, since=since)) == []


def test_a_dismissed_order_is_no_longer_flagged(new_order, station, quinn, client_as):
    from django.urls import reverse

    from workshop.selectors import order_panel
    from workshop.services.comebacks import possible_comebacks

    _delivered(station, new_order.vehicle, 4)
    since = timezone.now() - timedelta(days=30)
    assert order_panel(new_order)["comeback_candidates"]
    response = client_as(quinn).post(reverse("workshop:comeback_dismiss", args=[new_order.pk]))
    assert response.status_code == 302
    assert list(possible_comebacks(station=station, since=since)) == []
    assert order_panel(new_order)["comeback_candidates"] == []
