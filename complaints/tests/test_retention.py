"""Retention lists of customer care: due for service, win-back, insurance renewal (hand-computed rows)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import retention_selectors as sel
from complaints.models import RetentionCall
from complaints.services.reminders import insurance_remind
from complaints.services.retention import retention_call_record
from core.errors import DomainError
from core.models import Notification
from reception.factories import CustomerFactory, VehicleFactory, WorkOrderFactory, lost_customer
from reception.models import Customer, WorkOrder

pytestmark = pytest.mark.django_db


def delivered(station, *, days_ago, mileage_in=12000, mileage=12500):
    vehicle = VehicleFactory(station=station, mileage=mileage)
    order = WorkOrderFactory(delivered=True, station=station, vehicle=vehicle, mileage_in=mileage_in)
    WorkOrder.objects.filter(pk=order.pk).update(delivered_at=timezone.now() - timedelta(days=days_ago))
    return vehicle


def test_due_for_service_by_days_and_km_less_booked(station, other_station, alice):
    # defaults: 180 days less 7 days' notice -> due from 173 days after the visit; or 10,000 km past the visit
    by_date = delivered(station, days_ago=175)
    delivered(station, days_ago=170, mileage=21999)  # 170 days, 9,999 km: not yet
    by_km = delivered(station, days_ago=30, mileage=22000)  # exactly 10,000 km
    VehicleFactory(station=station)  # never serviced here
    booked = delivered(station, days_ago=200)
    unreachable = delivered(station, days_ago=200)
    delivered(other_station, days_ago=400)
    retention_call_record(kind="service", by=alice, vehicle=booked, outcome="booked")
    retention_call_record(kind="service", by=alice, vehicle=unreachable, outcome="unreachable", note="关机")
    rows = {v.pk: v for v in sel.due_for_service(station)}
    assert set(rows) == {by_date.pk, by_km.pk, unreachable.pk}
    assert (rows[unreachable.pk].call_outcome, rows[unreachable.pk].call_note) == ("unreachable", "关机")
    assert rows[by_km.pk].last_km == 12000 and rows[by_date.pk].call_outcome is None


def test_a_new_visit_puts_a_booked_vehicle_back_when_due_again(station, alice):
    vehicle = delivered(station, days_ago=200)
    retention_call_record(kind="service", by=alice, vehicle=vehicle, outcome="booked")
    RetentionCall.objects.update(at=timezone.now() - timedelta(days=210))  # booked before the last visit
    assert [v.pk for v in sel.due_for_service(station)] == [vehicle.pk]


def test_win_back_lists_exactly_the_lost_customers_of_the_loss_figure_with_the_latest_call(
        station, other_station, alice):
    lost, called, back = (lost_customer(station=station) for _ in range(3))
    graded_lost = CustomerFactory(station=station)  # a grade alone does not put anyone on the list
    Customer.objects.filter(pk=graded_lost.pk).update(grade="lost")
    lost_customer(station=other_station)
    WorkOrderFactory(station=station, vehicle=VehicleFactory(station=station, owner=lost), customer=lost,
                     status="open", opened_at=timezone.now() - timedelta(days=62))  # seen since: not lost any more
    retention_call_record(kind="win_back", by=alice, customer=called, outcome="unreachable")
    retention_call_record(kind="win_back", by=alice, customer=called, outcome="will_come", note="下周六来")
    retention_call_record(kind="win_back", by=alice, customer=back, outcome="will_come")
    WorkOrderFactory(station=station, vehicle=VehicleFactory(station=station, owner=back), customer=back,
                     status="open")
    rows = {c.pk: c for c in sel.win_back(station)}
    assert set(rows) == {called.pk, back.pk}
    assert (rows[called.pk].call_outcome, rows[called.pk].call_note) == ("will_come", "下周六来")
    assert rows[called.pk].back_at is None and rows[back.pk].back_at is not None


def test_a_win_back_call_is_refused_for_a_customer_who_is_not_lost(station, alice):
    recent = CustomerFactory(station=station)
    WorkOrderFactory(station=station, vehicle=VehicleFactory(station=station, owner=recent), customer=recent,
                     status="open")
    with pytest.raises(DomainError) as refused:
        retention_call_record(kind="win_back", by=alice, customer=recent, outcome="will_come")
    assert refused.value.field == "outcome"
    assert not RetentionCall.objects.exists()


@pytest.mark.parametrize("outcome", ["will_come", "refused", "unreachable", "moved", "sold_car"])
def test_each_win_back_outcome_is_recorded_with_who_and_when(station, alice, outcome):
    call = retention_call_record(kind="win_back", by=alice, customer=lost_customer(station=station), outcome=outcome)
    assert (call.outcome, call.by, call.kind) == (outcome, alice, "win_back") and call.at is not None


def test_a_service_call_outcome_does_not_fit_the_win_back_list(station, alice):
    with pytest.raises(DomainError):
        retention_call_record(kind="win_back", by=alice, customer=lost_customer(station=station), outcome="booked")


def test_outcome_must_fit_the_list(station, alice):
    vehicle = VehicleFactory(station=station)
    with pytest.raises(DomainError):
        retention_call_record(kind="insurance", by=alice, vehicle=vehicle, outcome="booked")
    with pytest.raises(DomainError):
        retention_call_record(kind="service", by=alice, vehicle=vehicle, outcome="renewed_here")
    call = retention_call_record(kind="service", by=alice, vehicle=vehicle, outcome="reached")
    assert (call.customer_id, call.station_id, call.by_id) == (vehicle.owner_id, station.pk, alice.pk)


def test_insurance_due_within_days_and_outcome_per_expiry(station, other_station, alice):
    today = timezone.localdate()
    soon = VehicleFactory(station=station, insurance_expiry=today + timedelta(days=10), insurer="人保")
    edge = VehicleFactory(station=station, insurance_expiry=today + timedelta(days=30))
    VehicleFactory(station=station, insurance_expiry=today + timedelta(days=31))
    VehicleFactory(station=station, insurance_expiry=today - timedelta(days=1))
    VehicleFactory(station=other_station, insurance_expiry=today + timedelta(days=5))
    assert {v.pk for v in sel.insurance_due(station, days=30)} == {soon.pk, edge.pk}
    call = retention_call_record(kind="insurance", by=alice, vehicle=soon, outcome="renewed_here")
    assert call.insurance_expiry == soon.insurance_expiry
    rows = {v.pk: v for v in sel.insurance_due(station, days=30)}
    assert rows[soon.pk].call_outcome == "renewed_here"
    soon.insurance_expiry = today + timedelta(days=12)  # a new expiry: the old call no longer answers it
    soon.save()
    assert {v.pk: v for v in sel.insurance_due(station, days=30)}[soon.pk].call_outcome is None


def test_insurance_sms_once_per_vehicle_and_expiry(station):
    vehicle = VehicleFactory(station=station, insurance_expiry=timezone.localdate() + timedelta(days=20))
    first = insurance_remind(vehicle=vehicle)
    assert first.key == f"reminder:insurance:{vehicle.pk}:{vehicle.insurance_expiry.isoformat()}"
    assert first.channel == Notification.Channel.SMS
    assert insurance_remind(vehicle=vehicle).pk == first.pk
    assert Notification.objects.filter(key__startswith="reminder:insurance:").count() == 1
    Customer.objects.filter(pk=vehicle.owner_id).update(contact_consent=False)
    vehicle.refresh_from_db()
    vehicle.insurance_expiry += timedelta(days=365)
    assert insurance_remind(vehicle=vehicle) is None


@pytest.fixture
def care_client(client, care):
    client.force_login(care)
    return client


def test_due_list_page_records_an_outcome(care_client, care, station, other_station):
    vehicle = delivered(station, days_ago=200)
    page = care_client.get(reverse("complaints:due_service"))
    assert page.status_code == 200 and f'data-row="{vehicle.pk}"' in page.content.decode()
    response = care_client.post(reverse("complaints:due_service_call", args=[vehicle.pk]),
                                {"outcome": "booked", "note": "周六上午"})
    assert response.status_code == 302
    call = RetentionCall.objects.get()
    assert (call.kind, call.outcome, call.note, call.by_id) == ("service", "booked", "周六上午", care.pk)
    assert f'data-row="{vehicle.pk}"' not in care_client.get(reverse("complaints:due_service")).content.decode()
    foreign = delivered(other_station, days_ago=200)
    assert care_client.post(reverse("complaints:due_service_call", args=[foreign.pk]),
                            {"outcome": "booked"}).status_code == 404


def test_insurance_page_refused_outcome_at_the_field(care_client, station):
    vehicle = VehicleFactory(station=station, insurance_expiry=timezone.localdate() + timedelta(days=40))
    assert f'data-row="{vehicle.pk}"' not in care_client.get(reverse("complaints:insurance")).content.decode()
    assert f'data-row="{vehicle.pk}"' in care_client.get(reverse("complaints:insurance") + "?days=45").content.decode()
    response = care_client.post(reverse("complaints:insurance_call", args=[vehicle.pk]), {"outcome": "booked"})
    assert response.status_code == 400 and response.context["form"].errors["outcome"]
    assert care_client.post(reverse("complaints:insurance_sms", args=[vehicle.pk])).status_code == 302
    assert Notification.objects.filter(key__startswith=f"reminder:insurance:{vehicle.pk}:").exists()


def test_win_back_page(care_client, station):
    lost = lost_customer(station=station)
    assert f'data-row="{lost.pk}"' in care_client.get(reverse("complaints:win_back")).content.decode()
    assert care_client.post(reverse("complaints:win_back_call", args=[lost.pk]),
                            {"outcome": "sold_car"}).status_code == 302
    assert RetentionCall.objects.get(customer=lost).outcome == "sold_car"


def test_win_back_page_refuses_a_customer_who_is_not_lost_at_the_field(care_client, station):
    recent = CustomerFactory(station=station)
    response = care_client.post(reverse("complaints:win_back_call", args=[recent.pk]),
                                {"outcome": "will_come", "note": "留着"})
    assert response.status_code == 400 and response.context["form"].errors["outcome"]
    assert response.context["form"]["note"].value() == "留着" and not RetentionCall.objects.exists()
